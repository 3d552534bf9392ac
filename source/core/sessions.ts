import {createRequire} from 'node:module';
import type {ProbeKind} from './presets/preset.js';
import type {ConnectionInfo} from './types.js';
import {waitAtMost} from './wait-at-most.js';

/** Run one SQL text in an open session and get its rows (none for statements that return none). */
export type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

const connectTimeoutMs = 2000;

type PgModule = typeof import('pg')['default'];

const loading: {pg?: Promise<PgModule>; mysql?: Promise<typeof import('mysql2/promise')>} = {};

const require = createRequire(import.meta.url);

/**
 * pg, loaded with a stand-in `navigator` on Node 20, which has none. pg asks at load whether it
 * runs on Cloudflare Workers, and without a navigator it builds a fetch `Response` to find out,
 * which loads Node's whole fetch implementation (undici): 35-40 ms of CPU, a third of a CLI
 * `reset --data` after the container is found. Node 21 and later have a navigator of their own,
 * and nothing is set then. Required synchronously, so no other code runs while the stand-in is
 * there.
 */
function requirePg(): PgModule {
	if ('navigator' in globalThis) return require('pg') as PgModule;
	Object.defineProperty(globalThis, 'navigator', {value: {userAgent: `Node.js/${process.versions.node}`}, configurable: true});
	try {
		return require('pg') as PgModule;
	} finally {
		delete (globalThis as {navigator?: unknown}).navigator;
	}
}

export const postgresDriver = async () => (loading.pg ??= Promise.resolve().then(requirePg));
export const mysqlDriver = async () => (loading.mysql ??= import('mysql2/promise'));

/**
 * Start loading the driver a probe will need. Loading pg or mysql2 costs 60–110 ms of CPU;
 * started while the engine starts the container (≈ 300 ms of waiting), it is free.
 */
export function preloadDriver(kind: ProbeKind): void {
	if (kind === 'postgres') void postgresDriver().catch(() => undefined);
	if (kind === 'mysql') void mysqlDriver().catch(() => undefined);
}

/** What a login needs of a connection's details. */
type Login = Pick<ConnectionInfo, 'host' | 'port' | 'user' | 'password' | 'database'>;

type MysqlOptions = Parameters<typeof import('mysql2/promise')['createConnection']>[0] & object;

/**
 * A mysql2 connection to the database `info` names, as every reader and writer here opens one:
 * `options` adds what the caller needs (a longer timeout, several statements, utf8mb4...).
 */
export async function connectMysql({host, port, user, password, database}: Login, options: Partial<MysqlOptions> = {}) {
	const mysql = await mysqlDriver();
	return mysql.createConnection({host, port, user, password, database, connectTimeout: connectTimeoutMs, ...options});
}

/**
 * Close a mysql2 connection with a polite QUIT first: destroy() alone makes the server log
 * "Aborted connection ... Got an error reading communication packets" for it, in the log the user
 * reads for their own problems. But never wait long on a server that is going away.
 */
export async function closeMysql(connection: Pick<import('mysql2/promise').Connection, 'end' | 'destroy'>): Promise<void> {
	await waitAtMost(connection.end(), 500);
	connection.destroy();
}

/** An open SQL session: run statements in it, then close it (closing twice is harmless). */
export type Session = {query: Query; close(): Promise<void>};

/**
 * One SQL session from the host through the published port, as the user's own client would
 * open it, kept open until closed: for a caller that asks again and again (the dashboard's vitals,
 * every 2 s), where a login each time would cost more than the question (7 ms of CPU for
 * PostgreSQL's SCRAM against 0.6 ms for the query, measured). The drivers are imported lazily so
 * commands that never talk SQL do not pay for loading them. SQL Server has no driver here (it is
 * reached with sqlcmd).
 */
export async function openSession(kind: ProbeKind, {host, port, user, password, database}: ConnectionInfo): Promise<Session> {
	if (kind === 'postgres') {
		const pg = await postgresDriver();
		const client = new pg.Client({host, port, user, password, database, connectionTimeoutMillis: connectTimeoutMs});
		// A server that drops the connection mid-handshake (or later, between queries) emits 'error'
		// besides failing the call at hand; the call's failure is what the caller hears.
		client.on('error', () => {});
		const close = async () => {
			await client.end().catch(() => {});
		};
		try {
			await client.connect();
		} catch (error) {
			await close();
			throw error;
		}
		return {query: async sql => (await client.query(sql)).rows as Array<Record<string, unknown>>, close};
	}
	if (kind === 'mysql') {
		const connection = await connectMysql({host, port, user, password, database});
		connection.on('error', () => {});
		let closed = false;
		return {
			async query(sql) {
				const [rows] = await connection.query(sql);
				return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
			},
			async close() {
				if (closed) return;
				closed = true;
				await closeMysql(connection);
			},
		};
	}
	throw new Error(`No host SQL session for ${kind}.`);
}

/** One SQL session (openSession) for the length of `use`, closed whatever happens. */
export async function withSession<T>(kind: ProbeKind, connection: ConnectionInfo, use: (query: Query) => Promise<T>): Promise<T> {
	const session = await openSession(kind, connection);
	try {
		return await use(session.query);
	} finally {
		await session.close();
	}
}
