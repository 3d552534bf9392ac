import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildCli, cli, docker, json, uniqueName} from './cli-helpers.js';

/**
 * What the engine knows about a container is what every face says: an OOM kill, a pause, a
 * container that never started, a crash, where the data came from (issue 14, items 1-5).
 */
const names: string[] = [];
const volumes: string[] = [];
const track = (prefix: string) => {
	const name = uniqueName(prefix);
	names.push(name);
	return name;
};

beforeAll(async () => {
	await buildCli();
}, 180_000);

afterAll(async () => {
	await docker(['rm', '-f', '-v', ...names]).catch(() => '');
	for (const name of [...names.map(name => `${name}-data`), ...volumes]) await docker(['volume', 'rm', name]).catch(() => '');
});

type ListedJson = {
	name: string;
	state: string;
	status: string;
	statusText: string;
	oomKilled: boolean;
	exitCode: number | null;
	startedAt: string | null;
	finishedAt: string | null;
	uptimeSeconds: number | null;
};

const listed = async (name: string, all = false) =>
	json<{containers: ListedJson[]}>(await cli(['list', ...(all ? ['--all'] : []), '--json'])).containers.find(container => container.name === name);

describe('an out-of-memory kill is named as one', () => {
	const db = track('oom');
	it('a create that runs out of memory while starting says so, with the limit and what to do', async () => {
		const result = await cli(['create', 'postgres', '--version', '16', '--name', db, '--memory', '6m', '--keep-on-error', '--no-template']);
		expect(result.code, result.stderr).toBe(1);
		expect(result.stderr).toMatch(/killed: out of memory \(limit 6(\.0)? MiB\)/);
		expect(result.stderr).toMatch(/--memory/);
		expect(result.stderr).not.toMatch(/exited with code 137/);
	});

	it('list (without --all), list --json, inspect and inspect --json name it, and say when it started', async () => {
		const plain = await cli(['list']);
		expect(plain.code).toBe(0);
		const row = plain.stdout.split('\n').find(line => line.startsWith(db));
		expect(row, plain.stdout).toMatch(/killed: out of memory/);

		const entry = await listed(db);
		expect(entry).toMatchObject({state: 'exited', status: 'oom-killed', oomKilled: true, uptimeSeconds: null});
		expect(entry!.statusText).toMatch(/out of memory \(limit 6(\.0)? MiB\)/);
		expect(entry!.startedAt).not.toBeNull();
		expect(entry!.finishedAt).not.toBeNull();

		const inspected = await cli(['inspect', db]);
		expect(inspected.stdout).toMatch(/State:\s+killed: out of memory \(limit 6(\.0)? MiB\)/);
		expect(inspected.stdout).toMatch(/Hint:.*--memory/);
		expect(inspected.stdout).toMatch(/Started:\s+\d{4}-/);
		expect(inspected.stdout).toMatch(/Finished:\s+\d{4}-/);
		expect(json<ListedJson>(await cli(['inspect', db, '--json']))).toMatchObject({status: 'oom-killed', oomKilled: true});
	});
});

describe('paused, created and killed containers are shown as they are', () => {
	const paused = track('paused');
	const created = track('created');
	beforeAll(async () => {
		const result = await cli(['create', 'postgres', '--version', '16', '--name', paused]);
		expect(result.code, result.stderr).toBe(0);
		await docker(['pause', paused]);
	}, 120_000);

	it('a paused container is "paused" (not stopped, not 0 s of uptime), and snapshot says how to resume it', async () => {
		const entry = await listed(paused);
		expect(entry).toMatchObject({state: 'paused', status: 'paused'});
		expect(entry!.uptimeSeconds).toBeGreaterThanOrEqual(0);
		const plain = await cli(['list']);
		expect(plain.stdout.split('\n').find(line => line.startsWith(paused))).toMatch(/\bpaused\b/);
		const snap = await cli(['snapshot', paused]);
		expect(snap.code).toBe(2);
		expect(snap.stderr).toMatch(/paused/);
		expect(snap.stderr).toMatch(new RegExp(`dbarena start ${paused}`));
	});

	it('a container that was created but never started is "created", and listed without --all', async () => {
		const labels = JSON.parse(await docker(['inspect', '--format', '{{json .Config.Labels}}', paused])) as Record<string, string>;
		const image = (await docker(['inspect', '--format', '{{.Config.Image}}', paused])).trim();
		await docker(['create', '--name', created, ...Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]), image]);
		const entry = await listed(created);
		expect(entry).toMatchObject({state: 'created', status: 'created', startedAt: null});
		expect((await cli(['inspect', created])).stdout).toMatch(/State:\s+created/);
	});

	it('a killed container says it was killed, when it started, and url warns that nothing listens', async () => {
		await docker(['unpause', paused]);
		await docker(['kill', paused]);
		const entry = await listed(paused, true);
		expect(entry).toMatchObject({state: 'exited', status: 'killed', exitCode: 137, oomKilled: false});
		const inspected = await cli(['inspect', paused]);
		expect(inspected.stdout).toMatch(/State:\s+killed/);
		expect(inspected.stdout).toMatch(/Started:\s+\d{4}-/);
		const url = await cli(['url', paused]);
		expect(url.code).toBe(0);
		expect(url.stdout).toMatch(/^postgresql:\/\//);
		expect(url.stderr).toMatch(new RegExp(`${paused} is not running.*dbarena start ${paused}`));
	});
});

describe('inspect says where the data lives and where it came from', () => {
	const fast = track('fast');
	const persistent = track('kept');
	it('a fast container does not claim tmpfs', async () => {
		expect((await cli(['create', 'postgres', '--version', '16', '--name', fast])).code).toBe(0);
		const inspected = await cli(['inspect', fast]);
		expect(inspected.stdout).toMatch(/Mode:\s+fast/);
		expect(inspected.stdout).not.toMatch(/tmpfs/);
	});

	it('a container on a reused volume says its data came from that volume', async () => {
		expect((await cli(['create', 'postgres', '--version', '16', '--name', persistent, '--persistent'])).code).toBe(0);
		expect((await cli(['destroy', persistent, '--yes'])).code).toBe(0);
		expect((await cli(['create', 'postgres', '--version', '16', '--name', persistent, '--persistent'])).code).toBe(0);
		const inspected = await cli(['inspect', persistent]);
		expect(inspected.stdout).toMatch(new RegExp(`Data from:\\s+volume ${persistent}-data \\(kept from before\\)`));
		expect(json<{source: string}>(await cli(['inspect', persistent, '--json'])).source).toBe('volume');
	});
});
