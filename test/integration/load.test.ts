import {beforeAll, describe, expect, it} from 'vitest';
import type {LoadSummary} from '../../source/core/load/run.js';
import {createFrom} from '../helpers/create-from.js';
import {testArena} from '../helpers/arena.js';
import {mysqlQuery, pgQuery, type Login} from '../helpers/docker.js';
import {buildCli, cli, docker, json, startCli} from './cli-helpers.js';

const {manager, name} = testArena('load');

type Summary = LoadSummary & {name: string};

beforeAll(async () => {
	await buildCli();
}, 180_000);

/** The rows the load left in its table, counted from the host with the real driver. */
async function liveRows(database: 'postgres' | 'mariadb', login: Login): Promise<number> {
	const sql = 'SELECT COUNT(*) AS n FROM dbarena_load_1';
	const [row] = database === 'postgres' ? await pgQuery<{n: string}>(login, sql) : await mysqlQuery<{n: number}>(login, sql);
	return Number(row!.n);
}

describe('dbarena load', () => {
	it.each([
		['postgres', '18'],
		['mariadb', '11.8'],
	] as const)(
		'%s %s: --rate 100 --duration 5 achieves 100 ± 5 writes per second, and the rows are in the database',
		async (database, version) => {
			const created = await createFrom(manager, {database, version, name: name(database)});
			const result = await cli(['load', created.container.name, '--rate', '100', '--duration', '5', '--json']);
			expect(result.code, result.stderr).toBe(0);
			const summary = json<Summary>(result);
			expect(summary).toMatchObject({name: created.container.name, database, tables: ['dbarena_load_1'], rate: 100, durationSeconds: 5, ended: 'duration'});
			expect(summary.achievedRate).toBeGreaterThanOrEqual(95);
			expect(summary.achievedRate).toBeLessThanOrEqual(105);
			expect(summary.ops.total).toBe(summary.ops.insert + summary.ops.update + summary.ops.delete);
			// 60:30:10 (the first write had nothing to update: an insert).
			expect(summary.ops.delete).toBeGreaterThanOrEqual(Math.floor(summary.ops.total / 10) - 1);
			expect(summary.latencyMs!.p50).toBeGreaterThan(0);
			expect(summary.latencyMs!.p99).toBeGreaterThanOrEqual(summary.latencyMs!.p50);
			expect(summary.latencyMs!.max).toBeGreaterThanOrEqual(summary.latencyMs!.p99);
			expect(await liveRows(database, created.connection)).toBe(summary.ops.insert - summary.ops.delete);
			// No live line and nothing else: one JSON document.
			expect(result.stderr).toBe('');
		},
		60_000,
	);

	it('Ctrl-C mid-run prints the summary and exits 0; a second run goes on with the rows that are there', async () => {
		const created = await createFrom(manager, {database: 'postgres', version: '18', name: name('ctrl-c')});
		const running = startCli(['load', created.container.name, '--rate', '50', '--tables', '2']);
		// Until the writes are reaching the server.
		const deadline = Date.now() + 20_000;
		while (
			(await pgQuery<{n: string}>(created.connection, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'dbarena_load_2'").catch(() => [{n: '0'}]))[0]!
				.n === '0'
		) {
			if (Date.now() > deadline) throw new Error(`load never made its tables: ${running.stderr()}`);
			await new Promise(resolve => setTimeout(resolve, 200));
		}
		await new Promise(resolve => setTimeout(resolve, 1500));
		running.child.kill('SIGINT');
		const result = await running.done;
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(
			/^Load stopped after \d+\.\d s on dbarena_load_1, dbarena_load_2\n {2}writes: {3}(\d+) \((\d+) inserts, (\d+) updates, (\d+) deletes\)\n/,
		);
		const [, total, inserts, , deletes] = /writes: {3}(\d+) \((\d+) inserts, (\d+) updates, (\d+) deletes\)/.exec(result.stdout)!.map(Number);
		expect(total).toBeGreaterThan(50);
		expect(result.stdout).toMatch(/commit: {3}p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms/);
		const [row] = await pgQuery<{n: string}>(created.connection, 'SELECT (SELECT count(*) FROM dbarena_load_1) + (SELECT count(*) FROM dbarena_load_2) AS n');
		expect(Number(row!.n)).toBe(inserts! - deletes!);

		// The tables are there now: a second load starts on them, updating and deleting their rows from the start.
		// (Few deletes: the rows of table 1 must outlast them, or the writes after the last are inserts.)
		const again = await cli(['load', created.container.name, '--rate', '20', '--duration', '1', '--mix', '0:3:1', '--json']);
		expect(again.code, again.stderr).toBe(0);
		const summary = json<Summary>(again);
		expect(summary.ops.insert).toBe(0);
		expect(summary.ops).toEqual({insert: 0, update: 15, delete: 5, total: 20});
	}, 60_000);

	it('a server lost mid-run: exit 1 with what was done so far', async () => {
		const created = await createFrom(manager, {database: 'postgres', version: '18', name: name('lost')});
		const running = startCli(['load', created.container.name, '--rate', '50', '--json']);
		await new Promise(resolve => setTimeout(resolve, 3000));
		await docker(['kill', created.container.name]);
		const result = await running.done;
		expect(result.code).toBe(1);
		const summary = json<Summary & {error: {code: string; exitCode: number}}>(result);
		expect(summary.ended).toBe('failed');
		expect(summary.ops.total).toBeGreaterThan(0);
		expect(summary.error).toMatchObject({code: 'operation_failed', exitCode: 1});
		expect(result.stderr).toMatch(new RegExp(`^Error: The load stopped after ${summary.ops.total} writes: .+\\n$`));
	}, 60_000);

	it('a stopped container or an unknown name: one Error line, exit 2, no tables made', async () => {
		const created = await createFrom(manager, {database: 'postgres', version: '18', name: name('stopped')});
		await manager.stop(created.container.name);
		const stopped = await cli(['load', created.container.name, '--duration', '1']);
		expect(stopped.code).toBe(2);
		expect(stopped.stderr).toBe(
			`Error: ${created.container.name} is not running; start it first ("dbarena start ${created.container.name}") to write to it.\n`,
		);
		expect(stopped.stdout).toBe('');
		const unknown = await cli(['load', `${created.container.name}-nope`, '--duration', '1', '--json']);
		expect(unknown.code).toBe(2);
		expect(json<{error: {code: string}}>(unknown).error.code).toBe('not_found');
		const started = await manager.start(created.container.name);
		expect(await pgQuery(started.container.connection!, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'dbarena_load%'")).toEqual([]);
	}, 60_000);
});
