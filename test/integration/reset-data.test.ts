import {createServer} from 'node:net';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mysqlQuery, pgQuery, type Login} from '../helpers/docker.js';
import {buildCli, cli, docker, json, uniqueName} from './cli-helpers.js';

/**
 * `reset --data` (issue 19, item 1): the rows and objects a test made go, inside the running
 * server; the container, port, roles made after create and replication slots stay, and a client
 * connected meanwhile gets a clear error and reconnects at once.
 */
const names: string[] = [];
const track = (prefix: string) => {
	const name = uniqueName(prefix);
	names.push(name);
	return name;
};

type Created = {containers: Array<{id: string; connection: Login & {url: string}}>};
type DataReset = {name: string; ms: number; reset: {schemas: string[]; tables: number}; kept: {slots: string[]; roles: string[]}; terminated: number};

async function create(args: string[]): Promise<Created['containers'][number]> {
	const result = await cli(['create', ...args, '--json']);
	expect(result.code, result.stderr).toBe(0);
	return json<Created>(result).containers[0]!;
}

beforeAll(async () => {
	await buildCli();
}, 180_000);

afterAll(async () => {
	await docker(['rm', '-f', '-v', ...names]).catch(() => '');
	for (const name of names) await docker(['volume', 'rm', `${name}-data`]).catch(() => '');
});

describe('reset --data, PostgreSQL with --cdc', () => {
	const db = track('rd-pg');
	let created: Created['containers'][number];
	let login: Login;
	beforeAll(async () => {
		created = await create(['postgres', '--version', '16', '--name', db, '--cdc']);
		login = created.connection;
		await pgQuery(login, 'CREATE TABLE orders (id int PRIMARY KEY, item text)');
		await pgQuery(login, "INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 10000) g");
		await pgQuery(login, 'CREATE SCHEMA app');
		await pgQuery(login, 'CREATE TABLE app.audit (note text)');
		await pgQuery(login, 'CREATE ROLE tester LOGIN');
		await pgQuery({...login, user: 'cdc'}, "SELECT pg_create_logical_replication_slot('keep_slot', 'test_decoding')");
	}, 120_000);

	it('drops what the test made, keeps the container, port, roles and slot, and ends connected clients', async () => {
		const connected = new pg.Client({...login, connectionTimeoutMillis: 3000});
		const seen: string[] = [];
		connected.on('error', error => seen.push(error.message));
		await connected.connect();
		await connected.query('SELECT 1');

		const result = await cli(['reset', db, '--data', '--yes', '--json']);
		expect(result.code, result.stderr).toBe(0);
		const report = json<DataReset>(result);
		expect(report).toMatchObject({name: db, reset: {schemas: ['app', 'public'], tables: 2}, kept: {slots: ['keep_slot'], roles: ['cdc']}});
		expect(report.terminated).toBeGreaterThanOrEqual(1);
		console.info(`reset --data of 10 000 rows: ${report.ms} ms in the core, ${result.ms} ms from the command's start`);

		// The connected client learns it at its next query, and a new connection works at once.
		await expect(connected.query('SELECT 1')).rejects.toThrow();
		expect(seen.join('\n')).toMatch(/terminating connection due to administrator command/);
		await connected.end().catch(() => undefined);
		expect(await pgQuery(login, "SELECT to_regclass('public.orders') AS t, to_regnamespace('app') AS s")).toEqual([{t: null, s: null}]);

		// Same container, same port; the role and the slot are there.
		const inspected = json<{id: string; hostPort: number}>(await cli(['inspect', db, '--json']));
		expect(inspected.id).toBe(created.id);
		expect(inspected.hostPort).toBe(login.port);
		expect(await pgQuery(login, "SELECT rolname FROM pg_roles WHERE rolname = 'tester'")).toEqual([{rolname: 'tester'}]);
		expect(await pgQuery(login, 'SELECT slot_name FROM pg_replication_slots')).toEqual([{slot_name: 'keep_slot'}]);
	});

	it('leaves a database the user and the connector work with as before: public usable, the slot decoding, cdc reading', async () => {
		await pgQuery(login, 'CREATE TABLE after_reset (id int PRIMARY KEY)');
		await pgQuery(login, 'INSERT INTO after_reset VALUES (7)');
		const cdc = {...login, user: 'cdc'};
		expect(await pgQuery(cdc, 'SELECT id FROM after_reset')).toEqual([{id: 7}]);
		const changes = await pgQuery<{data: string}>(cdc, "SELECT data FROM pg_logical_slot_get_changes('keep_slot', NULL, NULL)");
		const data = changes.map(change => change.data);
		// The stream saw the data go (TRUNCATE is decoded; the schema drop is not) and the new row.
		expect(
			data.filter(line => line.includes('TRUNCATE')),
			data.slice(0, 5).join('\n'),
		).toEqual(['table public.orders, app.audit: TRUNCATE: cascade']);
		expect(data).toContain('table public.after_reset: INSERT: id[integer]:7');
		const [owner] = await pgQuery<{owner: string}>(login, "SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'public'");
		expect(owner!.owner).toBe('pg_database_owner');
	});
});

describe('reset --data, MariaDB', () => {
	it('drops and makes the database again with its character set; users made after create stay', async () => {
		const db = track('rd-maria');
		const created = await create(['mariadb', '--version', '10.11', '--name', db]);
		const login = created.connection;
		await mysqlQuery(login, 'CREATE TABLE orders (id int PRIMARY KEY, item varchar(40))');
		await mysqlQuery(login, 'INSERT INTO orders VALUES ?', [Array.from({length: 10_000}, (_, index) => [index + 1, `item ${index + 1}`])]);
		await mysqlQuery(login, "CREATE USER 'tester'@'%' IDENTIFIED BY 'pw'");
		const [charset] = await mysqlQuery<{c: string}>(login, "SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'testdb'");

		const result = await cli(['reset', db, '--data', '--yes']);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(new RegExp(`✓ ${db}: data reset in \\d+ ms`));
		expect(result.stdout).toMatch(/dropped testdb \(1 table\); made again, empty/);
		expect(result.stdout).toMatch(/Kept: the container, its port, settings\./);
		expect(await mysqlQuery(login, "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'testdb'")).toEqual([{n: 0}]);
		expect(await mysqlQuery(login, "SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'testdb'")).toEqual([charset]);
		expect(await mysqlQuery(login, "SELECT User AS u FROM mysql.user WHERE User = 'tester'")).toEqual([{u: 'tester'}]);
	});
});

describe('reset --data refuses what it cannot do', () => {
	it('a stopped container: exit 2, and how to go on', async () => {
		const db = track('rd-stopped');
		await create(['postgres', '--version', '16', '--name', db]);
		expect((await cli(['stop', db])).code).toBe(0);
		const result = await cli(['reset', db, '--data', '--yes']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/is not running; start it first .*or use "dbarena reset" without --data/);
	});

	it('a container with a volume needs --yes, and nothing is touched without it', async () => {
		const db = track('rd-kept');
		const created = await create(['postgres', '--version', '16', '--name', db, '--persistent']);
		await pgQuery(created.connection, 'CREATE TABLE precious (id int)');
		const result = await cli(['reset', db, '--data']);
		expect(result.code).toBe(2);
		expect(await pgQuery(created.connection, "SELECT to_regclass('public.precious') AS t")).toEqual([{t: 'precious'}]);
	});
});

describe('the full reset never leaves no database', () => {
	it('a stopped container whose port another process took: refused before anything is removed', async () => {
		const db = track('rd-port');
		const created = await create(['postgres', '--version', '16', '--name', db]);
		expect((await cli(['stop', db])).code).toBe(0);
		const squatter = createServer();
		await new Promise<void>(resolve => squatter.listen(created.connection.port, '127.0.0.1', resolve));
		try {
			const result = await cli(['reset', db, '--yes']);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(new RegExp(`port ${created.connection.port} .*is used by another process`));
			// The old container is still there, with its data, to start once the port is free.
			expect(json<{id: string}>(await cli(['inspect', db, '--json'])).id).toBe(created.id);
		} finally {
			await new Promise(resolve => squatter.close(resolve));
		}
	});
});
