import {createRequire} from 'node:module';
import type * as Ssh2 from 'ssh2';

/**
 * ssh2, the SSH client docker-modem ships for ssh:// engines, loaded from where docker-modem finds
 * it (it is dockerode's dependency, not ours, and may not be hoisted). Loaded only for an ssh://
 * engine: it costs tens of milliseconds that every other command must not pay.
 */
export function loadSsh2(): typeof Ssh2 {
	const fromHere = createRequire(import.meta.url);
	const modem = createRequire(fromHere.resolve('dockerode')).resolve('docker-modem');
	return createRequire(modem)('ssh2') as typeof Ssh2;
}
