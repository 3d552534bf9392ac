import {presets} from './presets/catalog.js';
import type {ConnectionInfo, Credentials, DatabaseKind, ManagedContainer} from './types.js';

/** The address a host client uses for a published binding (0.0.0.0 is reached via loopback). */
export function clientHost(hostIp: string): string {
	return hostIp === '0.0.0.0' || hostIp === '' ? '127.0.0.1' : hostIp === '::' ? '::1' : hostIp;
}

/**
 * How a client on this host reaches a database published on hostIp:port. The one place a URL is
 * made, so every output agrees (an IPv6 host needs brackets in a URL, not in `host`).
 */
export function connectionInfo(database: DatabaseKind, credentials: Credentials, hostIp: string, port: number): ConnectionInfo {
	const host = clientHost(hostIp);
	const urlHost = host.includes(':') ? `[${host}]` : host;
	return {...credentials, host, port, url: presets[database].url({...credentials, host: urlHost, port})};
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
