import {createServer} from 'node:net';
import getPort, {portNumbers} from 'get-port';
import {PortInUseError, UsageError} from './errors.js';

export function validatePort(port: number): void {
	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		throw new UsageError(`Invalid port ${String(port)}: use a whole number from 1 to 65535.`, 'invalid_port');
	}
}

/**
 * Whether nothing listens on host:port right now. Checked by binding, directly rather than via
 * get-port, whose in-process lock would call a port we handed out moments ago "busy" even after
 * its container is gone (as in reset, which reuses the port).
 */
export async function isPortFree(port: number, host: string): Promise<boolean> {
	return new Promise(resolve => {
		const server = createServer();
		server.unref();
		server.once('error', () => {
			resolve(false);
		});
		server.listen({port, host}, () => {
			server.close(() => {
				resolve(true);
			});
		});
	});
}

/**
 * The port to publish on: an explicit one must be free (a busy one is an error, not a silent
 * substitute); otherwise the engine's default if free, else the next free one above it.
 * `exclude` lets a caller skip ports it just saw the engine refuse.
 */
export async function choosePort(options: {preferred: number; explicit?: number; host: string; exclude?: Iterable<number>}): Promise<number> {
	const {preferred, explicit, host} = options;
	if (explicit !== undefined) {
		validatePort(explicit);
		if (!await isPortFree(explicit, host)) throw new PortInUseError(explicit, host);
		return explicit;
	}
	return getPort({port: portNumbers(preferred, Math.min(preferred + 100, 65_535)), host, exclude: options.exclude});
}
