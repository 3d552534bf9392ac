import {execFile} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';
import {type Login, mysqlQuery, pgQuery, removeContainers} from '../helpers/docker.js';
import {buildCli, root} from './cli-helpers.js';

const execFileAsync = promisify(execFile);

/**
 * The README's first command, as a newcomer runs it: a home without dbarena's config and no
 * DBARENA_REGISTRY. A `dbarena` already on PATH (a stub that is never run) keeps the script from
 * `npm link`ing this checkout into the machine's global npm during a test.
 */
describe('README: bash scripts/quickstart.sh', () => {
	const home = mkdtempSync(path.join(tmpdir(), 'dbarena-quickstart-home-'));
	const bin = mkdtempSync(path.join(tmpdir(), 'dbarena-quickstart-bin-'));
	writeFileSync(path.join(bin, 'dbarena'), '#!/bin/sh\necho "the stub must not run" >&2\nexit 99\n');
	chmodSync(path.join(bin, 'dbarena'), 0o755);
	const env: NodeJS.ProcessEnv = {...process.env, HOME: home, PATH: `${bin}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1'};
	delete env['DBARENA_REGISTRY'];
	delete env['XDG_CONFIG_HOME'];
	const names: string[] = [];
	const quickstart = async (...args: string[]) => execFileAsync('bash', ['scripts/quickstart.sh', ...args], {cwd: root, env, timeout: 170_000});

	afterAll(async () => {
		await removeContainers(names);
		rmSync(home, {recursive: true, force: true});
		rmSync(bin, {recursive: true, force: true});
	});

	it('creates PostgreSQL, MySQL and MariaDB at their defaults that answer with the printed credentials, then lists them', async () => {
		// The script would run npm ci on a stale install, under the feet of the other test files.
		const hidden = path.join(root, 'node_modules', '.package-lock.json');
		expect(
			existsSync(hidden) && statSync(hidden).mtimeMs >= statSync(path.join(root, 'package-lock.json')).mtimeMs,
			'node_modules is older than package-lock.json: run npm ci (npm test does)',
		).toBe(true);
		await buildCli();
		// The README's example on a fresh machine: every default version, one of them real MySQL
		// with its two-phase first start, all pulled through what the script set up.
		const created = await quickstart('create', 'postgres', 'mysql', 'mariadb', '--json');
		const output = JSON.parse(created.stdout) as {
			containers: Array<{name: string; database: string; version: string; connection: Login}>;
		};
		names.push(...output.containers.map(container => container.name));
		expect(output.containers.map(container => `${container.database}:${container.version}`).sort()).toEqual(['mariadb:11.8', 'mysql:8.4', 'postgres:18']);
		const answers: Record<string, string> = {};
		for (const container of output.containers) {
			const login = container.connection;
			answers[container.database] =
				container.database === 'postgres'
					? ((await pgQuery<{v: string}>(login, 'SELECT version() AS v'))[0]?.v ?? '')
					: ((await mysqlQuery<{v: string}>(login, "SELECT CONCAT(@@version, ' ', @@version_comment) AS v"))[0]?.v ?? '');
		}
		expect(answers['postgres']).toMatch(/^PostgreSQL 18\./);
		// The mysql tags are Oracle's server (README, The fixture images), not MariaDB standing in.
		expect(answers['mysql']).not.toMatch(/mariadb/i);
		expect(answers['mariadb']).toMatch(/^11\.8\.\d+-MariaDB/);

		// Where official images cannot be pulled (this machine), the script must have pointed dbarena
		// at the local registry through the config file; where they can, it must not have.
		const config = path.join(home, '.config', 'dbarena', 'config.json');
		if (created.stderr.includes('official images are not reachable')) {
			expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({registry: `127.0.0.1:${process.env['DBARENA_REGISTRY_PORT'] ?? '5000'}`});
		} else {
			expect(created.stderr).toContain('official images are reachable');
			expect(existsSync(config)).toBe(false);
		}

		// No arguments and no terminal: the container list instead of the dashboard.
		const listed = await quickstart();
		for (const name of names) expect(listed.stdout).toContain(name);
	});
});
