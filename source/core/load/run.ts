import {OperationError, UsageError} from '../errors.js';
import {presets} from '../presets/catalog.js';
import type {ConnectionInfo, DatabaseKind} from '../types.js';
import {loadDialects, loadTables} from './dialect.js';
import {LiveIds, mixPicker, seededRandom} from './mix.js';
import type {Mix, LoadOptions, OpKind} from './options.js';
import {pace, realClock, type Clock} from './pacer.js';
import {rowValues} from './rows.js';
import {openLoadSession, type LoadSession} from './session.js';
import {achievedRate, LoadStats, type LatencySummary} from './stats.js';

/** How a load is going, a few times a second. */
export type LoadProgress = {ops: number; elapsedMs: number; achievedRate: number};

export type LoadSummary = {
	database: DatabaseKind;
	tables: string[];
	/** What was asked for. */
	rate: number;
	durationSeconds: number | null;
	mix: Mix;
	/** What was done. */
	ops: Record<OpKind, number> & {total: number};
	elapsedSeconds: number;
	achievedRate: number;
	/** Slots given up because the writes fell more than a second behind the schedule. */
	skipped: number;
	/** Each write's commit, in milliseconds; null before the first. */
	latencyMs: LatencySummary | null;
	/** duration: it ran its course; stopped: it was stopped (Ctrl-C, the dashboard); failed: a write failed. */
	ended: 'duration' | 'stopped' | 'failed';
};

/** A load that ended on an error: what it did until then comes with it. */
export class LoadFailedError extends OperationError {
	readonly summary: LoadSummary;
	constructor(message: string, summary: LoadSummary, cause: unknown) {
		super(message, {cause});
		this.summary = summary;
	}
}

export type RunLoadInput = {
	database: DatabaseKind;
	/** Where a client on this machine logs in (EngineHandle.reachable), with the container's own credentials. */
	connection: ConnectionInfo;
	options: LoadOptions;
	signal: AbortSignal;
	onProgress?: (progress: LoadProgress) => void;
	clock?: Clock;
	/** Which rows updates and deletes pick; fixed in tests. */
	seed?: number;
	/** Tests hand in a fake; otherwise the host driver's session. */
	openSession?: () => Promise<LoadSession>;
};

/** How many existing rows a load on an existing table may pick for its updates and deletes. */
const knownIdsLimit = 100_000;
/** Connections a load may write through at once, opened only when writes fall behind (see pace). */
const maxSessions = 4;
const progressEveryMs = 250;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)) || String(error);

/**
 * Write to the database at a steady rate, in tables of the load's own (made when missing), until
 * the duration is over or `signal` aborts; resolves with what it did. A write that fails (the
 * server went away) ends it with a LoadFailedError that carries the same summary.
 */
export async function runLoad(input: RunLoadInput): Promise<LoadSummary> {
	const {database, connection, options, signal, onProgress, clock = realClock} = input;
	const kind = presets[database].probe;
	if (kind === 'sqlserver') {
		throw new UsageError('load is not available for SQL Server (dbarena has no SQL Server driver); write with "dbarena shell" and sqlcmd.', 'unsupported');
	}
	const dialect = loadDialects[kind];
	const tables = loadTables(options.tables);
	const open = input.openSession ?? (async () => openLoadSession(kind, connection));
	const session = await open().catch((error: unknown) => {
		throw new OperationError(`Could not log in to the database at ${connection.host}:${connection.port}: ${message(error)}`, {cause: error});
	});
	const sessions = [session];
	const free = [session];
	const stats = new LoadStats();
	const random = seededRandom(input.seed ?? Date.now());
	const summary = (elapsedMs: number, skipped: number, ended: LoadSummary['ended']): LoadSummary => ({
		database,
		tables,
		rate: options.rate,
		durationSeconds: options.durationSeconds ?? null,
		mix: options.mix,
		ops: {...stats.ops, total: stats.total},
		elapsedSeconds: Math.round(elapsedMs) / 1000,
		achievedRate: achievedRate(stats.total, elapsedMs),
		skipped,
		latencyMs: stats.latency() ?? null,
		ended,
	});
	try {
		const live = new Map<string, LiveIds>();
		for (const table of tables) {
			await session.rows(dialect.createTable(table));
			const ids = new LiveIds();
			for (const row of await session.rows(dialect.selectIds(table, knownIdsLimit))) ids.add(Number(row['id']));
			live.set(table, ids);
		}
		// Each table its own mix, so every table gets the proportions (not table 1 all the deletes).
		const pickers = new Map(tables.map(table => [table, mixPicker(options.mix)]));
		const startedAt = clock.now();
		let lastProgress = Number.NEGATIVE_INFINITY;
		let result: Awaited<ReturnType<typeof pace>> | undefined;
		try {
			result = await pace(
				{
					rate: options.rate,
					durationMs: options.durationSeconds === undefined ? undefined : options.durationSeconds * 1000,
					signal,
					clock,
					concurrency: maxSessions,
				},
				async index => {
					const table = tables[index % tables.length]!;
					const ids = live.get(table)!;
					let op = pickers.get(table)!();
					const target = op === 'insert' ? undefined : ids.pick(random);
					// Nothing to update or delete yet: the write is an insert instead.
					if (target === undefined) op = 'insert';
					// Gone from the picks at once, so no write beside this one picks it too.
					else if (op === 'delete') ids.delete(target);
					// The table's own count, so each table cycles through every kind of value.
					const row = rowValues(Math.floor(index / tables.length), Date.now());
					const statement =
						op === 'insert' ? dialect.insert(table, row) : op === 'update' ? dialect.update(table, target!, row) : dialect.remove(table, target!);
					const writer = free.pop() ?? sessions[sessions.push(await open()) - 1]!;
					try {
						const began = clock.now();
						const written = await writer.write(statement, op === 'insert' && dialect.insertReturnsRow);
						stats.record(op, clock.now() - began);
						if (op === 'insert' && written.id !== undefined) ids.add(written.id);
						// A row someone else deleted is no longer there to pick.
						if (op === 'update' && written.affected === 0) ids.delete(target!);
					} finally {
						free.push(writer);
					}
				},
				(ops, elapsedMs) => {
					if (elapsedMs - lastProgress < progressEveryMs) return;
					lastProgress = elapsedMs;
					onProgress?.({ops, elapsedMs, achievedRate: achievedRate(ops, elapsedMs)});
				},
			);
		} catch (error) {
			const done = summary(clock.now() - startedAt, 0, 'failed');
			throw new LoadFailedError(`The load stopped after ${done.ops.total} writes: ${message(error)}`, done, error);
		}
		return summary(result.elapsedMs, result.skipped, result.ended === 'duration' ? 'duration' : 'stopped');
	} catch (error) {
		if (error instanceof LoadFailedError) throw error;
		// Before the first write: the tables could not be made or read.
		throw new OperationError(`Could not prepare the load's tables: ${message(error)}`, {cause: error});
	} finally {
		await Promise.all(sessions.map(async each => each.close()));
	}
}
