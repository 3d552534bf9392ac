import {ensureEngine} from './docker/client.js';
import {inspectContainer} from './docker/containers.js';
import {followLogs, type StreamName} from './docker/logs.js';
import {DockerUnavailableError} from './errors.js';
import type {EngineHandle} from './engine-handle.js';
import {findManaged} from './inventory.js';
import type {ManagedContainer} from './types.js';

export type {StreamName};

export type LogFollower = {container: ManagedContainer; stop(): void};

/**
 * When the engine logged a line, as a string that sorts in time order ("seconds.nanoseconds",
 * both zero-padded): the engine's RFC 3339 stamps drop trailing zeros, so they do not sort as text.
 */
export type LogTime = string;

const stampPattern = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z /;

/** The engine's timestamp prefix of a line, read: the time, and the line without it. */
export function splitLogStamp(raw: string): {time?: LogTime; line: string} {
	const match = stampPattern.exec(raw);
	if (!match) return {line: raw};
	const seconds = Date.parse(`${match[1]!}Z`) / 1000;
	return {time: `${String(seconds).padStart(12, '0')}.${(match[2] ?? '').padEnd(9, '0')}`, line: raw.slice(match[0].length)};
}

/**
 * How far a follow got: the last printed line's time, and how many printed lines carried exactly
 * that time. The count matters on Podman, which stamps lines to the whole second: a restart's
 * last old lines and first new ones share a second, and a time alone cannot tell them apart.
 */
export type LogCursor = {time: LogTime; seen: number};

/** The cursor after printing a line logged at `time`. */
export function advanceCursor(cursor: LogCursor | undefined, time: LogTime): LogCursor {
	return cursor?.time === time ? {time, seen: cursor.seen + 1} : {time, seen: 1};
}

/**
 * For the lines of a stream resumed from the cursor's time (the engine's since is inclusive), in
 * order: whether each is new. Of the lines at the cursor's own time, the first `seen` were printed
 * already; the engine sends them again in the same order.
 */
export function unseenAfter(cursor: LogCursor): (time: LogTime | undefined) => boolean {
	let atCursor = 0;
	return time => {
		if (time === undefined || time > cursor.time) return true;
		if (time < cursor.time) return false;
		atCursor++;
		return atCursor > cursor.seen;
	};
}

/** A LogTime as the engine's `since` takes it. */
export function sinceOf(time: LogTime): string {
	const [seconds = '0', nanos = '0'] = time.split('.');
	return `${Number(seconds)}.${nanos}`;
}

/**
 * Follow a managed container's logs by name, for `dbarena logs --follow`. Lives in the core so
 * the command mode reaches the engine only through the core (commands never import docker/).
 * With `after`, only lines logged after that point: a follow resumed across a restart then
 * misses none of the lines the server printed meanwhile, and repeats none.
 * `onEnd` fires when the stream ends by itself (the container stopped) or fails; not after stop().
 */
export async function followContainerLogs(
	engine: EngineHandle,
	name: string,
	options: {
		tail?: number;
		after?: LogCursor;
		onLine: (line: string, stream: StreamName, time: LogTime | undefined) => void;
		onEnd?: (error?: Error) => void;
	},
): Promise<LogFollower> {
	const container = await findManaged(engine, name);
	const {after} = options;
	const isNew = after === undefined ? undefined : unseenAfter(after);
	const follower = followLogs(engine.docker, container.id, {
		...(options.tail === undefined || after !== undefined ? {} : {tail: options.tail}),
		timestamps: true,
		...(after === undefined ? {} : {since: sinceOf(after.time)}),
		onLine: (raw, stream) => {
			const {time, line} = splitLogStamp(raw);
			if (isNew && !isNew(time)) return;
			options.onLine(line, stream, time);
		},
		...(options.onEnd ? {onEnd: options.onEnd} : {}),
	});
	return {
		container,
		stop: () => {
			follower.stop();
		},
	};
}

/** Why a log stream ended by itself, decided by asking the engine once it has. */
export type LogEnd = {kind: 'stopped'; exitCode: number} | {kind: 'removed'} | {kind: 'running'} | {kind: 'engine-lost'; address: string};

/**
 * A followed stream also ends when the engine goes away (it stops its containers first), so
 * "the container stopped" is only said when the engine still answers a moment later.
 */
export async function whyLogsEnded(engine: EngineHandle, container: ManagedContainer, settleMs = 1000): Promise<LogEnd> {
	await new Promise(resolve => setTimeout(resolve, settleMs));
	try {
		await ensureEngine(engine.docker, 2000, engine.address);
		const info = await inspectContainer(engine.docker, container.id);
		if (!info) return {kind: 'removed'};
		return info.State.Running ? {kind: 'running'} : {kind: 'stopped', exitCode: info.State.ExitCode};
	} catch (error) {
		if (error instanceof DockerUnavailableError) return {kind: 'engine-lost', address: engine.address};
		throw error;
	}
}
