import {createServer} from 'node:net';
import getPort, {portNumbers} from 'get-port';
import {InvalidValueError, OperationError, PortInUseError} from './errors.js';

/**
 * Try to bind host:port and say why it failed (the error code), or undefined when it could. Done
 * directly rather than via get-port, whose in-process lock would call a port we handed out
 * moments ago "busy" even after its container is gone (as in reset, which reuses the port).
 */
async function bindError(port: number, host: string): Promise<string | undefined> {
	return new Promise(resolve => {
		const server = createServer();
		server.unref();
		server.once('error', (error: NodeJS.ErrnoException) => {
			resolve(error.code ?? 'EUNKNOWN');
		});
		server.listen({port, host}, () => {
			server.close(() => {
				resolve(undefined);
			});
		});
	});
}

/** Whether nothing listens on host:port right now. */
export async function isPortFree(port: number, host: string): Promise<boolean> {
	return (await bindError(port, host)) === undefined;
}

/**
 * A host address this machine does not have, said as such: the bind that picks the port is where
 * it shows, and left alone it came out as "port in use" or the raw "cannot assign requested address".
 */
function notLocal(host: string): InvalidValueError {
	return new InvalidValueError(
		'hostIp',
		'address',
		host,
		"it is not an address of this machine; use 127.0.0.1 (default), 0.0.0.0, :: or one of this host's addresses.",
	);
}

/**
 * The port to publish on: an explicit one must be free (a busy one is an error, not a silent
 * substitute); otherwise the engine's default if free, else the next free one above it.
 * `exclude` lets a caller skip ports it just saw the engine refuse.
 */
export async function choosePort(options: {preferred: number; explicit?: number; host: string; exclude?: Iterable<number>; spread?: boolean}): Promise<number> {
	const {preferred, explicit, host} = options;
	if (explicit !== undefined) {
		const error = await bindError(explicit, host);
		if (error === 'EADDRNOTAVAIL') throw notLocal(host);
		if (error !== undefined) throw new PortInUseError(explicit, host);
		return explicit;
	}
	const last = Math.min(preferred + 100, 65_535);
	// After losing a race, every process walking up from the same port would collide again on
	// the next one; a shuffled order spreads them out.
	const candidates = options.spread ? shuffle([...portNumbers(preferred + 1, last)]) : portNumbers(preferred, last);
	return getPort({port: candidates, host, exclude: options.exclude}).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'EADDRNOTAVAIL') throw notLocal(host);
		throw error;
	});
}

function shuffle(values: number[]): number[] {
	for (let index = values.length - 1; index > 0; index--) {
		const other = Math.floor(Math.random() * (index + 1));
		[values[index], values[other]] = [values[other]!, values[index]!];
	}
	return values;
}

/**
 * Refuse a host address this machine does not have before anything is made or printed: the
 * engine would only fail later with a raw "cannot assign requested address".
 */
export async function checkLocalAddress(host: string): Promise<void> {
	if ((await bindError(0, host)) === 'EADDRNOTAVAIL') throw notLocal(host);
}

/**
 * The port to publish on for an engine on another machine, where binding here proves nothing.
 * An explicit port is taken as asked (the engine's bind says whether it is free); otherwise the
 * preferred one unless a container there already publishes it, else the next such one. A port a
 * process outside the engine holds is found by the engine's bind, and create tries another.
 */
export function chooseRemotePort(options: {preferred: number; explicit?: number; taken: Iterable<number>; spread?: boolean}): number {
	if (options.explicit !== undefined) return options.explicit;
	const taken = new Set(options.taken);
	const last = Math.min(options.preferred + 100, 65_535);
	const range = Array.from({length: last - options.preferred + 1}, (_, index) => options.preferred + index);
	const candidates = options.spread ? shuffle(range.slice(1)) : range;
	const port = candidates.find(candidate => !taken.has(candidate));
	if (port === undefined) throw new OperationError(`No free port from ${options.preferred} to ${last} on the engine's host.`);
	return port;
}
