import type {CdcInfo, ConnectionInfo} from '../core/types.js';

export function hostAndPort(connection: Pick<ConnectionInfo, 'host' | 'port'>): string {
	return connection.host.includes(':') ? `[${connection.host}]:${connection.port}` : `${connection.host}:${connection.port}`;
}

/** The "Connection Info:" block that create, reset and inspect print, with the real address and the URL. */
export function connectionLines(connection: ConnectionInfo, cdc?: CdcInfo): string[] {
	return [
		'Connection Info:',
		`  Host: ${hostAndPort(connection)}`,
		`  Username: ${connection.user}`,
		`  Password: ${connection.password}`,
		`  Database: ${connection.database}`,
		`  URL: ${connection.url}`,
		...(cdc ? [`  CDC user: ${cdc.user} (password: ${cdc.password})${cdc.publication ? `, publication: ${cdc.publication}` : ''}`] : []),
	];
}
