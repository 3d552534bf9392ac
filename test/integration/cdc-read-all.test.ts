import {beforeAll, describe, expect, it} from 'vitest';
import {createFrom} from '../helpers/create-from.js';
import {testArena} from '../helpers/arena.js';
import {type Login, loginFromUrl, mysqlQuery, pgQuery} from '../helpers/docker.js';
import {buildCli, cli} from './cli-helpers.js';

/**
 * The cdc login reads everything a connector snapshots (issue 18, item 5): a connector's first
 * snapshot SELECTs every table its publication or binary log covers, including tables in schemas
 * (databases) that another role made after the container started.
 */
const {manager, name} = testArena('cdc-read');

beforeAll(async () => {
	await buildCli();
}, 180_000);

/** The login `dbarena url NAME --cdc` prints, as a connector would be configured with it. */
async function cdcLogin(container: string): Promise<Login> {
	const result = await cli(['url', container, '--cdc']);
	expect(result.code, result.stderr).toBe(0);
	return loginFromUrl(result.stdout.trim());
}

describe('the cdc login reads tables another role made in a new schema', () => {
	it('PostgreSQL 16', async () => {
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: name('pg'), cdc: true});
		const admin = created.connection;
		await pgQuery(admin, "CREATE ROLE app LOGIN PASSWORD 'app-pass'");
		await pgQuery(admin, `GRANT CREATE ON DATABASE ${admin.database} TO app`);
		await pgQuery(admin, 'GRANT CREATE ON SCHEMA public TO app');
		const app = {...admin, user: 'app', password: 'app-pass'};
		await pgQuery(app, 'CREATE SCHEMA sales');
		await pgQuery(app, 'CREATE TABLE sales.orders (id int PRIMARY KEY, item text)');
		await pgQuery(app, "INSERT INTO sales.orders VALUES (1, 'apple'), (2, 'pear')");
		// And a table of the app's in public, which the old grants (ALTER DEFAULT PRIVILEGES for the admin only) missed too.
		await pgQuery(app, 'CREATE TABLE public.app_items (id int PRIMARY KEY)');
		await pgQuery(app, 'INSERT INTO public.app_items VALUES (7)');

		const cdc = await cdcLogin(created.container.name);
		expect(cdc.user).toBe('cdc');
		expect(await pgQuery(cdc, 'SELECT id, item FROM sales.orders ORDER BY id')).toEqual([
			{id: 1, item: 'apple'},
			{id: 2, item: 'pear'},
		]);
		expect(await pgQuery(cdc, 'SELECT id FROM public.app_items')).toEqual([{id: 7}]);
		// Reading is all it gained: it still cannot write.
		await expect(pgQuery(cdc, 'INSERT INTO sales.orders VALUES (3, 1)')).rejects.toThrow(/permission denied/);
		expect(await pgQuery(cdc, 'SELECT rolreplication AS replication FROM pg_roles WHERE rolname = current_user')).toEqual([{replication: true}]);
	});

	it('PostgreSQL: a container set up before the grant gets it at its next start, once', async () => {
		const db = name('pg-old');
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: db, cdc: true});
		// As a container of an older dbarena was set up: the role without pg_read_all_data.
		await pgQuery(created.connection, 'REVOKE pg_read_all_data FROM cdc').catch(() => undefined);
		await pgQuery(created.connection, 'CREATE SCHEMA other');
		await pgQuery(created.connection, 'CREATE TABLE other.t (id int PRIMARY KEY)');
		const cdc = await cdcLogin(db);
		await expect(pgQuery(cdc, 'SELECT id FROM other.t')).rejects.toThrow(/permission denied/);
		await manager.restart(db);
		expect(await pgQuery(cdc, 'SELECT id FROM other.t')).toEqual([]);
		// Upgraded: the next start only looks, and writes nothing a slot would see.
		await pgQuery(cdc, "SELECT pg_create_logical_replication_slot('after_upgrade', 'test_decoding')");
		await manager.restart(db);
		expect(await pgQuery(cdc, "SELECT data FROM pg_logical_slot_peek_changes('after_upgrade', NULL, NULL)")).toEqual([]);
	});

	it.each([
		['mariadb', '11.8'],
		['mysql', '9.7'],
	] as const)('%s %s', async (database, version) => {
		const created = await createFrom(manager, {database, version, name: name(database), cdc: true});
		const admin = created.connection;
		await mysqlQuery(admin, "CREATE USER 'app'@'%' IDENTIFIED BY 'app-pass'");
		await mysqlQuery(admin, "GRANT ALL PRIVILEGES ON sales.* TO 'app'@'%'");
		// Only so that it can log in to the container's database, as the helper does.
		await mysqlQuery(admin, `GRANT SELECT ON ${admin.database}.* TO 'app'@'%'`);
		const app = {...admin, user: 'app', password: 'app-pass'};
		await mysqlQuery(app, 'CREATE DATABASE sales');
		await mysqlQuery(app, 'CREATE TABLE sales.orders (id int PRIMARY KEY, item varchar(20))');
		await mysqlQuery(app, "INSERT INTO sales.orders VALUES (1, 'apple'), (2, 'pear')");

		const cdc = await cdcLogin(created.container.name);
		expect(cdc.user).toBe('cdc');
		expect(await mysqlQuery(cdc, 'SELECT id, item FROM sales.orders ORDER BY id')).toEqual([
			{id: 1, item: 'apple'},
			{id: 2, item: 'pear'},
		]);
		expect((await mysqlQuery<{Database: string}>(cdc, 'SHOW DATABASES')).map(row => row.Database)).toContain('sales');
		await expect(mysqlQuery(cdc, "INSERT INTO sales.orders VALUES (3, 'fig')")).rejects.toThrow(/denied/);
	});
});
