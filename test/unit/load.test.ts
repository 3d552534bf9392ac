import {describe, expect, it, vi} from 'vitest';
import {InvalidValueError} from '../../source/core/errors.js';
import {loadDialects, loadTables} from '../../source/core/load/dialect.js';
import {LiveIds, mixPicker, seededRandom} from '../../source/core/load/mix.js';
import {defaultLoadOptions, parseLoadOptions, type LoadOptions} from '../../source/core/load/options.js';
import {pace, realClock, type Clock} from '../../source/core/load/pacer.js';
import {rowValues} from '../../source/core/load/rows.js';
import {LoadFailedError, runLoad} from '../../source/core/load/run.js';
import type {LoadSession} from '../../source/core/load/session.js';
import {LoadStats, percentile} from '../../source/core/load/stats.js';
import type {ConnectionInfo} from '../../source/core/types.js';

/** Time that moves only by sleeping and by the writes' own (fake) durations. */
function fakeClock(): Clock & {advance(ms: number): void} {
	let now = 0;
	return {
		now: () => now,
		async sleep(ms, signal) {
			if (!signal.aborted) now += ms;
			// Whatever settled meanwhile (a failed write's handler) runs before the sleeper goes on.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		},
		advance(ms) {
			now += ms;
		},
	};
}

const never = new AbortController().signal;

describe('load options', () => {
	it('defaults: 50 writes per second, until stopped, one table, 60:30:10', () => {
		expect(parseLoadOptions({})).toEqual(defaultLoadOptions);
		expect(defaultLoadOptions).toEqual({rate: 50, durationSeconds: undefined, tables: 1, mix: {insert: 60, update: 30, delete: 10}});
		expect(parseLoadOptions({rate: '100', duration: '2.5', tables: '3', mix: '1:0:0'})).toEqual({
			rate: 100,
			durationSeconds: 2.5,
			tables: 3,
			mix: {insert: 1, update: 0, delete: 0},
		});
	});

	it.each([
		[{rate: '0'}, 'invalid_rate', 'Invalid rate "0"'],
		[{rate: 'fast'}, 'invalid_rate', 'Invalid rate "fast"'],
		[{rate: '-5'}, 'invalid_rate', 'Invalid rate "-5"'],
		[{rate: '10001'}, 'invalid_rate', 'from 1 to 10000'],
		[{duration: '0'}, 'invalid_duration', 'Invalid duration "0"'],
		[{duration: '1h'}, 'invalid_duration', 'Invalid duration "1h"'],
		[{duration: '86401'}, 'invalid_duration', 'at most 86400'],
		[{tables: '0'}, 'invalid_tables', 'Invalid number of tables "0"'],
		[{tables: '1.5'}, 'invalid_tables', 'whole number'],
		[{tables: '101'}, 'invalid_tables', 'from 1 to 100'],
		[{mix: '60:30'}, 'invalid_mix', 'Invalid mix "60:30"'],
		[{mix: '60:30:x'}, 'invalid_mix', 'three whole numbers'],
		[{mix: '0:0:0'}, 'invalid_mix', 'not all 0'],
		[{mix: '6:-1:1'}, 'invalid_mix', 'Invalid mix'],
	] as const)('%o is refused with %s', (input, code, words) => {
		let thrown: unknown;
		try {
			parseLoadOptions(input);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(InvalidValueError);
		expect((thrown as InvalidValueError).code).toBe(code);
		expect((thrown as InvalidValueError).message).toContain(words);
	});
});

describe('the mix', () => {
	it('60:30:10 is exactly 6 inserts, 3 updates and 1 delete in every 10 writes, spread out', () => {
		const next = mixPicker({insert: 60, update: 30, delete: 10});
		for (let cycle = 0; cycle < 5; cycle++) {
			const kinds = Array.from({length: 10}, next);
			expect(kinds.filter(kind => kind === 'insert')).toHaveLength(6);
			expect(kinds.filter(kind => kind === 'update')).toHaveLength(3);
			expect(kinds.filter(kind => kind === 'delete')).toHaveLength(1);
			// Spread: never more than two inserts in a row.
			expect(kinds.join(',')).not.toMatch(/insert,insert,insert/);
		}
	});

	it('a weight of 0 never comes up', () => {
		const next = mixPicker({insert: 1, update: 0, delete: 0});
		expect(new Set(Array.from({length: 50}, next))).toEqual(new Set(['insert']));
	});

	it('live ids: add, pick only what is there, delete in any order', () => {
		const ids = new LiveIds();
		const random = seededRandom(7);
		expect(ids.pick(random)).toBeUndefined();
		for (const id of [10, 11, 12, 13]) ids.add(id);
		ids.add(12);
		expect(ids.size).toBe(4);
		ids.delete(11);
		ids.delete(99);
		ids.delete(13);
		expect(ids.size).toBe(2);
		const picked = new Set(Array.from({length: 50}, () => ids.pick(random)));
		expect(picked).toEqual(new Set([10, 12]));
	});
});

describe('stats', () => {
	it('nearest-rank percentiles, and the commit latency summary', () => {
		const sorted = Array.from({length: 100}, (_, index) => index + 1);
		expect(percentile(sorted, 50)).toBe(50);
		expect(percentile(sorted, 99)).toBe(99);
		expect(percentile([5], 99)).toBe(5);
		const stats = new LoadStats();
		expect(stats.latency()).toBeUndefined();
		for (const [kind, ms] of [
			['insert', 3],
			['update', 1],
			['delete', 2],
			['insert', 40],
		] as const)
			stats.record(kind, ms);
		expect(stats.ops).toEqual({insert: 2, update: 1, delete: 1});
		expect(stats.total).toBe(4);
		expect(stats.latency()).toEqual({p50: 2, p99: 40, max: 40});
	});
});

describe('pacing on a schedule', () => {
	it('write k starts at k / rate even though each write takes time (no drift), and the rate is over the whole duration', async () => {
		const clock = fakeClock();
		const starts: number[] = [];
		const result = await pace({rate: 100, durationMs: 5000, signal: never, clock}, async () => {
			starts.push(clock.now());
			clock.advance(3);
		});
		expect(result).toEqual({ops: 500, elapsedMs: 5000, skipped: 0, ended: 'duration'});
		expect(starts.slice(0, 4)).toEqual([0, 10, 20, 30]);
		expect(starts.at(-1)).toBeCloseTo(4990, 6);
	});

	it('writes slower than the interval overlap (up to the concurrency) and keep the rate', async () => {
		// Writes that overlap need time that passes for all of them at once: the fake timers.
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'performance']});
		let running = 0;
		let most = 0;
		const pacing = pace({rate: 100, durationMs: 2000, signal: never, clock: realClock, concurrency: 4}, async () => {
			running++;
			most = Math.max(most, running);
			// Each write takes 25 ms: one connection alone could only do 40 per second.
			await realClock.sleep(25, never);
			running--;
		});
		await vi.runAllTimersAsync();
		const result = await pacing;
		vi.useRealTimers();
		expect(result.ops).toBe(200);
		// The last write is due at 1990 ms and takes 25: the run ends when it has.
		expect(result.elapsedMs).toBe(2015);
		expect(result.skipped).toBe(0);
		expect(most).toBeGreaterThan(1);
		expect(most).toBeLessThanOrEqual(4);
	});

	it('falling more than a second behind gives up the missed slots instead of a burst, and says so', async () => {
		const clock = fakeClock();
		let writes = 0;
		const result = await pace({rate: 100, durationMs: 5000, signal: never, clock}, async () => {
			writes++;
			// The server stalls for 3 s at the tenth write.
			clock.advance(writes === 10 ? 3000 : 1);
		});
		expect(result.skipped).toBeGreaterThan(200);
		expect(result.ops + result.skipped).toBeGreaterThanOrEqual(499);
		expect(result.ops).toBeLessThan(300);
	});

	it('stops when the signal aborts, with the time up to then', async () => {
		const clock = fakeClock();
		const controller = new AbortController();
		const result = await pace({rate: 50, durationMs: undefined, signal: controller.signal, clock}, async index => {
			clock.advance(1);
			if (index === 99) controller.abort();
		});
		expect(result.ended).toBe('stopped');
		expect(result.ops).toBe(100);
		expect(result.elapsedMs).toBe(99 * 20 + 1);
	});

	it('the first failed write ends it with that error', async () => {
		const clock = fakeClock();
		await expect(
			pace({rate: 100, durationMs: 5000, signal: never, clock}, async index => {
				if (index === 7) throw new Error('Connection terminated unexpectedly');
			}),
		).rejects.toThrow('Connection terminated unexpectedly');
	});

	it('on the real clock, 200 per second for 1 s is 200 writes within 5 %', async () => {
		const started = performance.now();
		const result = await pace({rate: 200, durationMs: 1000, signal: never, clock: realClock}, async () => {});
		const rate = result.ops / (result.elapsedMs / 1000);
		expect(result.ops).toBe(200);
		expect(Math.abs(rate - 200)).toBeLessThanOrEqual(10);
		expect(performance.now() - started).toBeLessThan(1500);
	});
});

/** A database table in memory behind the LoadSession interface, counting what reached it. */
function fakeSession(options: {failAt?: number; preexisting?: number[]} = {}) {
	const rows = new Map<string, Set<number>>();
	const statements: string[] = [];
	let nextId = 1000;
	let writes = 0;
	let closed = 0;
	const session: LoadSession = {
		async write({text, params}) {
			writes++;
			if (writes === options.failAt) throw new Error('Connection terminated unexpectedly');
			statements.push(text);
			const table = /(dbarena_load_\d+)/.exec(text)![1]!;
			const ids = rows.get(table)!;
			if (text.startsWith('INSERT')) {
				ids.add(++nextId);
				return {id: nextId, affected: 1};
			}
			const id = params.at(-1) as number;
			const affected = ids.has(id) ? 1 : 0;
			if (text.startsWith('DELETE')) ids.delete(id);
			return {id: undefined, affected};
		},
		async rows(sql) {
			const table = /(dbarena_load_\d+)/.exec(sql)![1]!;
			if (sql.startsWith('CREATE')) rows.set(table, rows.get(table) ?? new Set(table === 'dbarena_load_1' ? options.preexisting : []));
			return sql.startsWith('SELECT') ? [...rows.get(table)!].map(id => ({id})) : [];
		},
		async close() {
			closed++;
		},
	};
	return {session, rows, statements, closed: () => closed};
}

const connection: ConnectionInfo = {host: '127.0.0.1', port: 5432, user: 'postgres', password: 'dbarena', database: 'testdb', url: 'postgresql://x'};
const options = (overrides: Partial<LoadOptions> = {}): LoadOptions => ({...defaultLoadOptions, durationSeconds: 2, rate: 100, ...overrides});

describe('runLoad', () => {
	it('makes its tables, writes the mix at the rate, and updates and deletes only rows that are there', async () => {
		const fake = fakeSession();
		const summary = await runLoad({
			database: 'postgres',
			connection,
			options: options({tables: 2}),
			signal: never,
			clock: fakeClock(),
			seed: 1,
			openSession: async () => fake.session,
		});
		expect(summary).toMatchObject({
			database: 'postgres',
			tables: ['dbarena_load_1', 'dbarena_load_2'],
			rate: 100,
			durationSeconds: 2,
			ops: {total: 200},
			elapsedSeconds: 2,
			achievedRate: 100,
			skipped: 0,
			ended: 'duration',
		});
		// The first write of each table has nothing to update: it is an insert; after that the mix holds.
		expect(summary.ops.insert).toBeGreaterThanOrEqual(120);
		expect(summary.ops.insert).toBeLessThanOrEqual(122);
		expect(summary.ops.delete).toBe(20);
		// Every update and delete found its row: none picked a row that was not there.
		const live = [...fake.rows.values()].reduce((sum, ids) => sum + ids.size, 0);
		expect(live).toBe(summary.ops.insert - summary.ops.delete);
		expect(fake.closed()).toBe(1);
	});

	it('a load on an existing table updates and deletes its rows from the first write', async () => {
		const fake = fakeSession({preexisting: [1, 2, 3]});
		const summary = await runLoad({
			database: 'mysql',
			connection,
			options: options({mix: {insert: 0, update: 1, delete: 1}, durationSeconds: 0.03}),
			signal: never,
			clock: fakeClock(),
			seed: 3,
			openSession: async () => fake.session,
		});
		expect(summary.ops).toEqual({insert: 0, update: 2, delete: 1, total: 3});
		expect(fake.rows.get('dbarena_load_1')!.size).toBe(2);
	});

	it('a write that fails ends the load with what it did so far', async () => {
		const fake = fakeSession({failAt: 51});
		const failure = await runLoad({
			database: 'mariadb',
			connection,
			options: options(),
			signal: never,
			clock: fakeClock(),
			openSession: async () => fake.session,
		}).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(LoadFailedError);
		expect((failure as LoadFailedError).message).toBe('The load stopped after 50 writes: Connection terminated unexpectedly');
		expect((failure as LoadFailedError).summary).toMatchObject({ended: 'failed', ops: {total: 50}});
		expect(fake.closed()).toBe(1);
	});

	it('SQL Server has no driver here: unsupported, before anything is written', async () => {
		await expect(runLoad({database: 'sqlserver', connection, options: options(), signal: never})).rejects.toMatchObject({code: 'unsupported'});
	});
});

describe('the dialects', () => {
	const row = rowValues(5, Date.UTC(2026, 0, 2, 3, 4, 5, 678));

	it('rows carry microseconds, exact decimals, big integers, JSON, unicode and NULLs', () => {
		expect(row.happenedAt).toEqual({iso: '2026-01-02T03:04:05.678005+00:00', wall: '2026-01-02 03:04:05.678005'});
		const many = Array.from({length: 200}, (_, n) => rowValues(n, 0));
		for (const column of ['amount', 'big', 'payload', 'note'] as const) expect(many.some(each => each[column] === null)).toBe(true);
		expect(many.some(each => each.big === '9007199254740993')).toBe(true);
		expect(many.some(each => each.note?.includes('🚀'))).toBe(true);
		expect(many.filter(each => each.amount !== null).every(each => /^-?\d+\.\d{4}$/.test(each.amount!))).toBe(true);
	});

	it.each(['postgres', 'mysql', 'sqlserver'] as const)('%s: every statement has as many placeholders as parameters', kind => {
		const dialect = loadDialects[kind];
		const placeholders = (text: string) => (kind === 'mysql' ? (text.match(/\?/g) ?? []).length : new Set(text.match(/[$@]p?\d+/g)).size);
		for (const statement of [dialect.insert('dbarena_load_1', row), dialect.update('dbarena_load_1', 7, row), dialect.remove('dbarena_load_1', 7)]) {
			expect(placeholders(statement.text)).toBe(statement.params.length);
		}
	});

	it('each engine gets the types connectors mishandle, in its own dialect', () => {
		expect(loadDialects.postgres.createTable('t')).toMatch(/numeric\(14,4\).*bigint.*timestamptz\(6\).*jsonb.*text/);
		expect(loadDialects.mysql.createTable('t')).toMatch(/DECIMAL\(14,4\).*BIGINT.*DATETIME\(6\).*JSON.*utf8mb4/);
		expect(loadDialects.sqlserver.createTable('t')).toMatch(
			/^IF OBJECT_ID\(N'dbo\.t', N'U'\) IS NULL CREATE TABLE dbo\.t .*decimal\(14,4\).*datetimeoffset\(6\).*ISJSON/,
		);
		expect(loadDialects.sqlserver.insert('t', row).text).toContain('OUTPUT INSERTED.id VALUES (@p1, @p2, @p3, @p4, @p5)');
		expect(loadDialects.sqlserver.selectIds('t', 10)).toBe('SELECT TOP (10) id FROM dbo.t ORDER BY id DESC');
		expect(loadTables(3)).toEqual(['dbarena_load_1', 'dbarena_load_2', 'dbarena_load_3']);
	});
});
