import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {canLogin} from '../helpers/docker.js';
import {buildCli, cli, docker, inspect, json, removeAll, startCli, uniqueName, volumeExists} from '../integration/cli-helpers.js';

// Many dbarena processes at once, and signals in the middle of operations. Run alone (the
// "isolated" project) so that "nothing left behind" can be checked against the whole engine.

type Created = {containers: Array<{name: string; connection: {host: string; port: number; user: string; password: string; database: string}}>};

const made: string[] = [];
const volumes: string[] = [];
beforeAll(async () => {
	await buildCli();
}, 120_000);
afterAll(async () => {
	await removeAll(made, volumes);
});

async function managedNames(): Promise<string[]> {
	const text = await docker(['ps', '-a', '--filter', 'label=dbarena.managed=true', '--format', '{{.Names}}']);
	return text.trim().split('\n').filter(Boolean).sort();
}

async function allVolumes(): Promise<string[]> {
	const text = await docker(['volume', 'ls', '--format', '{{.Name}}']);
	return text.trim().split('\n').filter(Boolean).sort();
}

describe('concurrency', () => {
	it('8 create processes at once all succeed with distinct names and ports', async () => {
		const results = await Promise.all(Array.from({length: 8}, async () => cli(['create', 'postgres', '--version', '16', '--json'], {timeoutMs: 180_000})));
		// Recorded for cleanup before anything is asserted: a failing assertion must not leak the rest.
		for (const result of results) {
			const name = result.code === 0 ? json<Created>(result).containers[0]?.name : undefined;
			if (name) made.push(name);
		}
		const created = results.map(result => {
			expect(result.code, result.stderr).toBe(0);
			return json<Created>(result).containers[0]!;
		});
		expect(new Set(created.map(container => container.name)).size).toBe(8);
		expect(new Set(created.map(container => container.connection.port)).size).toBe(8);
		for (const container of created) expect(await canLogin('postgres', container.connection)).toBe(true);

		// ...and 8 destroys of different containers at once.
		const destroyed = await Promise.all(created.map(async container => cli(['destroy', container.name, '--yes'])));
		for (const result of destroyed) expect(result.code, result.stderr).toBe(0);
		const left = await managedNames();
		for (const container of created) expect(left).not.toContain(container.name);
	}, 240_000);

	it('destroy racing stop on the same container ends in a clear state with clear messages', async () => {
		const name = uniqueName('race');
		made.push(name);
		volumes.push(`${name}-data`);
		expect((await cli(['create', 'postgres', '--version', '16', '--name', name, '--persistent'])).code).toBe(0);
		const [stopped, destroyed] = await Promise.all([cli(['stop', name]), cli(['destroy', name, '--yes'])]);
		// destroy wins: the container is gone, its volume (persistent, not asked to go) stays.
		expect(destroyed.code, destroyed.stderr).toBe(0);
		expect(await inspect(name)).toBeUndefined();
		expect(await volumeExists(`${name}-data`)).toBe(true);
		// stop either finished first or says plainly that the container is gone: never a stack trace.
		if (stopped.code !== 0) {
			expect([1, 2]).toContain(stopped.code);
			expect(stopped.stderr.trim().split('\n')).toHaveLength(1);
			expect(stopped.stderr).toMatch(/^Error: /);
			expect(stopped.stderr).not.toMatch(/\n\s+at /);
		}
	});
});

describe('interrupted operations leave nothing behind, and a rerun succeeds', () => {
	it.each([
		['SIGINT', 130],
		['SIGTERM', 143],
	] as const)('%s while waiting for readiness', async (signal, code) => {
		const name = uniqueName(`int-${signal.toLowerCase()}`);
		made.push(name);
		const running = startCli(['create', 'postgres', '--version', '16', '--name', name, '--no-template', '--env', 'FIXTURE_INIT_HOLD_SECONDS=20']);
		await running.waitFor(/Starting database/);
		// Its own anonymous volumes, not the engine's whole list: other containers on the engine
		// may come and go meanwhile.
		const own = ((await inspect(name))?.Mounts ?? []).flatMap(mount => (mount.Type === 'volume' && mount.Name ? [mount.Name] : []));
		expect(own.length).toBeGreaterThan(0);
		running.child.kill(signal);
		const result = await running.done;
		// A signal before Node has set up its handlers ends the process by the signal itself (nothing
		// was done yet); after, the command exits with the signal's code.
		expect(result.code, result.stderr).toBe(code);
		expect(await inspect(name)).toBeUndefined();
		const left = await allVolumes();
		expect(own.filter(volume => left.includes(volume))).toEqual([]);
		const again = await cli(['create', 'postgres', '--version', '16', '--name', name]);
		expect(again.code, again.stderr).toBe(0);
	});

	it('SIGINT during an image pull', async () => {
		const name = uniqueName('int-pull');
		made.push(name);
		const registry = process.env['DBARENA_REGISTRY'] ?? '127.0.0.1:5000';
		await docker(['rmi', '-f', `${registry}/library/postgres:14-alpine`]).catch(() => '');
		const running = startCli(['create', 'postgres', '--version', '14', '--name', name]);
		await running.waitFor(/not cached, pulling/);
		running.child.kill('SIGINT');
		const result = await running.done;
		expect(result.code, result.stderr).toBe(130);
		expect(await inspect(name)).toBeUndefined();
		const again = await cli(['create', 'postgres', '--version', '14', '--name', name]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stdout).toMatch(/Image .*postgres:14-alpine (pulled|cached)/);
	});

	it('SIGTERM during destroy of a persistent container: the volume stays, and what is left is whole', async () => {
		const name = uniqueName('int-destroy');
		made.push(name);
		volumes.push(`${name}-data`);
		expect((await cli(['create', 'postgres', '--version', '16', '--name', name, '--persistent'])).code).toBe(0);
		const running = startCli(['destroy', name, '--yes']);
		// destroy stops a container with a volume cleanly first; interrupt it meanwhile.
		await new Promise(resolve => setTimeout(resolve, 400));
		running.child.kill('SIGTERM');
		await running.done;
		expect(await volumeExists(`${name}-data`)).toBe(true);
		const left = await inspect(name);
		if (left) {
			// Still there (stopped or running): destroying again finishes the job.
			const again = await cli(['destroy', name, '--yes']);
			expect(again.code, again.stderr).toBe(0);
		}
		expect(await inspect(name)).toBeUndefined();
		// The data is still in the volume: the same name comes back with it.
		const back = await cli(['create', 'postgres', '--version', '16', '--name', name, '--persistent']);
		expect(back.code, back.stderr).toBe(0);
		expect(back.stdout).toContain('Reusing volume');
	});

	it.each([
		['SIGINT', 130, 150],
		['SIGINT', 130, 400],
		['SIGTERM', 143, 800],
		['SIGINT', 130, 1500],
	] as const)(
		'%s (exit %i) at %i ms into reset --yes of a persistent container: the old container or a complete new one, never nothing',
		async (signal, code, delayMs) => {
			const name = uniqueName('int-reset');
			made.push(name);
			volumes.push(`${name}-data`);
			const created = json<Created>(await cli(['create', 'postgres', '--version', '16', '--name', name, '--persistent', '--json']));
			const port = created.containers[0]!.connection.port;
			const running = startCli(['reset', name, '--yes']);
			await new Promise(resolve => setTimeout(resolve, delayMs));
			running.child.kill(signal);
			const result = await running.done;
			// Interrupted before the old data went (the old container as it was; a signal before Node set
			// up its handlers ends the process by the signal itself) or after (the reset is finished,
			// then the signal's exit code): a database is there either way.
			expect(result.code === code || result.signal === signal, JSON.stringify({code: result.code, signal: result.signal, stderr: result.stderr})).toBe(true);
			const left = await inspect(name);
			expect(left?.State.Running, `${name} after ${signal} at ${delayMs} ms: ${result.stderr}`).toBe(true);
			const login = {...created.containers[0]!.connection, port};
			expect(await canLogin('postgres', login)).toBe(true);
			expect(await volumeExists(`${name}-data`)).toBe(true);
		},
	);
});
