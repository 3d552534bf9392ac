import {runningConnection} from '../database-client.js';
import type {EngineHandle} from '../engine-handle.js';
import type {ManagedContainer} from '../types.js';
import type {LoadOptions} from './options.js';
import {runLoad, type LoadProgress, type LoadSummary} from './run.js';

/**
 * A load on a dbarena container: it must be running, and the load logs in as its own admin user,
 * through the address a client on this machine uses (a forward for a remote engine's database).
 */
export async function loadContainer(
	engine: EngineHandle,
	container: ManagedContainer,
	options: LoadOptions,
	control: {signal: AbortSignal; onProgress?: (progress: LoadProgress) => void},
): Promise<LoadSummary> {
	const connection = await engine.reachable(runningConnection(container, 'write to it'));
	return runLoad({database: container.database, connection, options, ...control});
}
