import {spawn, type ChildProcess} from 'node:child_process';
import mysql from 'mysql2/promise';
import pg from 'pg';
import {errorText, type BenchCase} from '../lib/case.js';
import {childEnv, cliPath, manager} from '../lib/dbarena.js';
import {Collector} from '../lib/results.js';
import {containerName, discard} from '../lib/session.js';
import {targets, type Target} from '../lib/targets.js';

export const changesLabel = {
	changes: 'dbarena changes --follow --json: COMMIT returned → its line printed',
	poll: 'baseline: another connection polling SELECT → the row visible',
} as const;

const commits = 20;

type Run = (sql: string, params: unknown[]) => Promise<unknown>;

/** One open session of the target's driver, as the host app writing the rows. */
async function session(target: Target, {host, port, user, password, database}: {host: string; port: number; user: string; password: string; database: string}) {
	const login = {host, port, user, password, database};
	if (target.client === 'postgres') {
		const client = new pg.Client(login);
		await client.connect();
		return {run: (async (sql, params) => client.query(sql, params)) as Run, end: async () => client.end()};
	}
	const connection = await mysql.createConnection(login);
	return {run: (async (sql, params) => connection.query(sql, params)) as Run, end: async () => connection.end()};
}

/** `dbarena changes NAME --follow --json` as a user runs it; `next(id)` resolves when the insert of that id is printed. */
async function followChanges(name: string): Promise<{next(id: number): Promise<number>; stop(): Promise<void>}> {
	const child: ChildProcess = spawn(process.execPath, [cliPath, 'changes', name, '--follow', '--json'], {env: childEnv, stdio: ['ignore', 'pipe', 'pipe']});
	const waiting = new Map<number, (t: number) => void>();
	let buffer = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		const t = performance.now();
		buffer += chunk.toString();
		const lines = buffer.split('\n');
		buffer = lines.pop() ?? '';
		for (const line of lines) {
			const id = (JSON.parse(line) as {values: {id: number} | null}).values?.id;
			if (id !== undefined) waiting.get(id)?.(t);
		}
	});
	// Ready once it says so on stderr: its slot or binlog session is in place from then on.
	await new Promise<void>((resolve, reject) => {
		let text = '';
		const timer = setTimeout(() => reject(new Error(`changes did not start within 30 s: ${text}`)), 30_000);
		child.stderr!.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			if (text.includes('Following the changes of')) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.on('exit', code => reject(new Error(`changes exited with ${code}: ${text}`)));
	});
	return {
		next: async id =>
			new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no change for id ${id} within 10 s`)), 10_000);
				waiting.set(id, t => {
					clearTimeout(timer);
					resolve(t);
				});
			}),
		stop: async () =>
			new Promise(resolve => {
				child.once('exit', () => resolve());
				child.kill('SIGINT');
			}),
	};
}

/** The baseline: a second connection asking for the row in a loop; resolves with the time it first sees it. */
async function pollUntilVisible(run: Run, id: number): Promise<number> {
	const deadline = performance.now() + 10_000;
	while (performance.now() < deadline) {
		// The same literal SQL for both drivers: pg answers {rows}, mysql2 [rows, fields].
		const result = (await run(`SELECT id FROM commit_lag WHERE id = ${id}`, [])) as {rows?: unknown[]} | [unknown[]];
		const rows = Array.isArray(result) ? result[0] : result.rows;
		if (Array.isArray(rows) && rows.length > 0) return performance.now();
	}
	throw new Error(`row ${id} was not visible within 10 s`);
}

/**
 * Commit-to-display lag of `dbarena changes --follow --json` on fast `--cdc` databases: a host
 * session inserts a row, and the lag runs from the moment its COMMIT returned to the moment the
 * command printed that row's line. The baseline, in the same run on the same server: a second
 * connection polling with SELECT, from the same COMMIT to the row's first sighting; the floor of
 * "another client can know about it", which no change stream can beat.
 */
export const changesLag: BenchCase = {
	id: 'changes',
	title: 'CDC workbench: commit to `dbarena changes` line',
	async run({runs, log}) {
		const raw: Array<Record<string, unknown>> = [];
		const tables = [];
		for (const target of [targets.pg, targets.mariadb]) {
			const collector = new Collector();
			for (let run = 0; run < runs; run++) {
				const name = containerName('changes');
				try {
					log(`changes: ${target.title} run ${run + 1}/${runs} creating ${name}`);
					const core = manager();
					const created = await core.create(core.plan({database: target.database, version: target.version, name, cdc: true}));
					const writer = await session(target, created.connection);
					const reader = await session(target, created.connection);
					try {
						// Not "lag": MariaDB reserves it (the window function).
						await writer.run('CREATE TABLE commit_lag (id int PRIMARY KEY)', []);
						const insert = target.client === 'postgres' ? 'INSERT INTO commit_lag VALUES ($1)' : 'INSERT INTO commit_lag VALUES (?)';
						const stream = await followChanges(name);
						try {
							for (let index = 0; index < commits; index++) {
								const id = index + 1;
								const seen = stream.next(id);
								await writer.run(insert, [id]);
								const returned = performance.now();
								const lag = (await seen) - returned;
								collector.add(changesLabel.changes, 'ms', lag);
								raw.push({target: target.id, run, id, what: 'changes', lagMs: lag});
							}
						} finally {
							await stream.stop();
						}
						for (let index = 0; index < commits; index++) {
							const id = 1000 + index;
							const visible = pollUntilVisible(reader.run, id);
							await writer.run(insert, [id]);
							const returned = performance.now();
							const lag = (await visible) - returned;
							collector.add(changesLabel.poll, 'ms', lag);
							raw.push({target: target.id, run, id, what: 'poll', lagMs: lag});
						}
					} finally {
						await writer.end();
						await reader.end();
					}
				} catch (error) {
					raw.push({target: target.id, run, error: errorText(error)});
					log(`changes: ${errorText(error)}`);
				} finally {
					await discard(name);
				}
			}
			tables.push(collector.table(`${target.title} fast --cdc, ${commits} commits per run`, [changesLabel.changes, changesLabel.poll], [changesLabel.poll]));
		}
		return {
			tables,
			notes: [
				'Each insert is its own transaction from one host session; the command runs as a separate process (node dist/cli.js) reading over the published port.',
				'The poll baseline can be below zero: the row is visible to others a moment before the COMMIT reply reaches the writer.',
			],
			raw,
		};
	},
};
