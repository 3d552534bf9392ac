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
 * Follow a managed container's logs by name, for `dbarena logs --follow`. Lives in the core so
 * the command mode reaches the engine only through the core (commands never import docker/).
 * `onEnd` fires when the stream ends by itself (the container stopped) or fails; not after stop().
 */
export async function followContainerLogs(
	engine: EngineHandle,
	name: string,
	options: {tail?: number; onLine: (line: string, stream: StreamName) => void; onEnd?: (error?: Error) => void},
): Promise<LogFollower> {
	const container = await findManaged(engine, name);
	const follower = followLogs(engine.docker, container.id, {
		...(options.tail === undefined ? {} : {tail: options.tail}),
		onLine: options.onLine,
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
