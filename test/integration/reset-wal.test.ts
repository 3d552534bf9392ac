import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Login, pgQuery} from '../helpers/docker.js';
import {insertedValues, streamFrom} from '../helpers/replication.js';
import {buildCli, cli, docker, json, removeAll, uniqueName} from './cli-helpers.js';

// A CDC connector stores the WAL position it has processed and, when its slot is gone, creates
// it again and resumes from that position. A reset must never leave the new server's WAL behind
// such a position: the server would skip every change until its WAL caught up, without a word.

type ResetJson = {
	containers: Array<{name: string}>;
	droppedSlots: Array<{name: string; type: string | null; plugin: string | null; database: string | null}>;
	walPosition: {before: string | null; after: string | null; carried: boolean; reason?: string} | null;
};

const names: string[] = [];

beforeAll(async () => {
	await buildCli();
});

afterAll(async () => {
	await removeAll(names);
});

/**
 * A port away from the ranges other suites pick from (5432 and up): while a container below is
 * stopped its port is free on the host, and a create elsewhere could take it before the reset.
 */
async function quietPort(): Promise<string> {
	const {default: getPort, portNumbers} = await import('get-port');
	const from = 20_000 + Math.floor(Math.random() * 9000);
	return String(await getPort({port: portNumbers(from, from + 999), host: '127.0.0.1'}));
}

async function createPostgres(version: string, cdc = true): Promise<{name: string; admin: Login; replicator: Login}> {
	const name = uniqueName(`wal${version}`);
	names.push(name);
	const flags = ['--version', version, ...(cdc ? ['--cdc'] : []), '--name', name, '--port', await quietPort(), '--json'];
	const created = await cli(['create', 'postgres', ...flags]);
	expect(created.code, created.stderr).toBe(0);
	const [container] = json<{containers: Array<{connection: Login; cdc?: {user: string; password: string}}>}>(created).containers;
	const admin = container!.connection;
	return {name, admin, replicator: container!.cdc ? {...admin, user: container!.cdc.user, password: container!.cdc.password} : admin};
}

/** Work the old server did after the connector's last change: whole WAL segments of it. */
async function moreWork(admin: Login): Promise<void> {
	for (let segment = 0; segment < 3; segment++) await pgQuery(admin, "SELECT pg_logical_emit_message(false, 'test', 'work'), pg_switch_wal()");
}

const currentLsn = async (login: Login) => (await pgQuery<{lsn: string}>(login, 'SELECT pg_current_wal_lsn()::text AS lsn'))[0]!.lsn;
const isAfter = async (login: Login, a: string, b: string) =>
	(await pgQuery<{after: boolean}>(login, 'SELECT $1::pg_lsn > $2::pg_lsn AS after', [a, b]))[0]!.after;

const pgoutput = {proto_version: '1', publication_names: 'dbarena_cdc'};
const insertOf = (item: string) => (changes: Array<{data: Buffer}>) => changes.some(change => insertedValues(change.data)?.includes(item));

describe('reset and a CDC connector’s stored WAL position', () => {
	it('a connector resuming from its stored position gets the new server’s changes; --json names the dropped slot', async () => {
		const {name, admin, replicator} = await createPostgres('16');
		await pgQuery(admin, 'CREATE TABLE orders (id int PRIMARY KEY, item text)');
		await pgQuery(replicator, "SELECT pg_create_logical_replication_slot('orders_slot', 'pgoutput')");
		await pgQuery(admin, "INSERT INTO orders VALUES (1, 'apple')");
		const before = await streamFrom(replicator, 'orders_slot', '0/0', {plugin: pgoutput, done: insertOf('apple'), timeoutMs: 10_000});
		expect(before.some(change => insertedValues(change.data)?.includes('apple'))).toBe(true);
		await moreWork(admin);
		// The connector has kept up (keepalives carry the server's position): this is what it stores.
		const stored = await currentLsn(admin);

		const reset = await cli(['reset', name, '--yes', '--json']);
		expect(reset.code, reset.stderr).toBe(0);

		// The connector's schema and slot come back as it would make them, then a new change.
		await pgQuery(admin, 'CREATE TABLE orders (id int PRIMARY KEY, item text)');
		await pgQuery(replicator, "SELECT pg_create_logical_replication_slot('orders_slot', 'pgoutput')");
		await pgQuery(admin, "INSERT INTO orders VALUES (2, 'pear')");
		const after = await streamFrom(replicator, 'orders_slot', stored, {plugin: pgoutput, done: insertOf('pear'), timeoutMs: 5000});
		expect(
			after.filter(change => insertedValues(change.data)).map(change => insertedValues(change.data)),
			`nothing streamed from ${stored}`,
		).toEqual([['2', 'pear']]);

		const output = json<ResetJson>(reset);
		expect(output.droppedSlots).toEqual([{name: 'orders_slot', type: 'logical', plugin: 'pgoutput', database: 'testdb'}]);
		expect(output.walPosition).toMatchObject({carried: true});
		expect(await isAfter(admin, stored, output.walPosition!.before!)).toBe(false);
		expect(await isAfter(admin, output.walPosition!.after!, output.walPosition!.before!)).toBe(true);
	});

	it('a cleanly stopped container: the position comes from its control file, and the text output says what was dropped', async () => {
		// 18: the data directory layout that moved (PGDATA under /var/lib/postgresql/18/docker).
		const {name, admin, replicator} = await createPostgres('18');
		await pgQuery(replicator, "SELECT pg_create_logical_replication_slot('orders_slot', 'pgoutput')");
		await moreWork(admin);
		const stored = await currentLsn(admin);
		const stopped = await cli(['stop', name]);
		expect(stopped.code, stopped.stderr).toBe(0);

		const reset = await cli(['reset', name, '--yes']);
		expect(reset.code, reset.stderr).toBe(0);
		expect(reset.stdout).toContain('Dropped replication slots: orders_slot (logical)\n');
		const carried = /^WAL position carried over: the old server ended at ([0-9A-F]+\/[0-9A-F]+), the new one is at ([0-9A-F]+\/[0-9A-F]+)\.$/m.exec(
			reset.stdout,
		);
		expect(carried, reset.stdout).not.toBeNull();
		expect(await isAfter(admin, stored, carried![1]!)).toBe(false);
		// Checked on the server itself: anything written from now on lies past the stored position.
		expect(await isAfter(admin, await currentLsn(admin), carried![1]!)).toBe(true);
		expect(carried![2]).toBe(await currentLsn(admin));
	});

	it('a killed container: the position is not known, and the output says so instead of keeping quiet', async () => {
		// Without --cdc, but with a slot a standby could have streamed from: that is reason enough.
		const {name, admin} = await createPostgres('15', false);
		await pgQuery(admin, "SELECT pg_create_physical_replication_slot('standby')");
		await moreWork(admin);
		await docker(['kill', name]);

		const reset = await cli(['reset', name, '--yes', '--json']);
		expect(reset.code, reset.stderr).toBe(0);
		const output = json<ResetJson>(reset);
		expect(output.droppedSlots).toEqual([{name: 'standby', type: 'physical', plugin: null, database: null}]);
		expect(output.walPosition).toEqual({
			before: null,
			after: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) as string,
			carried: false,
			reason: 'the old server did not shut down cleanly, so its last WAL position is not recorded',
		});
	});

	it('a plain container nothing streamed from: its WAL is left where the fresh server starts', async () => {
		const {name, admin} = await createPostgres('14', false);
		await moreWork(admin);
		const old = await currentLsn(admin);

		const reset = await cli(['reset', name, '--yes', '--json']);
		expect(reset.code, reset.stderr).toBe(0);
		expect(json<ResetJson>(reset)).toMatchObject({droppedSlots: [], walPosition: null});
		expect(await isAfter(admin, old, await currentLsn(admin))).toBe(true);
	});
});
