import type {ConnectionInfo} from './types.js';
import type {ProbeKind} from './engines/engine.js';

/**
 * Probes that log in from the host through the published port with the printed credentials and
 * run SELECT 1 on the printed database: exactly what "ready" promises the user. The drivers are
 * imported lazily so commands that never probe do not pay for loading them.
 */
export type HostProbe = (connection: ConnectionInfo) => Promise<void>;

const connectTimeoutMs = 2000;

const postgresProbe: HostProbe = async ({host, port, user, password, database}) => {
	const {default: pg} = await import('pg');
	const client = new pg.Client({host, port, user, password, database, connectionTimeoutMillis: connectTimeoutMs});
	// A server that drops the connection mid-handshake emits 'error' after connect() rejected.
	client.on('error', () => {});
	try {
		await client.connect();
		await client.query('SELECT 1');
	} finally {
		await client.end().catch(() => {});
	}
};

const mysqlProbe: HostProbe = async ({host, port, user, password, database}) => {
	const mysql = await import('mysql2/promise');
	const connection = await mysql.createConnection({host, port, user, password, database, connectTimeout: connectTimeoutMs});
	try {
		await connection.query('SELECT 1');
	} finally {
		connection.destroy();
	}
};

export function hostProbe(kind: ProbeKind): HostProbe | undefined {
	if (kind === 'postgres') return postgresProbe;
	if (kind === 'mysql') return mysqlProbe;
	// SQL Server is probed with sqlcmd inside the container (lifecycle), as no TDS driver ships with us.
	return undefined;
}

/** The sqlcmd invocations to try in order: mssql-tools18 (needs -C for the self-signed cert), then mssql-tools. */
export function sqlcmdCommands(password: string, query: string): string[][] {
	const args = ['-S', 'localhost', '-U', 'sa', '-P', password, '-b', '-Q', query];
	return [
		['/opt/mssql-tools18/bin/sqlcmd', '-C', ...args],
		['/opt/mssql-tools/bin/sqlcmd', ...args],
	];
}

/**
 * Ask the server to write its dirty pages before a snapshot pauses it, so recovery on the copy
 * has little to replay. Best effort: the pause alone already gives a crash-consistent copy.
 */
export async function quiesce(kind: ProbeKind, {host, port, user, password, database}: ConnectionInfo): Promise<void> {
	if (kind === 'postgres') {
		const {default: pg} = await import('pg');
		const client = new pg.Client({host, port, user, password, database, connectionTimeoutMillis: connectTimeoutMs});
		client.on('error', () => {});
		try {
			await client.connect();
			await client.query('CHECKPOINT');
		} finally {
			await client.end().catch(() => {});
		}
	} else if (kind === 'mysql') {
		const mysql = await import('mysql2/promise');
		const connection = await mysql.createConnection({host, port, user, password, database, connectTimeout: connectTimeoutMs});
		try {
			await connection.query('FLUSH TABLES');
		} finally {
			connection.destroy();
		}
	}
}

/** Run statements as the admin user over a host connection, in order, in one session. */
export async function runStatements(kind: ProbeKind, {host, port, user, password, database}: ConnectionInfo, statements: string[]): Promise<void> {
	if (kind === 'postgres') {
		const {default: pg} = await import('pg');
		const client = new pg.Client({host, port, user, password, database, connectionTimeoutMillis: connectTimeoutMs});
		client.on('error', () => {});
		try {
			await client.connect();
			for (const statement of statements) await client.query(statement);
		} finally {
			await client.end().catch(() => {});
		}
	} else if (kind === 'mysql') {
		const mysql = await import('mysql2/promise');
		const connection = await mysql.createConnection({host, port, user, password, database, connectTimeout: connectTimeoutMs});
		try {
			for (const statement of statements) await connection.query(statement);
		} finally {
			connection.destroy();
		}
	}
}
