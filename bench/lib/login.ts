import pg from 'pg';
import mysql from 'mysql2/promise';

export type ClientKind = 'postgres' | 'mysql';

export type Conn = {host: string; port: number; user: string; password: string; database: string};

/**
 * What "truly ready" means in every case: a host client logs in with the printed credentials and
 * runs SELECT 1. Our own code (not dbarena's probe), so the bench checks dbarena independently.
 */
export async function login(kind: ClientKind, given: Conn, timeoutMs = 1000): Promise<void> {
	// Only the five fields: a printed connection also carries its url, which mysql2 warns about.
	const conn: Conn = {host: given.host, port: given.port, user: given.user, password: given.password, database: given.database};
	if (kind === 'postgres') {
		const client = new pg.Client({...conn, connectionTimeoutMillis: timeoutMs});
		client.on('error', () => {});
		try {
			await client.connect();
			await client.query('SELECT 1');
		} finally {
			await client.end().catch(() => {});
		}
		return;
	}
	const connection = await mysql.createConnection({...conn, connectTimeout: timeoutMs});
	try {
		await connection.query('SELECT 1');
	} finally {
		connection.destroy();
	}
}

/** Run statements in one session (used to leave a marker before a reset). */
export async function execute(kind: ClientKind, given: Conn, statements: string[]): Promise<unknown[]> {
	const conn: Conn = {host: given.host, port: given.port, user: given.user, password: given.password, database: given.database};
	const results: unknown[] = [];
	if (kind === 'postgres') {
		const client = new pg.Client({...conn, connectionTimeoutMillis: 2000});
		client.on('error', () => {});
		try {
			await client.connect();
			for (const statement of statements) results.push((await client.query(statement)).rows);
		} finally {
			await client.end().catch(() => {});
		}
		return results;
	}
	const connection = await mysql.createConnection({...conn, connectTimeout: 2000});
	try {
		for (const statement of statements) results.push((await connection.query(statement))[0]);
	} finally {
		connection.destroy();
	}
	return results;
}
