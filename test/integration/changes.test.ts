import mysql from 'mysql2/promise';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Login, logLinesMatching, mysqlQuery, pgQuery} from '../helpers/docker.js';
import {buildCli, cli, json, removeAll, startCli, type RunningCli, uniqueName} from './cli-helpers.js';

// `dbarena changes` through the built command, against real servers: the rows a test writes from
// the host come out of the stream in order, each within a second of its commit, and stopping it
// leaves nothing of it on the server while a user's own slot stays as it was.

const containers: string[] = [];

function name(prefix: string): string {
	const unique = uniqueName(`changes-${prefix}`);
	containers.push(unique);
	return unique;
}

beforeAll(async () => {
	await buildCli();
});

afterAll(async () => {
	await removeAll(containers);
});

type Created = {containers: Array<{name: string; connection: Login}>};

async function createCdc(database: string, version: string, cdc = true): Promise<{name: string; admin: Login}> {
	const container = name(database);
	const result = await cli(['create', database, '--version', version, '--name', container, ...(cdc ? ['--cdc'] : []), '--json']);
	expect(result.code, result.stderr).toBe(0);
	return {name: container, admin: json<Created>(result).containers[0]!.connection};
}

type Change = {
	operation: string;
	table: string;
	key: Record<string, unknown> | null;
	values: Record<string, unknown> | null;
	oldValues: Record<string, unknown> | null;
	transaction: string | null;
	commitTime: string | null;
	position: string;
};

/** The JSON lines printed so far. */
const changesOf = (stream: RunningCli): Change[] =>
	stream
		.stdout()
		.split('\n')
		.filter(line => line.trim() !== '')
		.map(line => JSON.parse(line) as Change);

/**
 * Five commits from the host, one statement each (3 inserts, an update, a delete); after each,
 * the time until its change is printed. `run` is one open session, so only the commit is timed.
 */
async function writeAndTime(stream: RunningCli, run: (sql: string) => Promise<unknown>, explain: () => Promise<string>): Promise<number[]> {
	const statements = [
		"INSERT INTO orders VALUES (1, 'apple')",
		"INSERT INTO orders VALUES (2, 'pear')",
		"INSERT INTO orders VALUES (3, 'plum')",
		"UPDATE orders SET item = 'quince' WHERE id = 2",
		'DELETE FROM orders WHERE id = 1',
	];
	const lags: number[] = [];
	for (const [index, sql] of statements.entries()) {
		await run(sql);
		const committed = performance.now();
		// A change that does not come is the server's or ours: the message says what each had then.
		await stream.waitFor(new RegExp(`^(?:.*\\n){${index + 1}}`), 5000).catch(async (error: unknown) => {
			throw new Error(`${(error as Error).message}\n${await explain()}`);
		});
		lags.push(performance.now() - committed);
	}
	return lags;
}

/** The five changes, as the stream must show them, for a table named as the engine names it. */
function expectFiveChanges(changes: Change[], table: string, oldValuesOnUpdate: boolean): void {
	expect(changes.map(change => [change.operation, change.table, change.key])).toEqual([
		['insert', table, {id: 1}],
		['insert', table, {id: 2}],
		['insert', table, {id: 3}],
		['update', table, {id: 2}],
		['delete', table, {id: 1}],
	]);
	expect(changes[0]!.values).toEqual({id: 1, item: 'apple'});
	expect(changes[3]!.values).toEqual({id: 2, item: 'quince'});
	if (oldValuesOnUpdate) expect(changes[3]!.oldValues).toEqual({id: 2, item: 'pear'});
	expect(changes[4]!.oldValues).toEqual({id: 1, item: 'apple'});
	for (const change of changes) {
		expect(change.transaction).toEqual(expect.any(String));
		expect(Number.isNaN(Date.parse(change.commitTime!))).toBe(false);
	}
	// One transaction per statement, in commit order.
	expect(new Set(changes.map(change => change.transaction)).size).toBe(5);
}

describe('dbarena changes --follow --json', () => {
	it('PostgreSQL 16: the host’s five commits in order within 1 s each, old values under REPLICA IDENTITY FULL; Ctrl-C drops our slot only', async () => {
		const {name: db, admin} = await createCdc('postgres', '16');
		await pgQuery(admin, 'CREATE TABLE orders (id int PRIMARY KEY, item text)');
		await pgQuery(admin, 'ALTER TABLE orders REPLICA IDENTITY FULL');
		// A connector's own slot, made before: it must come out of this exactly as it went in.
		await pgQuery(admin, "SELECT pg_create_logical_replication_slot('user_slot', 'pgoutput')");
		const slots = 'SELECT slot_name, plugin, temporary, active, confirmed_flush_lsn::text AS flushed FROM pg_replication_slots ORDER BY slot_name';
		const [userSlot] = await pgQuery(admin, slots);

		const stream = startCli(['changes', db, '--follow', '--json']);
		await stream.waitFor(/Following the changes of/);
		const during = await pgQuery<{slot_name: string; temporary: boolean; active: boolean}>(admin, slots);
		expect(during).toEqual([expect.objectContaining({slot_name: expect.stringMatching(/^dbarena_changes_/), temporary: true, active: true}), userSlot]);

		const client = new pg.Client(admin);
		await client.connect();
		const explain = async () => {
			const replication = await pgQuery(
				admin,
				'SELECT state, sent_lsn::text, flush_lsn::text, pg_current_wal_flush_lsn()::text AS server_flush FROM pg_stat_replication',
			);
			return `replication: ${JSON.stringify(replication)}\nserver log:\n${(await logLinesMatching(db, /./)).slice(-15).join('\n')}`;
		};
		const lags = await writeAndTime(stream, async sql => client.query(sql), explain).finally(async () => client.end());
		expect(Math.max(...lags), `lags ${lags.map(Math.round).join(', ')} ms`).toBeLessThan(1000);
		expectFiveChanges(changesOf(stream), 'public.orders', true);
		expect(changesOf(stream)[0]!.position).toMatch(/^[\dA-F]+\/[\dA-F]+$/);

		stream.child.kill('SIGINT');
		const result = await stream.done;
		expect(result.code, result.stderr).toBe(130);
		// Ours is gone the moment the command has exited; the user's is untouched (not even advanced).
		expect(await pgQuery(admin, slots)).toEqual([userSlot]);

		// Without --follow it prints what commits while it watches and ends by itself.
		// --op and --table leave out what they do not name: the update, and the other table's insert.
		await pgQuery(admin, 'CREATE TABLE other (id int PRIMARY KEY)');
		const once = startCli(['changes', db, '--json', '--op', 'insert', '--table', 'orders']);
		await once.waitFor(/Watching the changes of/);
		await pgQuery(admin, "INSERT INTO other VALUES (8); INSERT INTO orders VALUES (9, 'fig'); UPDATE orders SET item = 'date' WHERE id = 9");
		const watched = await once.done;
		expect(watched.code, watched.stderr).toBe(0);
		expect(changesOf(once).map(change => [change.operation, change.table, change.key])).toEqual([['insert', 'public.orders', {id: 9}]]);
		expect(await pgQuery(admin, slots)).toEqual([userSlot]);
		// Both ended the stream before the session (CopyDone): one cut off in the middle makes the
		// server log "unexpected EOF on standby connection".
		expect(await logLinesMatching(db, /unexpected EOF on standby connection/)).toEqual([]);

		// A container that stops ends the stream: said on stderr, exit 0, as logs --follow does.
		const following = startCli(['changes', db, '--follow']);
		await following.waitFor(/Following the changes of/);
		expect((await cli(['stop', db])).code).toBe(0);
		const ended = await following.done;
		expect(ended.code, ended.stderr).toBe(0);
		expect(ended.stderr).toMatch(/stopped \(exited\); its change stream ended/);

		// A stopped container has no stream to read.
		const stopped = await cli(['changes', db, '--json']);
		expect(stopped.code).toBe(2);
		expect(json<{error: {code: string}}>(stopped).error.code).toBe('not_running');
		expect(stopped.stderr).toMatch(/^Error: .*is not running; start it first/);
	});

	it.each([
		['mariadb', '11.8'],
		['mysql', '9.7'],
	])('%s %s: the host’s five commits in order within 1 s each, with old values; Ctrl-C ends the binlog session', async (database, version) => {
		const {name: db, admin} = await createCdc(database, version);
		await mysqlQuery(admin, 'CREATE TABLE orders (id int PRIMARY KEY, item varchar(20))');
		await mysqlQuery(admin, 'CREATE TABLE other (id int PRIMARY KEY)');
		const dumps = async () =>
			(await mysqlQuery<{Command: string; User: string}>(admin, 'SHOW PROCESSLIST')).filter(thread => thread.Command.startsWith('Binlog Dump'));

		const stream = startCli(['changes', db, '--follow', '--json', '--table', 'orders']);
		await stream.waitFor(/Following the changes of/);
		expect(await dumps()).toEqual([expect.objectContaining({User: 'cdc'})]);

		const session = await mysql.createConnection(admin);
		// --table orders: a row of another table, committed first, must not come out at all.
		await session.query('INSERT INTO other VALUES (7)');
		const explain = async () => `server log:\n${(await logLinesMatching(db, /./)).slice(-15).join('\n')}`;
		const lags = await writeAndTime(stream, async sql => session.query(sql), explain).finally(async () => session.end());
		expect(Math.max(...lags), `lags ${lags.map(Math.round).join(', ')} ms`).toBeLessThan(1000);
		expectFiveChanges(changesOf(stream), 'testdb.orders', true);
		expect(changesOf(stream)[0]!.position).toMatch(/^binlog\.\d+:\d+$/);

		stream.child.kill('SIGINT');
		const result = await stream.done;
		expect(result.code, result.stderr).toBe(130);
		expect(await dumps()).toEqual([]);

		// Without --follow, filtered by operation: only the update and the delete, then it ends by itself.
		const once = startCli(['changes', db, '--json', '--op', 'update,delete']);
		await once.waitFor(/Watching the changes of/);
		await mysqlQuery(admin, "INSERT INTO orders VALUES (9, 'fig')");
		await mysqlQuery(admin, "UPDATE orders SET item = 'date' WHERE id = 9");
		await mysqlQuery(admin, 'DELETE FROM other WHERE id = 7');
		const watched = await once.done;
		expect(watched.code, watched.stderr).toBe(0);
		expect(changesOf(once).map(change => [change.operation, change.table, change.key])).toEqual([
			['update', 'testdb.orders', {id: 9}],
			['delete', 'testdb.other', {id: 7}],
		]);
		expect(await dumps()).toEqual([]);
		// Both ended their sessions with a goodbye: a dropped one is a warning in the log the user
		// reads ("Aborted connection ... user: 'cdc' ... Got an error reading communication packets").
		expect(await logLinesMatching(db, /Aborted connection .*user: 'cdc'/)).toEqual([]);
	});
});

describe('dbarena changes and dbarena load', () => {
	it.each([
		['postgres', '16', 'public.dbarena_load_1'],
		['mariadb', '11.8', 'testdb.dbarena_load_1'],
	] as const)('%s %s: what dbarena load writes is what changes shows, write for write', async (database, version, table) => {
		const {name: db} = await createCdc(database, version);
		const stream = startCli(['changes', db, '--follow', '--json']);
		await stream.waitFor(/Following the changes of/);
		const load = await cli(['load', db, '--rate', '100', '--duration', '5', '--json']);
		expect(load.code, load.stderr).toBe(0);
		const {ops} = json<{ops: {insert: number; update: number; delete: number; total: number}}>(load);
		// The table is made before the first write; its DDL is no row change.
		await stream.waitFor(new RegExp(`^(?:.*\\n){${ops.total}}`), 10_000);
		stream.child.kill('SIGINT');
		await stream.done;
		const seen = changesOf(stream).filter(change => change.table === table);
		const count = (operation: string) => seen.filter(change => change.operation === operation).length;
		expect({insert: count('insert'), update: count('update'), delete: count('delete'), total: seen.length}).toEqual(ops);
	});
});

describe('dbarena changes on a database without --cdc', () => {
	it('is a usage error (no_cdc, exit 2) that says why, and leaves nothing on the server', async () => {
		const {name: db, admin} = await createCdc('postgres', '16', false);
		const result = await cli(['changes', db, '--follow', '--json']);
		expect(result.code).toBe(2);
		expect(json<{error: {code: string}}>(result).error.code).toBe('no_cdc');
		expect(result.stderr).toMatch(/^Error: .* was not created with --cdc/);
		expect(await pgQuery(admin, 'SELECT slot_name FROM pg_replication_slots')).toEqual([]);
	});
});
