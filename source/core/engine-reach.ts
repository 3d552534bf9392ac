import {isLoopback} from './create/values.js';

/**
 * Where the engine's published ports are, seen from this machine. A local engine (a unix socket:
 * Docker, Podman, or a VM tool that forwards ports to this machine) publishes them here. A tcp://
 * engine publishes them on its host, which is this machine only when its address is loopback. An
 * ssh:// engine publishes them on its host, and what it binds to 127.0.0.1 (the default) is
 * reached through the SSH connection (core/docker/remote.ts).
 */
export type EngineReach = {kind: 'local'} | {kind: 'tcp'; host: string; loopback: boolean; address: string} | {kind: 'ssh'; host: string; address: string};

/** localhost, 127.0.0.0/8 and ::1 (with or without URL brackets). */
export function isLoopbackHost(host: string): boolean {
	const bare = host.replace(/^\[(.*)\]$/, '$1');
	return bare === 'localhost' || isLoopback(bare);
}

export function engineReach(address: string): EngineReach {
	if (address.startsWith('ssh://') || address.startsWith('tcp://')) {
		let host: string;
		try {
			host = new URL(address).hostname.replace(/^\[(.*)\]$/, '$1');
		} catch {
			return {kind: 'local'};
		}
		if (address.startsWith('ssh://')) return {kind: 'ssh', host, address};
		return {kind: 'tcp', host, loopback: isLoopbackHost(host), address};
	}
	return {kind: 'local'};
}

/**
 * Whether a port on the engine's host can be tried by binding it here. For a remote engine it
 * cannot: its own bind decides (create then tries the next port), and ports its containers
 * publish are skipped beforehand.
 */
export function portsAreLocal(reach: EngineReach): boolean {
	return reach.kind === 'local' || (reach.kind === 'tcp' && reach.loopback);
}
