import type {CdcInfo, ConnectionInfo} from '../core/types.js';

export function hostAndPort(connection: Pick<ConnectionInfo, 'host' | 'port'>): string {
	return connection.host.includes(':') ? `[${connection.host}]:${connection.port}` : `${connection.host}:${connection.port}`;
}

/**
 * Where the printed address is, when it is not this machine's: a remote engine's 127.0.0.1 is
 * that host's own, and a client here would meet whatever listens on its own port of that number.
 */
export function engineHostNote(connection: Pick<ConnectionInfo, 'onEngineHost'>, name: string): string | undefined {
	const engine = connection.onEngineHost;
	if (!engine) return undefined;
	if (engine.startsWith('ssh://')) return `on the engine's host, ${engine}; from this machine: dbarena tunnel ${name}`;
	return `on the engine's host, ${engine}; not reachable from this machine`;
}

/** The "Connection Info:" block that create, reset and inspect print, with the real address and the URL. */
export function connectionLines(connection: ConnectionInfo, cdc: CdcInfo | undefined, name: string): string[] {
	const note = engineHostNote(connection, name);
	return [
		note ? `Connection Info (${note}):` : 'Connection Info:',
		`  Host: ${hostAndPort(connection)}`,
		`  Username: ${connection.user}`,
		`  Password: ${connection.password}`,
		`  Database: ${connection.database}`,
		`  URL: ${connection.url}`,
		...(cdc ? [`  CDC user: ${cdc.user} (password: ${cdc.password})${cdc.publication ? `, publication: ${cdc.publication}` : ''}`] : []),
	];
}
