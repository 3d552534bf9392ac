import {isLoopbackHost, portsAreLocal, type EngineReach} from './engine-reach.js';
import {presets} from './presets/catalog.js';
import type {ConnectionInfo, Credentials, DatabaseKind, ManagedContainer} from './types.js';

/** The address a host client uses for a published binding (0.0.0.0 is reached via loopback). */
export function clientHost(hostIp: string): string {
	return hostIp === '0.0.0.0' || hostIp === '' ? '127.0.0.1' : hostIp === '::' ? '::1' : hostIp;
}

const local: EngineReach = {kind: 'local'};

/**
 * How a client reaches a database published on hostIp:port of the engine's host. The one place a
 * URL is made, so every output agrees (an IPv6 host needs brackets in a URL, not in `host`).
 *
 * On a remote engine a wildcard binding is reached at the engine's host name, and a specific
 * address as itself. A loopback binding (the default) is reachable only on the engine's host: the
 * address is said as it is there, and `onEngineHost` names the engine, so no face calls it a
 * local address (over ssh://, `dbarena tunnel` and the dashboard forward a local port to it).
 */
export function connectionInfo(database: DatabaseKind, credentials: Credentials, hostIp: string, port: number, reach: EngineReach = local): ConnectionInfo {
	const remote = reach.kind !== 'local' && !portsAreLocal(reach) ? reach : undefined;
	const wildcard = hostIp === '0.0.0.0' || hostIp === '' || hostIp === '::';
	const host = remote && wildcard ? remote.host : clientHost(hostIp);
	// Over ssh:// even a loopback host name (a VM's forwarded SSH port) is not this machine's loopback.
	const onEngineHost = remote && isLoopbackHost(host) ? remote.address : undefined;
	const urlHost = host.includes(':') ? `[${host}]` : host;
	return {...credentials, host, port, url: presets[database].url({...credentials, host: urlHost, port}), ...(onEngineHost ? {onEngineHost} : {})};
}

/**
 * How a CDC connector logs in to a --cdc container: its own user and password, on the same
 * database and address as the admin login. Undefined for a container made without --cdc.
 */
export function cdcConnectionInfo(container: Pick<ManagedContainer, 'database' | 'cdc' | 'connection' | 'hostIp'>): ConnectionInfo | undefined {
	const {cdc, connection} = container;
	if (!cdc || !connection) return undefined;
	return connectionInfo(container.database, {user: cdc.user, password: cdc.password, database: connection.database}, container.hostIp, connection.port);
}
