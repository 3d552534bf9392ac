import {followLogs, type StreamName} from './docker/logs.js';
import type {ContainerManager} from './lifecycle.js';
import type {ManagedContainer} from './types.js';

export type {StreamName};

export type LogFollower = {container: ManagedContainer; stop(): void};

/**
 * Follow a managed container's logs by name, for `dbarena logs --follow`. Lives in the core so
 * the command mode reaches the engine only through the core (commands never import docker/).
 * `onEnd` fires when the stream ends by itself (the container stopped) or fails; not after stop().
 */
export async function followContainerLogs(
	manager: ContainerManager,
	name: string,
	options: {tail?: number; onLine: (line: string, stream: StreamName) => void; onEnd?: (error?: Error) => void},
): Promise<LogFollower> {
	const container = await manager.find(name);
	const follower = followLogs(manager.docker, container.id, {
		...(options.tail === undefined ? {} : {tail: options.tail}),
		onLine: options.onLine,
		...(options.onEnd ? {onEnd: options.onEnd} : {}),
	});
	return {container, stop: () => {
		follower.stop();
	}};
}
