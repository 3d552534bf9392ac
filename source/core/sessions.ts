import type {ProbeKind} from './presets/preset.js';
import type {ConnectionInfo} from './types.js';

/** Run one SQL text in an open session and get its rows (none for statements that return none). */
export type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

const connectTimeoutMs = 2000;

type PgModule = typeof import('pg')['default'];

const loading: {pg?: Promise<PgModule>; mysql?: Promise<typeof import('mysql2/promise')>} = {};

export const postgresDriver = async () => (loading.pg ??= import('pg').then(module => module.default));
export const mysqlDriver = async () => (loading.mysql ??= import('mysql2/promise'));

/**
 * Start loading the driver a probe will need. Loading pg or mysql2 costs 60–110 ms of CPU;
 * started while the engine starts the container (≈ 300 ms of waiting), it is free.
 */
export function preloadDriver(kind: ProbeKind): void {
	if (kind === 'postgres') void postgresDriver().catch(() => undefined);
	if (kind === 'mysql') void mysqlDriver().catch(() => undefined);
}

/**
 * One SQL session from the host through the published port, as the user's own client would
 * open it, closed whatever happens. The drivers are imported lazily so commands that never talk
 * SQL do not pay for loading them. SQL Server has no driver here (it is reached with sqlcmd).
 */
export async function withSession<T>(kind: ProbeKind, {host, port, user, password, database}: ConnectionInfo, use: (query: Query) => Promise<T>): Promise<T> {
	if (kind === 'postgres') {
		const pg = await postgresDriver();
		const client = new pg.Client({host, port, user, password, database, connectionTimeoutMillis: connectTimeoutMs});
		// A server that drops the connection mid-handshake emits 'error' after connect() rejected.
		client.on('error', () => {});
		try {
			await client.connect();
			return await use(async sql => (await client.query(sql)).rows as Array<Record<string, unknown>>);
		} finally {
			await client.end().catch(() => {});
		}
	}
	if (kind === 'mysql') {
		const mysql = await mysqlDriver();
		const connection = await mysql.createConnection({host, port, user, password, database, connectTimeout: connectTimeoutMs});
		try {
			return await use(async sql => {
				const [rows] = await connection.query(sql);
				return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
			});
		} finally {
			// A polite QUIT first (destroy() alone makes the server log "Aborted connection" for
			// every probe), but never wait long on a server that is going away.
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				connection.end(),
				new Promise(resolve => {
					timer = setTimeout(resolve, 500);
				}),
			]).catch(() => undefined);
			clearTimeout(timer);
			connection.destroy();
		}
	}
	throw new Error(`No host SQL session for ${kind}.`);
}
