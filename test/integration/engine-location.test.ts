import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildCli, cli, docker, json} from './cli-helpers.js';

/**
 * dbarena finds the engine as the docker CLI does (issue 15, part 3), with real contexts made by
 * `docker context create` against this machine's engine, and `doctor` says how it found it.
 */
const config = mkdtempSync(path.join(tmpdir(), 'dbarena-docker-config-'));
// No DOCKER_HOST: it would win over every context.
const base = {DOCKER_HOST: undefined, DOCKER_CONFIG: config};

type Doctor = {
	engine: {address: string; foundBy: string; source: string};
	checks: Array<{id: string; status: string; detail: string; fix: string | null}>;
	ok: boolean;
};

beforeAll(async () => {
	await buildCli();
	await docker(['--config', config, 'context', 'create', 'dbarena-here', '--docker', 'host=unix:///var/run/docker.sock']);
	await docker(['--config', config, 'context', 'create', 'dbarena-dead', '--docker', `host=unix://${path.join(config, 'nothing.sock')}`]);
}, 180_000);

afterAll(() => {
	rmSync(config, {recursive: true, force: true});
});

describe('finding the engine', () => {
	it('DOCKER_CONTEXT names a context: dbarena talks to its endpoint and says so', async () => {
		const result = await cli(['doctor', '--json'], {env: {...base, DOCKER_CONTEXT: 'dbarena-here'}});
		const report = json<Doctor>(result);
		expect(report.engine).toMatchObject({address: 'unix:///var/run/docker.sock', source: 'DOCKER_CONTEXT', foundBy: 'DOCKER_CONTEXT=dbarena-here'});
		expect(report.checks.find(check => check.id === 'engine')).toMatchObject({status: 'pass'});
		expect(report.checks.find(check => check.id === 'engine')!.detail).toMatch(/Docker Engine .* found by DOCKER_CONTEXT=dbarena-here/);
		const listed = json<{engine: {source: string}}>(await cli(['list', '--json'], {env: {...base, DOCKER_CONTEXT: 'dbarena-here'}}));
		// Which engine it reached, as the docker CLI itself reads it from the same engine.
		const serverVersion = (await docker(['--config', config, 'version', '--format', '{{.Server.Version}}'])).trim();
		expect(listed.engine).toMatchObject({source: 'DOCKER_CONTEXT', product: 'Docker Engine', version: serverVersion});
	});

	it("the docker CLI's current context (docker context use) is followed when nothing is set", async () => {
		await docker(['--config', config, 'context', 'use', 'dbarena-here']);
		try {
			const listed = await cli(['list', '--json'], {env: base});
			expect(listed.code, listed.stderr).toBe(0);
			expect(json<{engine: {source: string; foundBy: string}}>(listed).engine).toMatchObject({source: 'docker-context'});
			expect(json<{engine: {foundBy: string}}>(listed).engine.foundBy).toContain('docker context "dbarena-here"');
		} finally {
			await docker(['--config', config, 'context', 'use', 'default']);
		}
	});

	it('a context whose engine is not there: exit 3, naming the address and how it was found', async () => {
		const result = await cli(['list'], {env: {...base, DOCKER_CONTEXT: 'dbarena-dead'}});
		expect(result.code).toBe(3);
		expect(result.stderr).toMatch(/^Error: Docker is not reachable at unix:\/\/.*nothing\.sock, found by DOCKER_CONTEXT=dbarena-dead/);
		const doctor = await cli(['doctor', '--json'], {env: {...base, DOCKER_CONTEXT: 'dbarena-dead'}});
		expect(doctor.code).toBe(3);
		expect(json<Doctor>(doctor).checks).toEqual([expect.objectContaining({id: 'engine', status: 'fail'})]);
	});

	it('a context that does not exist is a usage error, exit 2, that says how to list them', async () => {
		const result = await cli(['list', '--json'], {env: {...base, DOCKER_CONTEXT: 'no-such-context'}});
		expect(result.code).toBe(2);
		expect(json<{error: {code: string; message: string}}>(result).error).toMatchObject({code: 'unknown_context'});
		expect(result.stderr).toMatch(/docker context ls/);
	});

	it('DOCKER_HOST still wins over a context', async () => {
		const listed = json<{engine: {source: string}}>(
			await cli(['list', '--json'], {env: {...base, DOCKER_CONTEXT: 'dbarena-dead', DOCKER_HOST: 'unix:///var/run/docker.sock'}}),
		);
		expect(listed.engine.source).toBe('DOCKER_HOST');
	});
});

describe('dbarena doctor', () => {
	it('passes on this machine with the test registry, and says what it checked', async () => {
		const result = await cli(['doctor']);
		expect(result.code, result.stdout).toBe(0);
		for (const title of [
			'Container engine',
			'Registry mirror',
			'PostgreSQL 18 image',
			'Disk space',
			'Default ports',
			'Clock',
			'Templates and snapshots',
			'Node start',
		]) {
			expect(result.stdout).toContain(title);
		}
		expect(result.stdout).toMatch(/\d+ passed, \d+ warned, 0 failed\.\n$/);
	});

	it("names NODE_EXTRA_CA_CERTS when it slowed Node's own start, and passes without it", async () => {
		// Node 20 builds its certificate store before V8 when the variable is set: 45-90 ms here
		// (its own roots, then the file's), against under 10 ms without it.
		const withCerts = json<Doctor>(await cli(['doctor', '--json'], {env: {NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt'}}));
		const slow = withCerts.checks.find(check => check.id === 'node-start');
		expect(slow, JSON.stringify(withCerts.checks)).toMatchObject({status: 'warn'});
		expect(slow!.detail).toMatch(/^Node took \d+ ms before it could run any code: NODE_EXTRA_CA_CERTS \(\/etc\/ssl\/certs\/ca-certificates\.crt\)/);
		const without = json<Doctor>(await cli(['doctor', '--json'], {env: {NODE_EXTRA_CA_CERTS: ''}}));
		expect(without.checks.find(check => check.id === 'node-start')).toMatchObject({status: 'pass', detail: expect.stringMatching(/^Node took \d+ ms/)});
	});

	it('a registry that does not answer fails its check, with the fix, and exit 1', async () => {
		const result = await cli(['doctor', '--json'], {env: {DBARENA_REGISTRY: '127.0.0.1:5999'}});
		expect(result.code).toBe(1);
		const report = json<Doctor>(result);
		expect(report.ok).toBe(false);
		const registry = report.checks.find(check => check.id === 'registry')!;
		expect(registry).toMatchObject({status: 'fail'});
		expect(registry.detail).toMatch(/127\.0\.0\.1:5999\/v2\/ does not answer/);
		expect(registry.fix).toMatch(/DBARENA_REGISTRY/);
	});

	it('a default port another process listens on: a warning naming it, with the fix (exit 0, a warning fails nothing)', async () => {
		const {server, port} = await listenOnADefaultPort();
		try {
			const result = await cli(['doctor']);
			expect(result.code, result.stdout).toBe(0);
			expect(result.stdout).toMatch(new RegExp(`^⚠ Default ports on 127\\.0\\.0\\.1: (\\d+, )*${port}(, \\d+)* taken by another process$`, 'm'));
			expect(result.stdout).toContain(
				'\n    fix: dbarena then picks the next free port and prints it; to keep the usual one, stop what listens there (ss -ltnp shows it).\n',
			);
		} finally {
			await new Promise(resolve => server.close(resolve));
		}
	});

	it('no engine at all: exit 3', async () => {
		const result = await cli(['doctor'], {env: {DOCKER_HOST: `unix://${path.join(config, 'none.sock')}`}});
		expect(result.code).toBe(3);
		expect(result.stdout).toMatch(/✗ Container engine: Docker is not reachable/);
		expect(result.stdout).toMatch(/fix: Start the engine at unix:\/\//);
	});
});

/**
 * Listen on one of the presets' default ports on 127.0.0.1, as another database on this machine
 * would: SQL Server's 1433 first (no test here makes a SQL Server, so nothing of ours is there),
 * else MySQL's or PostgreSQL's when another test's database holds it.
 */
async function listenOnADefaultPort(): Promise<{server: Server; port: number}> {
	for (const port of [1433, 3306, 5432]) {
		const server = createServer(socket => socket.destroy());
		const listening = await new Promise<boolean>(resolve => {
			server.once('error', () => resolve(false));
			server.listen({host: '127.0.0.1', port}, () => resolve(true));
		});
		if (listening) return {server, port};
	}
	throw new Error('1433, 3306 and 5432 are all taken on 127.0.0.1: nothing to take for this test');
}
