import {EventEmitter} from 'node:events';
import {PassThrough, Readable} from 'node:stream';
import {beforeEach, describe, expect, it, vi} from 'vitest';
import type {CommandContext} from '../../source/cli/command.js';
import type {ContainerManager, CreateResult} from '../../source/core/lifecycle.js';

/** What the fake spawn saw: the argv and options of each call, and what was written to the child's stdin. */
const spawned: Array<{command: string; args: string[]; options: {stdio?: unknown; detached?: boolean}; stdin: string}> = [];

// child_process is loaded lazily (core/lazy-builtins.ts), so the spawn is replaced there.
vi.mock('../../source/core/lazy-builtins.js', async importOriginal => ({
	...(await importOriginal<typeof import('../../source/core/lazy-builtins.js')>()),
	childProcess: () => ({
		spawn(command: string, args: string[], options: {stdio?: unknown; detached?: boolean}) {
			const record = {command, args, options, stdin: ''};
			spawned.push(record);
			const stdin = new PassThrough();
			stdin.on('data', (chunk: Buffer) => {
				record.stdin += chunk.toString();
			});
			return Object.assign(new EventEmitter(), {pid: 4242, stdin, unref() {}});
		},
	}),
}));

// After the mock above (vi.mock is hoisted anyway; the dynamic import makes the order plain).
const {readTemplateOptions, startTemplateBuild} = await import('../../source/cli/template-job.js');
const {runMain} = await import('../helpers/run-main.js');

const secret = 'S3cret-only-on-stdin';

const result = {
	container: {source: 'fresh', database: 'postgres', version: '16', mode: 'fast'},
	connection: {user: 'postgres', password: secret, database: 'testdb'},
	volumeReused: false,
} as unknown as CreateResult;

const ctx = {env: {PATH: '/usr/bin'}} as unknown as CommandContext;

describe('the background template build', () => {
	beforeEach(() => {
		spawned.length = 0;
	});

	it('keeps the password out of the child argv (ps shows argv to every user) and sends the settings on stdin', async () => {
		expect(startTemplateBuild(ctx, {} as ContainerManager, {database: 'postgres', version: '16', password: secret}, result)).toBe(true);
		expect(spawned).toHaveLength(1);
		const [call] = spawned;
		expect(call!.args.join(' ')).not.toContain(secret);
		expect(call!.args.slice(1)).toEqual(['templates', 'build', '--options-stdin']);
		expect(call!.options.detached).toBe(true);
		await new Promise(resolve => setImmediate(resolve));
		expect(JSON.parse(call!.stdin)).toEqual({database: 'postgres', version: '16', mode: 'fast', user: 'postgres', password: secret, databaseName: 'testdb'});
	});
});

describe('a seeded create hands its seed to the background build', () => {
	beforeEach(() => {
		spawned.length = 0;
	});

	it('sends the files as read for this create (not their paths), which the builder plans to the same seed', async () => {
		const {mkdtempSync, rmSync, writeFileSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const path = await import('node:path');
		const {planCreate} = await import('../../source/core/create/plan.js');
		const dir = mkdtempSync(path.join(tmpdir(), 'dbarena-seed-job-'));
		writeFileSync(path.join(dir, 'schema.sql'), 'CREATE TABLE t (n int);');
		const plan = planCreate({database: 'postgres', version: '16', init: [dir]}, {});
		// The user's folder may be gone by the time the builder starts (a temporary one in CI).
		rmSync(dir, {recursive: true});
		expect(startTemplateBuild(ctx, {} as ContainerManager, {database: 'postgres', version: '16', init: [dir]}, result, plan.seed)).toBe(true);
		await new Promise(resolve => setImmediate(resolve));
		const sent = await readTemplateOptions(Readable.from([Buffer.from(spawned[0]!.stdin)]));
		expect(sent.init).toBeUndefined();
		expect(sent.seed?.entries.map(entry => entry.name)).toEqual(['001-schema.sql']);
		expect(planCreate(sent, {}).seed?.hash).toBe(plan.seed!.hash);
	});
});

describe('templates build --options-stdin (the builder side)', () => {
	const stdin = (...chunks: string[]) => Readable.from(chunks.map(chunk => Buffer.from(chunk)));

	it('reads the settings to the end of stdin, however they are split (even inside a character)', async () => {
		const options = {database: 'mariadb', version: '10.11', password: `${secret}-€`, cdc: true};
		const bytes = Buffer.from(JSON.stringify(options));
		const euro = bytes.indexOf(Buffer.from('€'));
		await expect(readTemplateOptions(Readable.from([bytes.subarray(0, euro + 1), bytes.subarray(euro + 1)]))).resolves.toEqual(options);
	});

	it.each([
		['', /No settings on stdin/],
		[' \n', /No settings on stdin/],
		['{"database": "postgres"', /not valid JSON/],
		['"postgres"', /JSON object with a "database"/],
		['{"version": "16"}', /JSON object with a "database"/],
	])('refuses %j', async (text, message) => {
		await expect(readTemplateOptions(stdin(text))).rejects.toThrow(message);
	});

	it('no longer takes the settings in argv: --options-json is an unknown flag', async () => {
		// Refused while the arguments are read, whatever the value; left unfinished on purpose, so
		// that the old code (which accepted the flag) stopped at its JSON check, not at the engine.
		const run = await runMain(['templates', 'build', '--options-json', `{"database": "postgres", "password": "${secret}"`]);
		expect(run).toEqual({code: 2, stdout: '', stderr: 'Error: Unknown flag --options-json. Did you mean --options-stdin?\n'});
	});

	it('refuses a database or create flag beside --options-stdin (they would be ignored)', async () => {
		const run = await runMain(['templates', 'build', 'postgres', '--options-stdin', '--password', secret, '--cdc']);
		expect(run.code).toBe(2);
		expect(run.stderr).toBe('Error: --options-stdin takes every setting from stdin; leave out postgres --cdc --password.\n');
	});
});
