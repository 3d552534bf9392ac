import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {onPodman} from '../helpers/engine-run.js';
import {buildCli, cli, json} from './cli-helpers.js';

/**
 * A docker context made by `docker context create` against Podman's socket (issue 15, part 3):
 * dbarena follows it, named by DOCKER_CONTEXT and as the CLI's current context, and says it
 * reached Podman and how it found it. Only the podman project runs this file (vitest.config.ts,
 * podmanOnlyFiles): it needs Podman up, which npm test brings up after the Docker tests.
 */
const podmanHost = process.env['DOCKER_HOST'];
const config = mkdtempSync(path.join(tmpdir(), 'dbarena-podman-context-'));
// No DOCKER_HOST (the podman project sets it): it would win over every context.
const base = {DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, DOCKER_CONFIG: config};
const configFile = path.join(config, 'config.json');

type Doctor = {
	engine: {address: string; foundBy: string; source: string; product: string};
	checks: Array<{id: string; status: string; detail: string; fix: string | null}>;
	ok: boolean;
};
type Listed = {engine: {address: string; foundBy: string; source: string; product: string; version: string}};

/** The docker CLI itself, with the temporary config folder and without DOCKER_HOST. */
async function dockerCli(args: string[]): Promise<string> {
	const env: NodeJS.ProcessEnv = {...process.env, DOCKER_CONFIG: config};
	delete env['DOCKER_HOST'];
	delete env['DOCKER_CONTEXT'];
	const {stdout} = await promisify(execFile)('docker', args, {env});
	return stdout;
}

/** Which engine and version the socket serves, asked with podman's own client. */
async function podman(): Promise<{product: string; version: string}> {
	const {stdout} = await promisify(execFile)('podman', ['--url', podmanHost!, 'version', '--format', '{{.Server.Version}}']);
	return {product: 'Podman', version: stdout.trim()};
}

beforeAll(async () => {
	if (!onPodman || !podmanHost?.startsWith('unix://')) {
		throw new Error(`This file runs in the podman project (DOCKER_HOST is Podman's socket); here DOCKER_HOST is ${podmanHost ?? 'unset'}.`);
	}
	await buildCli();
	await dockerCli(['context', 'create', 'dbarena-podman', '--docker', `host=${podmanHost}`]);
}, 180_000);

afterAll(() => {
	rmSync(config, {recursive: true, force: true});
});

describe('a docker context whose endpoint is Podman’s socket', () => {
	it('DOCKER_CONTEXT names it: list and doctor reach Podman and say it was found by DOCKER_CONTEXT', async () => {
		const env = {...base, DOCKER_CONTEXT: 'dbarena-podman'};
		const listed = await cli(['list', '--json'], {env});
		expect(listed.code, listed.stderr).toBe(0);
		expect(json<Listed>(listed).engine).toEqual({address: podmanHost, source: 'DOCKER_CONTEXT', foundBy: 'DOCKER_CONTEXT=dbarena-podman', ...(await podman())});
		const doctor = await cli(['doctor', '--json'], {env});
		const report = json<Doctor>(doctor);
		expect(report.engine).toMatchObject({address: podmanHost, source: 'DOCKER_CONTEXT', foundBy: 'DOCKER_CONTEXT=dbarena-podman', product: 'Podman'});
		const engine = report.checks.find(check => check.id === 'engine')!;
		expect(engine.status).toBe('pass');
		expect(engine.detail).toMatch(/^Podman \d[\d.]* \(API [\d.]+, linux\/\w+, root(ful|less)\) at /);
		expect(engine.detail).toContain(`at ${podmanHost!}, found by DOCKER_CONTEXT=dbarena-podman`);
	});

	it('as the current context (docker context use), with nothing set: list and doctor follow it and name the config file', async () => {
		await dockerCli(['context', 'use', 'dbarena-podman']);
		try {
			const foundBy = `docker context "dbarena-podman" (current in ${configFile})`;
			const listed = await cli(['list', '--json'], {env: base});
			expect(listed.code, listed.stderr).toBe(0);
			expect(json<Listed>(listed).engine).toEqual({address: podmanHost, source: 'docker-context', foundBy, ...(await podman())});
			const report = json<Doctor>(await cli(['doctor', '--json'], {env: base}));
			expect(report.engine).toMatchObject({address: podmanHost, source: 'docker-context', foundBy, product: 'Podman'});
			expect(report.checks.find(check => check.id === 'engine')!.detail).toContain(`found by ${foundBy}`);
			// The text output says the same, for a person.
			const text = await cli(['doctor'], {env: base});
			expect(text.stdout).toMatch(new RegExp(`^✓ Container engine: Podman .* found by docker context "dbarena-podman"`, 'm'));
		} finally {
			await dockerCli(['context', 'use', 'default']);
		}
	});
});
