import {engineMessage, statusOf} from './docker/client.js';
import {DbarenaError, UsageError} from './errors.js';
import type {ManagedContainer} from './types.js';

/**
 * Why the engine would not start a container, said plainly: by create (which then tries another
 * port) and by start and restart (which cannot).
 */

/** The engine's words when a published port is taken between our check and its bind. */
export function isPortConflict(error: unknown): boolean {
	return /port is already allocated|address already in use/i.test(engineMessage(error));
}

/** A start the engine refused for a reason other than the port, in its own words. */
export function startRefused(name: string, error: unknown): unknown {
	if (error instanceof DbarenaError || statusOf(error) === undefined) return error;
	return new DbarenaError(`The engine refused to start ${name}: ${engineMessage(error)}`, 'start_failed', {cause: error});
}

/**
 * A start that fails because something else took the container's port, said plainly. The same
 * usage error (exit 2) as create's taken --port: in both the user must free or change the port,
 * and retrying as is cannot help.
 */
export function rethrowPortTaken(container: ManagedContainer, error: unknown): never {
	if (isPortConflict(error)) {
		throw new UsageError(
			`Cannot start ${container.name}: its port ${container.hostPort ?? '?'} on ${container.hostIp} is now used by another process. ` +
				'Free that port and start it again.',
			'port_in_use',
		);
	}
	throw startRefused(container.name, error);
}
