import {createFrom} from '../helpers/create-from.js';
import {describe, expect, it} from 'vitest';
import {readCdcStatus} from '../../source/core/cdc.js';
import {testArena} from '../helpers/arena.js';
import type {ManagedContainer} from '../../source/core/types.js';
import {type Login, mysqlQuery, mysqlSession, pgQuery, waitFor} from '../helpers/docker.js';

const {manager, name} = testArena('cdc');

describe('--cdc PostgreSQL', () => {
	it('logical decoding works for the printed replication role', async () => {
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: name('pg'), cdc: true});
		expect(created.container.cdc).toEqual({user: 'cdc', password: 'dbarena', publication: 'dbarena_cdc'});
		const admin = created.connection;
		const replicator = {...admin, user: created.container.cdc!.user, password: created.container.cdc!.password};
		await pgQuery(admin, 'CREATE TABLE orders (id int PRIMARY KEY, item text)');
		await pgQuery(replicator, "SELECT pg_create_logical_replication_slot('test_slot', 'test_decoding')");
		await pgQuery(admin, "INSERT INTO orders VALUES (1, 'apple'), (2, 'pear')");
		// Fast mode keeps synchronous_commit=off, so decoding sees a commit once the WAL writer has
		// flushed it (within a few hundred ms), not at the instant of COMMIT.
		const inserts = await waitFor(
			'the decoded inserts',
			async () => {
				const changes = await pgQuery<{data: string}>(replicator, "SELECT data FROM pg_logical_slot_peek_changes('test_slot', NULL, NULL)");
				const found = changes.map(change => change.data).filter(data => data.startsWith('table public.orders: INSERT'));
				return found.length >= 2 ? found : undefined;
			},
			5000,
			50,
		);
		await pgQuery(replicator, "SELECT count(*) FROM pg_logical_slot_get_changes('test_slot', NULL, NULL)");
		expect(inserts).toEqual(["table public.orders: INSERT: id[integer]:1 item[text]:'apple'", "table public.orders: INSERT: id[integer]:2 item[text]:'pear'"]);
		// The publication covers new tables, ready for pgoutput connectors.
		expect(await pgQuery(admin, "SELECT puballtables AS all FROM pg_publication WHERE pubname = 'dbarena_cdc'")).toEqual([{all: true}]);

		const status = await readCdcStatus(await manager.inspect(created.container.name));
		expect(status).toMatchObject({ready: true, settings: {wal_level: 'logical', max_replication_slots: '10', max_wal_senders: '10'}});
		expect(status!.slots).toEqual([{name: 'test_slot', plugin: 'test_decoding', active: false, lagBytes: expect.any(Number) as number}]);
	});

	it('without --cdc the same checks show CDC off', async () => {
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: name('plain')});
		expect(created.container.cdc).toBeUndefined();
		await expect(pgQuery(created.connection, "SELECT pg_create_logical_replication_slot('s', 'test_decoding')")).rejects.toThrow(/wal_level/);
		expect(await readCdcStatus(created.container)).toMatchObject({ready: false, settings: {wal_level: 'replica'}});
	});

	it('the replication role survives a stop/start of a fast container (it is recreated)', async () => {
		const containerName = name('restart');
		await createFrom(manager, {database: 'postgres', version: '16', name: containerName, cdc: true});
		await manager.stop(containerName);
		const started = await manager.start(containerName);
		const replicator = {...started.container.connection!, user: 'cdc'};
		expect(await pgQuery(replicator, 'SELECT rolreplication AS r FROM pg_roles WHERE rolname = current_user')).toEqual([{r: true}]);
	});
});

/** SHOW MASTER STATUS is gone from MySQL 8.4 on; MariaDB never had SHOW BINARY LOG STATUS. */
const binlogStatus = (database: 'mysql' | 'mariadb') => (database === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS');

/** MySQL's GTIDs are on and enforced, and the position a connector reads carries them. */
async function expectGtidsEnforced(container: ManagedContainer, cdc: Login): Promise<void> {
	const status = await readCdcStatus(container);
	expect(status?.settings).toMatchObject({gtid_mode: 'ON', enforce_gtid_consistency: 'ON'});
	const admin = container.connection!;
	await mysqlQuery(admin, 'CREATE TABLE plain (id int PRIMARY KEY) ENGINE=InnoDB');
	await mysqlQuery(admin, 'CREATE TABLE unsafe (id int PRIMARY KEY) ENGINE=MyISAM');
	// A transaction that writes a non-transactional table besides another cannot be one GTID:
	// MySQL refuses it instead of logging it wrongly (this is what enforce_gtid_consistency is).
	await expect(
		mysqlSession(admin, async query => {
			await query('BEGIN');
			await query('INSERT INTO plain VALUES (1)');
			await query('INSERT INTO unsafe VALUES (1)');
		}),
	).rejects.toThrow(/GTID consistency/);
	const [position] = await mysqlQuery<{Executed_Gtid_Set: string}>(cdc, 'SHOW BINARY LOG STATUS');
	expect(position!.Executed_Gtid_Set).toMatch(/^[\da-f-]{36}:1-\d+$/);
}

describe('--cdc MySQL family', () => {
	it.each([
		['mariadb', '10.11'],
		['mysql', '8.4'],
	] as const)(
		'%s %s: ROW binary log on, write events listed, the printed user can read the binlog position (MySQL: GTIDs enforced)',
		async (database, version) => {
			const created = await createFrom(manager, {database, version, name: name(database), cdc: true});
			const admin = created.connection;
			const cdc = {...admin, user: created.container.cdc!.user, password: created.container.cdc!.password};
			const variables = Object.fromEntries(
				(
					await mysqlQuery<{Variable_name: string; Value: string}>(
						admin,
						"SHOW VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image', 'server_id')",
					)
				).map(row => [row.Variable_name, row.Value]),
			);
			expect(variables).toEqual({log_bin: 'ON', binlog_format: 'ROW', binlog_row_image: 'FULL', server_id: '1'});
			await mysqlQuery(admin, 'CREATE TABLE orders (id int PRIMARY KEY, item varchar(20))');
			await mysqlQuery(admin, "INSERT INTO orders VALUES (1, 'apple'), (2, 'pear')");
			const [position] = await mysqlQuery<{File: string; Position: number}>(cdc, binlogStatus(database));
			expect(position!.File).toMatch(/^binlog\.\d+$/);
			const events = await mysqlQuery<{Event_type: string}>(admin, `SHOW BINLOG EVENTS IN '${position!.File}'`);
			expect(events.map(event => event.Event_type)).toContain(database === 'mysql' ? 'Write_rows' : 'Write_rows_v1');
			expect((await readCdcStatus(created.container))?.ready).toBe(true);
			if (database === 'mysql') await expectGtidsEnforced(created.container, cdc);
		},
	);

	it('without --cdc the binary log is off', async () => {
		const created = await createFrom(manager, {database: 'mariadb', version: '10.11', name: name('plain-maria')});
		const [row] = await mysqlQuery<{Value: string}>(created.connection, "SHOW VARIABLES LIKE 'log_bin'");
		expect(row!.Value).toBe('OFF');
		expect((await readCdcStatus(created.container))?.ready).toBe(false);
		await expect(mysqlQuery({...created.connection, user: 'cdc'}, 'SELECT 1')).rejects.toThrow(/Access denied/);
	});
});

/**
 * A connector's stream holds the user's own changes only (issue 14, item 8): dbarena's setup of
 * the replication user runs once, and never where a log-based connector reads it.
 */
describe('CDC setup stays out of the change stream', () => {
	it('PostgreSQL: a restart adds no transaction to a slot, and the setup is not run again', async () => {
		const db = name('pg-quiet');
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: db, cdc: true});
		const replicator = {...created.connection, user: 'cdc'};
		await pgQuery(replicator, "SELECT pg_create_logical_replication_slot('quiet', 'test_decoding')");
		const restarted = await manager.restart(db);
		await manager.stop(db);
		const started = await manager.start(db);
		expect(started.container.connection!.port).toBe(restarted.container.connection!.port);
		// test_decoding shows even an empty transaction (BEGIN/COMMIT): there must be none at all.
		const changes = await pgQuery<{data: string}>(replicator, "SELECT data FROM pg_logical_slot_peek_changes('quiet', NULL, NULL)");
		expect(changes.map(change => change.data)).toEqual([]);
		await pgQuery(created.connection, 'CREATE TABLE after_restart (id int PRIMARY KEY)');
		await pgQuery(created.connection, 'INSERT INTO after_restart VALUES (1)');
		// And the role can still read what the user writes after those restarts.
		expect(await pgQuery(replicator, 'SELECT id FROM after_restart')).toEqual([{id: 1}]);
	});

	it.each([
		['mariadb', '10.11'],
		['mysql', '9.7'],
	] as const)('%s: the replication user and its password never reach the binary log, and a restart writes nothing', async (database, version) => {
		const db = name(`${database}-quiet`);
		const created = await createFrom(manager, {database, version, name: db, cdc: true, password: 'S3cret-Of-Mine'});
		await manager.restart(db);
		await manager.stop(db);
		const started = await manager.start(db);
		const admin = started.container.connection!;
		const logs = await mysqlQuery<{Log_name: string}>(admin, 'SHOW BINARY LOGS');
		expect(logs.length).toBeGreaterThan(0);
		const statements: string[] = [];
		for (const log of logs) {
			const events = await mysqlQuery<{Event_type: string; Info: string}>(admin, `SHOW BINLOG EVENTS IN '${log.Log_name}'`);
			statements.push(...events.filter(event => event.Event_type === 'Query').map(event => event.Info));
		}
		expect(statements.filter(info => /cdc|IDENTIFIED|GRANT|S3cret/i.test(info))).toEqual([]);
		// The user still exists, with its grants, for a connector to log in.
		const cdc = {...admin, user: 'cdc', password: created.container.cdc!.password};
		expect((await mysqlQuery<{File: string}>(cdc, binlogStatus(database)))[0]!.File).toMatch(/^binlog\./);
	});
});
