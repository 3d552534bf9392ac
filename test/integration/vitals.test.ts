import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mysqlQuery, pgQuery, type Login} from '../helpers/docker.js';
import {buildCli, cli, docker, json, uniqueName} from './cli-helpers.js';

/**
 * The database's own vitals in `inspect` (issue 18, item 4), read from real servers through the
 * built CLI: after a slot and a table with rows were made from the host, inspect --json shows the
 * slot and the WAL it holds (PostgreSQL), the binlog position, GTID set and size (MariaDB, MySQL),
 * a database size above zero and at least one connection (its own).
 */
const names: string[] = [];
const track = (prefix: string) => {
	const name = uniqueName(prefix);
	names.push(name);
	return name;
};

type Created = {containers: Array<{connection: Login}>};
type Slot = {name: string; plugin: string; active: boolean; retainedWalBytes: number | null; walStatus: string | null};
type Inspected = {
	vitals: {
		connections: {active: number; idle: number; max: number};
		commits: number;
		commitsPerSecond: null;
		cacheHitRatio: number | null;
		databaseBytes: number;
		slots?: Slot[];
		binlog?: {file: string; position: number; gtidSet: string; totalBytes: number} | null;
		disk?: {path: string; usedBytes: number; sizeBytes: number} | null;
	} | null;
	vitalsError: string | null;
};

async function create(args: string[]): Promise<Login> {
	const result = await cli(['create', ...args, '--json']);
	expect(result.code, result.stderr).toBe(0);
	return json<Created>(result).containers[0]!.connection;
}

async function inspect(name: string): Promise<Inspected> {
	const result = await cli(['inspect', name, '--json']);
	expect(result.code, result.stderr).toBe(0);
	return json<Inspected>(result);
}

beforeAll(async () => {
	await buildCli();
}, 180_000);

afterAll(async () => {
	await docker(['rm', '-f', '-v', ...names]).catch(() => '');
});

describe('inspect shows the vitals of a real PostgreSQL', () => {
	const db = track('vitals-pg');
	let login: Login;
	beforeAll(async () => {
		login = await create(['postgres', '--version', '16', '--name', db, '--cdc']);
		await pgQuery({...login, user: 'cdc'}, "SELECT pg_create_logical_replication_slot('vitals_slot', 'test_decoding')");
		// Written after the slot: WAL the inactive slot now holds.
		await pgQuery(login, 'CREATE TABLE orders (id int PRIMARY KEY, item text)');
		await pgQuery(login, "INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 5000) g");
	}, 120_000);

	it('connections, size, the inactive slot holding WAL, and the data directory’s filesystem', async () => {
		const {vitals, vitalsError} = await inspect(db);
		expect(vitalsError).toBeNull();
		expect(vitals).not.toBeNull();
		expect(vitals!.connections.active).toBeGreaterThanOrEqual(1);
		expect(vitals!.connections.max).toBe(100);
		expect(vitals!.databaseBytes).toBeGreaterThan(0);
		expect(vitals!.commits).toBeGreaterThan(0);
		// One sample only: the rate needs two.
		expect(vitals!.commitsPerSecond).toBeNull();
		const slot = vitals!.slots?.find(each => each.name === 'vitals_slot');
		expect(slot).toMatchObject({plugin: 'test_decoding', active: false, walStatus: 'reserved'});
		expect(slot!.retainedWalBytes).toBeGreaterThan(100_000);
		expect(vitals!.disk?.sizeBytes).toBeGreaterThan(0);
		expect(vitals!.disk?.usedBytes).toBeGreaterThan(0);
	});

	it('says the same in words', async () => {
		const result = await cli(['inspect', db]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^Sessions: +\d+ active · \d+ idle · max 100$/m);
		expect(result.stdout).toMatch(/^WAL held: +vitals_slot · [\d.]+ (KiB|MiB) · INACTIVE test_decoding$/m);
		expect(result.stdout).toMatch(/^Commits: +- \/s /m);
	});
});

describe('inspect shows the vitals of a real MariaDB', () => {
	const db = track('vitals-maria');
	let login: Login;
	beforeAll(async () => {
		login = await create(['mariadb', '--version', '11.8', '--name', db, '--cdc']);
		await mysqlQuery(login, 'CREATE TABLE orders (id int PRIMARY KEY, item text)');
		await mysqlQuery(login, "INSERT INTO orders VALUES (1, 'one'), (2, 'two'), (3, 'three')");
	}, 120_000);

	it('the binlog position, the GTID set, the binlogs’ size, connections and size', async () => {
		const {vitals, vitalsError} = await inspect(db);
		expect(vitalsError).toBeNull();
		expect(vitals!.connections.active).toBeGreaterThanOrEqual(1);
		expect(vitals!.databaseBytes).toBeGreaterThan(0);
		expect(vitals!.slots).toBeUndefined();
		const binlog = vitals!.binlog!;
		expect(binlog.file).toMatch(/\.\d{6}$/);
		expect(binlog.position).toBeGreaterThan(0);
		// domain-server-sequence: the two writes above at least.
		expect(binlog.gtidSet).toMatch(/^\d+-\d+-\d+/);
		expect(Number(binlog.gtidSet.split('-')[2])).toBeGreaterThanOrEqual(2);
		expect(binlog.totalBytes).toBeGreaterThanOrEqual(binlog.position);
	});
});

describe('inspect shows the vitals of a real MySQL 8.4 (SHOW BINARY LOG STATUS)', () => {
	const db = track('vitals-mysql');
	let login: Login;
	beforeAll(async () => {
		login = await create(['mysql', '--version', '8.4', '--name', db, '--cdc']);
		await mysqlQuery(login, 'CREATE TABLE orders (id int PRIMARY KEY, item text)');
		await mysqlQuery(login, "INSERT INTO orders VALUES (1, 'one'), (2, 'two')");
	}, 180_000);

	it('the binlog position and gtid_executed', async () => {
		const {vitals, vitalsError} = await inspect(db);
		expect(vitalsError).toBeNull();
		expect(vitals!.connections.active).toBeGreaterThanOrEqual(1);
		const binlog = vitals!.binlog!;
		expect(binlog.position).toBeGreaterThan(0);
		expect(binlog.gtidSet).toMatch(/^[0-9a-f-]{36}:1-\d+/);
		expect(binlog.totalBytes).toBeGreaterThanOrEqual(binlog.position);
	});
});
