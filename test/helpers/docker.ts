import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import Docker from 'dockerode';
import pg from 'pg';
import mysql from 'mysql2/promise';

export const docker = new Docker();
export const registry = process.env['DBARENA_REGISTRY'] ?? '127.0.0.1:5000';
export const run = promisify(execFile);

/** Label every container a test makes by hand, so the suite can clean up after itself. */
export const testLabel = 'dbarena.test=true';

/**
 * The lines of a container's log (both streams) that match `pattern`, after a moment: a server
 * notices a dropped client at once but writes its line a little later.
 */
export async function logLinesMatching(name: string, pattern: RegExp): Promise<string[]> {
	await new Promise(resolve => setTimeout(resolve, 500));
	const {stdout, stderr} = await run('docker', ['logs', name]);
	return `${stdout}\n${stderr}`.split('\n').filter(line => pattern.test(line));
}

/** The engine's inspect of a container, or undefined when there is none by that name (or id). */
export async function inspectOrNone(name: string): Promise<Docker.ContainerInspectInfo | undefined> {
	return docker
		.getContainer(name)
		.inspect()
		.catch(() => undefined);
}

export async function removeContainers(names: string[]): Promise<void> {
	await Promise.all(
		names.map(async name =>
			docker
				.getContainer(name)
				.remove({force: true, v: true})
				.catch(() => undefined),
		),
	);
}

export async function removeVolumes(names: string[]): Promise<void> {
	await Promise.all(
		names.map(async name =>
			docker
				.getVolume(name)
				.remove()
				.catch(() => undefined),
		),
	);
}

export type Login = {host: string; port: number; user: string; password: string; database: string};

/** The login a printed connection URL stands for, as a client reads it (percent-escapes decoded). */
export function loginFromUrl(url: string): Login {
	const parsed = new URL(url);
	return {
		host: parsed.hostname,
		port: Number(parsed.port),
		user: decodeURIComponent(parsed.username),
		password: decodeURIComponent(parsed.password),
		database: decodeURIComponent(parsed.pathname.slice(1)),
	};
}

/** Log in from the host with the real driver and run a query: what users will do. */
export async function pgQuery<T extends Record<string, unknown>>(login: Login, sql: string, params: unknown[] = []): Promise<T[]> {
	const {host, port, user, password, database} = login;
	const client = new pg.Client({host, port, user, password, database, connectionTimeoutMillis: 3000});
	client.on('error', () => {});
	await client.connect();
	try {
		const result = await client.query<T>(sql, params);
		return result.rows;
	} finally {
		await client.end();
	}
}

export async function mysqlQuery<T>(login: Login, sql: string, params: unknown[] = []): Promise<T[]> {
	// Only the fields a connection takes: mysql2 warns about anything else (a printed URL, say).
	const {host, port, user, password, database} = login;
	const connection = await mysql.createConnection({host, port, user, password, database, connectTimeout: 3000});
	try {
		const [rows] = await connection.query(sql, params);
		return rows as T[];
	} finally {
		connection.destroy();
	}
}

/** Several statements in one MySQL session (a transaction, session variables), closed afterwards. */
export async function mysqlSession<T>(login: Login, use: (query: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
	const {host, port, user, password, database} = login;
	const connection = await mysql.createConnection({host, port, user, password, database, connectTimeout: 3000});
	try {
		return await use(async sql => (await connection.query(sql))[0]);
	} finally {
		connection.destroy();
	}
}

export async function canLogin(kind: 'postgres' | 'mysql', login: Login): Promise<boolean> {
	try {
		if (kind === 'postgres') await pgQuery(login, 'SELECT 1');
		else await mysqlQuery(login, 'SELECT 1');
		return true;
	} catch {
		return false;
	}
}

/** Poll a condition without guessing a sleep: resolves as soon as it holds, fails after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 50): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, intervalMs));
	}
}

/** Pull an image from the local registry unless the engine has it already. */
export async function ensureImage(image: string): Promise<void> {
	try {
		await docker.getImage(image).inspect();
		return;
	} catch {
		// Not here yet: pull it below.
	}
	const stream = await docker.pull(image);
	await new Promise<void>((resolve, reject) => {
		docker.modem.followProgress(stream, error => {
			if (error) reject(error);
			else resolve();
		});
	});
}
