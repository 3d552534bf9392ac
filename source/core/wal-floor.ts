import {readFiles} from './docker/archive.js';
import {inspectContainer, unpauseContainer} from './docker/containers.js';
import type {EngineHandle} from './engine-handle.js';
import {formatLsn, parseControlFile, parseLsn, slotKind} from './pg-files.js';
import {presets} from './presets/catalog.js';
import {withSession, type Query} from './sessions.js';
import type {ConnectionInfo, ManagedContainer, ProgressListener} from './types.js';

/**
 * A reset must never leave PostgreSQL's WAL behind where the old server's was. A CDC connector
 * stores the position it has processed and, finding its slot gone, creates it again and resumes
 * from that position: a server whose WAL is behind it skips every change until the WAL catches
 * up, without an error. So before the old container goes, its last position and its replication
 * slots are read; once the new server is ready its WAL is moved past that position.
 */

/** A replication slot that went with the old data. From a stopped server's files only the name and kind are known. */
export type DroppedSlot = {name: string; type: 'logical' | 'physical' | null; plugin: string | null; database: string | null};

/** Where the old server's WAL ended and the new one's is; `carried` when the new one is past the old. */
export type WalPosition = {before: string | null; after: string | null; carried: boolean; reason?: string};

export type OldServerWal = {lsn: string | null; reason?: string; slots: DroppedSlot[]};

/** Slot state files are a few hundred bytes each and a server has at most max_replication_slots of them. */
const readLimitBytes = 4 * 1024 * 1024;

/**
 * How far past the old position the new WAL must be: a clean shutdown's checkpoint record starts
 * at the position pg_control gives and is far shorter than one WAL page (8 KiB), and a connector
 * may have confirmed its end.
 */
const marginBytes = 8192n;

/** Steps per statement: between statements a checkpoint lets the segment files written be reused. */
const stepsPerRound = 4;

export async function readOldServerWal(handle: EngineHandle, container: ManagedContainer): Promise<OldServerWal> {
	// A paused server answers nothing; it is about to be removed, so letting it run costs nothing.
	if (container.state === 'paused') await unpauseContainer(handle.docker, container.id).catch(() => undefined);
	const running = container.state === 'running' || container.state === 'paused';
	if (running && container.connection) {
		try {
			return await withSession('postgres', await handle.reachable(container.connection), readFromServer);
		} catch (error) {
			const files = await readFromFiles(handle, container);
			return {...files, lsn: null, reason: `the old server did not answer (${firstLine(error)})`};
		}
	}
	return readFromFiles(handle, container);
}

async function readFromServer(query: Query): Promise<OldServerWal> {
	// The insert position, not the flushed one: nothing a connector saw can lie beyond it.
	const [position] = await query('SELECT pg_current_wal_insert_lsn()::text AS lsn');
	const slots = await query('SELECT slot_name, slot_type, plugin, database FROM pg_replication_slots ORDER BY slot_name');
	return {
		lsn: String(position!['lsn']),
		slots: slots.map(row => ({
			name: String(row['slot_name']),
			type: row['slot_type'] === 'physical' ? 'physical' : 'logical',
			plugin: typeof row['plugin'] === 'string' ? row['plugin'] : null,
			database: typeof row['database'] === 'string' ? row['database'] : null,
		})),
	};
}

/**
 * A stopped server cannot be asked, but its control file names its last checkpoint: after a clean
 * shutdown that checkpoint is the end of its WAL. After a kill, WAL may follow it that only the
 * server's recovery would find, so the position is then not known, and said to be.
 */
async function readFromFiles(handle: EngineHandle, container: ManagedContainer): Promise<OldServerWal> {
	try {
		const dataDir = await dataDirectory(handle, container);
		const control = parseControlFile(onlyFile(await readFiles(handle.docker, container.id, `${dataDir}/global/pg_control`, readLimitBytes)));
		const slotFiles = await readFiles(handle.docker, container.id, `${dataDir}/pg_replslot`, readLimitBytes);
		const slots = [...slotFiles]
			.map(([file, state]) => ({match: /^pg_replslot\/([^/]+)\/state$/.exec(file), state}))
			.filter(({match}) => match !== null)
			.map(({match, state}) => ({name: match![1]!, type: slotKind(state), plugin: null, database: null}))
			.sort((a, b) => a.name.localeCompare(b.name));
		if (!control.cleanShutdown) return {lsn: null, reason: 'the old server did not shut down cleanly, so its last WAL position is not recorded', slots};
		return {lsn: control.checkPoint, slots};
	} catch (error) {
		return {lsn: null, reason: `the old server's data could not be read (${firstLine(error)})`, slots: []};
	}
}

async function dataDirectory(handle: EngineHandle, container: ManagedContainer): Promise<string> {
	const info = await inspectContainer(handle.docker, container.id);
	const fromEnv = info?.Config.Env?.find(entry => entry.startsWith('PGDATA='))?.slice('PGDATA='.length);
	return fromEnv || presets.postgres.dataDir(container.version);
}

function onlyFile(files: Map<string, Buffer>): Buffer {
	const [first] = files.values();
	if (!first) throw new Error('pg_control is missing');
	return first;
}

/**
 * Move the new server's WAL past the old position, from SQL alone (pg_resetwal, which could set
 * it directly, is not in every image and needs the server stopped). pg_switch_wal ends the current
 * segment (16 MiB); it does nothing when nothing was written since the last switch, hence the
 * message before each. In the segment that holds the target a message just long enough lands
 * past it instead: filling that segment up would carry up to 16 MiB more into every later reset's
 * gap. Segment files are created without zero-filling them first, and a checkpoint between rounds
 * of a few steps lets their files be reused, so the data directory does not grow. Each byte of the gap is
 * still written once (about 1.5 s per GiB): nothing in SQL moves the position without writing.
 * A signal stops the moving (the database is there and ready either way), and it is said so.
 */
export async function carryWalPast(
	connection: ConnectionInfo,
	old: OldServerWal,
	operation: {name: string; signal?: AbortSignal; onProgress?: ProgressListener},
): Promise<WalPosition> {
	const before = old.lsn;
	try {
		return await withSession('postgres', connection, async query => {
			const current = async () => String((await query('SELECT pg_current_wal_insert_lsn()::text AS lsn'))[0]!['lsn']);
			if (before === null) return {before, after: await current(), carried: false, ...(old.reason ? {reason: old.reason} : {})};
			const floor = formatLsn(parseLsn(before) + marginBytes);
			let after = await current();
			if (parseLsn(after) > parseLsn(floor)) return {before, after, carried: true};
			const began = Date.now();
			operation.onProgress?.({type: 'wal-advance', name: operation.name, past: before});
			// Only a superuser may set it; without it new segments are zero-filled first, which is slower, not wrong.
			await query('SET wal_init_zero = off').catch(() => undefined);
			while (parseLsn(after) <= parseLsn(floor)) {
				if (operation.signal?.aborted) return {before, after, carried: false, reason: 'interrupted while moving the WAL position'};
				await query(advanceStatement(floor));
				after = await current();
				// Only between rounds: a last round's few segments are reused after the next routine checkpoint.
				if (parseLsn(after) <= parseLsn(floor)) await query('CHECKPOINT');
			}
			operation.onProgress?.({type: 'wal-advanced', name: operation.name, past: before, ms: Date.now() - began});
			return {before, after, carried: true};
		});
	} catch (error) {
		return {before, after: null, carried: false, reason: `the new server's WAL position could not be moved (${firstLine(error)})`};
	}
}

/** Up to a few steps towards `floor` (a formatted, so safely quoted, position); see carryWalPast. */
function advanceStatement(floor: string): string {
	return `DO $dbarena$
DECLARE
	segment numeric := (SELECT setting::numeric FROM pg_settings WHERE name = 'wal_segment_size');
	target numeric := '${floor}'::pg_lsn - '0/0'::pg_lsn;
	here numeric;
BEGIN
	FOR i IN 1..${stepsPerRound} LOOP
		here := pg_current_wal_insert_lsn() - '0/0'::pg_lsn;
		EXIT WHEN here > target;
		IF target < (floor(here / segment) + 1) * segment THEN
			PERFORM pg_logical_emit_message(false, 'dbarena', repeat('x', (target - here)::int + 1));
		ELSE
			PERFORM pg_logical_emit_message(false, 'dbarena', 'reset');
			PERFORM pg_switch_wal();
		END IF;
	END LOOP;
END $dbarena$`;
}

function firstLine(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** "orders_slot (pgoutput), standby (physical)": the words both faces use for dropped slots. */
export function describeSlots(slots: readonly DroppedSlot[]): string {
	return slots
		.map(slot => {
			const kind = slot.plugin ?? slot.type;
			return kind ? `${slot.name} (${kind})` : slot.name;
		})
		.join(', ');
}
