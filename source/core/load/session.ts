import type {ProbeKind} from '../presets/preset.js';
import {closeMysql, connectMysql, postgresDriver} from '../sessions.js';
import type {ConnectionInfo} from '../types.js';
import type {Statement} from './dialect.js';

/** What one write did: the new row's id (inserts) and how many rows it touched. */
export type WriteResult = {id: number | undefined; affected: number};

/** One connection a load writes through, one statement at a time, each its own transaction. */
export type LoadSession = {
	write(statement: Statement, returnsRow: boolean): Promise<WriteResult>;
	rows(sql: string): Promise<Array<Record<string, unknown>>>;
	close(): Promise<void>;
};

const connectTimeoutMs = 5000;
/**
 * A write that has not answered in this long will not: the server is paused, or the network
 * between is gone without a reset. The load ends with what it did rather than hang.
 */
export const writeTimeoutMs = 10_000;

async function postgresSession({host, port, user, password, database}: ConnectionInfo): Promise<LoadSession> {
	const pg = await postgresDriver();
	const client = new pg.Client({host, port, user, password, database, connectionTimeoutMillis: connectTimeoutMs, query_timeout: writeTimeoutMs});
	// A server that goes away emits 'error' on the client besides rejecting the write in flight.
	client.on('error', () => {});
	await client.connect();
	return {
		async write({text, params}, returnsRow) {
			const result = await client.query({text, values: params});
			const id = returnsRow ? Number((result.rows[0] as {id?: unknown} | undefined)?.id) : Number.NaN;
			return {id: Number.isFinite(id) ? id : undefined, affected: result.rowCount ?? 0};
		},
		async rows(sql) {
			return (await client.query(sql)).rows as Array<Record<string, unknown>>;
		},
		async close() {
			await client.end().catch(() => {});
		},
	};
}

type MysqlHeader = {insertId?: number; affectedRows?: number};

async function mysqlSession(info: ConnectionInfo): Promise<LoadSession> {
	const connection = await connectMysql(info, {
		connectTimeout: connectTimeoutMs,
		charset: 'utf8mb4',
		supportBigNumbers: true,
	});
	connection.on('error', () => {});
	return {
		async write({text, params}) {
			const [header] = (await connection.query({sql: text, values: params, timeout: writeTimeoutMs})) as unknown as [MysqlHeader];
			return {id: header.insertId ? Number(header.insertId) : undefined, affected: header.affectedRows ?? 0};
		},
		async rows(sql) {
			const [rows] = await connection.query({sql, timeout: writeTimeoutMs});
			return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
		},
		async close() {
			await closeMysql(connection);
		},
	};
}

/** A session through the host driver, logged in as `connection` (the container's admin login). */
export async function openLoadSession(kind: Exclude<ProbeKind, 'sqlserver'>, connection: ConnectionInfo): Promise<LoadSession> {
	return kind === 'postgres' ? postgresSession(connection) : mysqlSession(connection);
}
