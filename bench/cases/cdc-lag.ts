import {spawn} from 'node:child_process';
import pg from 'pg';
import {errorText, type BenchCase} from '../lib/case.js';
import {manager} from '../lib/dbarena.js';
import {Collector} from '../lib/results.js';
import {containerName, discard} from '../lib/session.js';

export const cdcLabel = {
	sync: 'fast --cdc as dbarena sets it (synchronous commit): COMMIT returned → change decoded',
	async: 'same server, session with synchronous_commit=off (what --cdc used to set): COMMIT returned → change decoded',
} as const;

const commits = 20;

/**
 * Commit-to-decoding lag of a fast `--cdc` PostgreSQL: a logical replication client
 * (pg_recvlogical with test_decoding, as a connector would stream) prints each transaction; the
 * lag is from the moment COMMIT returned to the client until its COMMIT line arrives. The
 * baseline is the same server and client with the session's commits made asynchronous, as every
 * --cdc database had them before.
 */
export const cdcLag: BenchCase = {
	id: 'cdc',
	title: 'CDC: commit to decoded change',
	async run({runs, log}) {
		const collector = new Collector();
		const raw: Array<Record<string, unknown>> = [];
		for (let run = 0; run < runs; run++) {
			const name = containerName('cdc');
			try {
				log(`cdc: run ${run + 1}/${runs} creating ${name}`);
				const core = manager();
				const created = await core.create(core.plan({database: 'postgres', version: '16', name, cdc: true}));
				const {host, port, user, password, database} = created.connection;
				const stream = streamChanges({host, port, user, password, database, slot: `bench_${run}`});
				const client = new pg.Client({host, port, user, password, database});
				await client.connect();
				try {
					await client.query('CREATE TABLE lag (id int primary key)');
					await stream.ready();
					for (const [label, setting] of [
						[cdcLabel.sync, 'on'],
						[cdcLabel.async, 'off'],
					] as const) {
						await client.query(`SET synchronous_commit = ${setting}`);
						for (let index = 0; index < commits; index++) {
							const id = (setting === 'on' ? 0 : 1000) + index + run * 10_000;
							const seen = stream.next(`table public.lag: INSERT: id[integer]:${id}`);
							await client.query('INSERT INTO lag VALUES ($1)', [id]);
							const returned = performance.now();
							const lag = (await seen) - returned;
							collector.add(label, 'ms', lag);
							raw.push({run, label, id, lagMs: lag});
						}
					}
				} finally {
					await client.end();
					stream.stop();
				}
			} catch (error) {
				raw.push({run, error: errorText(error)});
			} finally {
				await discard(name);
			}
		}
		return {
			tables: [collector.table(`Commit to decoded change, PostgreSQL 16 fast --cdc (${commits} commits per run)`, Object.values(cdcLabel), [cdcLabel.async])],
			notes: ['Decoded by pg_recvlogical (test_decoding) on the host over the published port, as a connector streams.'],
			raw,
		};
	},
};

type StreamOptions = {host: string; port: number; user: string; password: string; database: string; slot: string};

/** pg_recvlogical on its own temporary-for-the-run slot; `next(text)` resolves with the time a line containing text arrives. */
function streamChanges(options: StreamOptions): {ready(): Promise<void>; next(text: string): Promise<number>; stop(): void} {
	const {host, port, user, password, database, slot} = options;
	const common = ['-h', host, '-p', String(port), '-U', user, '-d', database, '--slot', slot];
	const env = {...process.env, PGPASSWORD: password};
	let child: ReturnType<typeof spawn> | undefined;
	const waiting: Array<{text: string; resolve: (t: number) => void}> = [];
	let buffer = '';
	const started = (async () => {
		await runToEnd('pg_recvlogical', [...common, '--create-slot', '-P', 'test_decoding'], env);
		child = spawn('pg_recvlogical', [...common, '--start', '-f', '-', '-F', '0'], {env, stdio: ['ignore', 'pipe', 'inherit']});
		child.stdout?.on('data', (chunk: Buffer) => {
			const t = performance.now();
			buffer += chunk.toString();
			const lines = buffer.split('\n');
			buffer = lines.pop() ?? '';
			for (const line of lines) {
				const at = waiting.findIndex(entry => line.includes(entry.text));
				if (at >= 0) waiting.splice(at, 1)[0]!.resolve(t);
			}
		});
		// The stream is live once a change made now comes through.
		await new Promise(resolve => setTimeout(resolve, 500));
	})();
	return {
		ready: async () => started,
		next: async text =>
			new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no decoded change with "${text}" within 10 s`)), 10_000);
				waiting.push({
					text,
					resolve: t => {
						clearTimeout(timer);
						resolve(t);
					},
				});
			}),
		stop: () => child?.kill('SIGTERM'),
	};
}

async function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const child = spawn(command, args, {env, stdio: 'inherit'});
		child.on('error', reject);
		child.on('exit', code => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
	});
}
