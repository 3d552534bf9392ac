import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loginFromUrl, mysqlQuery, pgQuery} from '../helpers/docker.js';
import {buildCli, cli, connectionFromText, inspect, json, removeAll, startCli, uniqueName, volumeExists} from './cli-helpers.js';

const registry = process.env['DBARENA_REGISTRY']!;
const containers: string[] = [];
const volumes: string[] = [];

/** A name for this file's containers, removed in afterAll whatever happens. */
function name(prefix: string): string {
	const unique = uniqueName(prefix);
	containers.push(unique);
	volumes.push(`${unique}-data`);
	return unique;
}

beforeAll(async () => {
	await buildCli();
});

afterAll(async () => {
	await removeAll(containers, volumes);
});

type CreatedJson = {
	containers: Array<{
		name: string;
		id: string;
		database: string;
		version: string;
		image: string;
		mode: string;
		state: string;
		health: string;
		hostIp: string;
		hostPort: number;
		containerPort: number;
		volume: string | null;
		memoryLimitBytes: number;
		createdAt: string;
		startedAt: string;
		connection: {host: string; port: number; user: string; password: string; database: string; url: string};
		pulled: boolean;
		readyMs: number;
		totalMs: number;
		volumeReused: boolean;
	}>;
	errors: unknown[];
	totalMs: number;
};

describe('create', () => {
	it('prints the ✓ create steps and a Connection Info block that logs in', async () => {
		const db = name('create-text');
		const result = await cli(['create', 'postgres', '--version', '16', '--name', db]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toBe('');
		// With an initialised template of these settings cached, the core says it uses it.
		const lines = result.stdout
			.trimEnd()
			.split('\n')
			.filter(line => !line.startsWith('✓ Using initialised template dbarena-template/postgres-16:'))
			// Another test file's create beside this one may take the port first; dbarena says so and moves on.
			.filter(line => !/^⚠ Port \d+ was taken meanwhile; trying another$/.test(line));
		expect(lines.slice(0, 5)).toEqual([
			`✓ Image ${registry}/library/postgres:16-alpine cached`,
			`✓ Creating container ${db}`,
			'✓ Starting database',
			expect.stringMatching(/^✓ Waiting for healthy\.\.\. \(\d+\.\ds\)$/) as string,
			expect.stringMatching(/^PostgreSQL ready in \d+\.\ds$/) as string,
		]);
		expect(lines.slice(5, 7)).toEqual(['', 'Connection Info:']);
		const connection = connectionFromText(result.stdout);
		expect(connection).toMatchObject({host: '127.0.0.1', user: 'postgres', password: 'dbarena', database: 'testdb'});
		expect(connection.url).toBe(`postgresql://postgres:dbarena@127.0.0.1:${connection.port}/testdb`);

		// The engine agrees: running, published on 127.0.0.1 at the printed port, labelled.
		const info = (await inspect(db))!;
		expect(info.State.Running).toBe(true);
		expect(info.HostConfig.PortBindings['5432/tcp']).toEqual([{HostIp: '127.0.0.1', HostPort: String(connection.port)}]);
		expect(info.Config.Labels).toMatchObject({'dbarena.managed': 'true', 'dbarena.database': 'postgres', 'dbarena.version': '16', 'dbarena.mode': 'fast'});
		// And a host client logs in with exactly what was printed.
		const [row] = await pgQuery<{db: string; version: string}>(connection, "SELECT current_database() AS db, current_setting('server_version') AS version");
		expect(row).toMatchObject({db: 'testdb'});
		expect(row!.version).toMatch(/^16\./);
	});

	it('--json prints one document with every field, honouring user, password, database, port, memory, env and bind', async () => {
		const db = name('create-json');
		const free = await import('get-port').then(async ({default: getPort}) => getPort({host: '127.0.0.1'}));
		const result = await cli([
			'create',
			'postgres',
			'--version',
			'16',
			'--name',
			db,
			'--user',
			'alice',
			'--password',
			's3cret pass',
			'--database-name',
			'shop',
			'--port',
			String(free),
			'--memory',
			'300m',
			'--env',
			'TZ=Europe/Paris',
			'--bind',
			'127.0.0.1',
			'--timeout',
			'60',
			'--json',
		]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toBe('');
		const document = json<CreatedJson>(result);
		expect(Object.keys(document)).toEqual(['containers', 'errors', 'totalMs']);
		expect(document.errors).toEqual([]);
		const [created] = document.containers;
		const info = (await inspect(db))!;
		expect(created).toEqual({
			name: db,
			id: info.Id,
			database: 'postgres',
			version: '16',
			image: `${registry}/library/postgres:16-alpine`,
			mode: 'fast',
			state: 'running',
			health: 'healthy',
			status: 'healthy',
			statusText: 'healthy',
			hint: null,
			oomKilled: false,
			exitCode: null,
			hostIp: '127.0.0.1',
			hostPort: free,
			containerPort: 5432,
			volume: null,
			memoryLimitBytes: 300 * 1024 * 1024,
			createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
			startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
			finishedAt: null,
			connection: {
				host: '127.0.0.1',
				port: free,
				user: 'alice',
				password: 's3cret pass',
				database: 'shop',
				url: `postgresql://alice:s3cret%20pass@127.0.0.1:${free}/shop`,
				onEngineHost: null,
			},
			source: 'fresh',
			cdc: null,
			seed: null,
			pulled: false,
			readyMs: expect.any(Number) as number,
			totalMs: expect.any(Number) as number,
			volumeReused: false,
		});
		expect(created!.totalMs).toBeGreaterThanOrEqual(created!.readyMs);
		expect(document.totalMs).toBe(created!.totalMs);
		expect(info.HostConfig.Memory).toBe(300 * 1024 * 1024);
		expect(info.Config.Env).toContain('TZ=Europe/Paris');

		const [row] = await pgQuery<{db: string; who: string; tz: string}>(
			created!.connection,
			"SELECT current_database() AS db, current_user AS who, current_setting('TimeZone') AS tz",
		);
		expect(row).toEqual({db: 'shop', who: 'alice', tz: 'Europe/Paris'});
	});

	it('creates several databases in parallel, one line each as it becomes ready, and each logs in', async () => {
		// The README's example, with every default version: PostgreSQL 18, MySQL 8.4, MariaDB 11.8.
		const result = await cli(['create', 'postgres', 'mysql', 'mariadb']);
		const names = [...result.stdout.matchAll(/^ {2}✓ (\S+) ready \((?:\d+\.\ds|\d+m \d\ds)\)$/gm)].map(match => match[1]!);
		containers.push(...names);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toBe('');
		// A start slower than 10 s (real MySQL's first start on a busy machine) also prints what it
		// is still waiting for; those lines may come or not.
		const lines = result.stdout
			.trimEnd()
			.split('\n')
			.filter(line => !/^ {2}\S+: Waiting for healthy\.\.\. \(\d+\.\ds\)$/.test(line));
		expect(lines[0]).toBe('Creating 3 containers in parallel...');
		expect(names.sort()).toEqual([
			expect.stringMatching(/^dbarena-mariadb-11\.8-[\da-f]{4}$/) as string,
			expect.stringMatching(/^dbarena-mysql-8\.4-[\da-f]{4}$/) as string,
			expect.stringMatching(/^dbarena-postgres-18-[\da-f]{4}$/) as string,
		]);
		const duration = String.raw`(?:\d+\.\ds|\d+m \d\ds)`;
		expect(lines[4]).toMatch(new RegExp(`^All containers ready in ${duration} \\(vs ${duration} sequential\\)$`));
		expect(lines.slice(5, 7)).toEqual(['', 'Connection Info:']);
		const urls = new Map(lines.slice(7).map(line => line.trim().split(/\s+/) as [string, string]));
		expect([...urls.keys()].sort()).toEqual(names);
		for (const [container, url] of urls) {
			const login = loginFromUrl(url);
			if (container.includes('postgres')) {
				expect(url).toMatch(/^postgresql:\/\/postgres:dbarena@127\.0\.0\.1:\d+\/testdb$/);
				expect(await pgQuery(login, 'SELECT 1 AS one')).toEqual([{one: 1}]);
			} else {
				expect(url).toMatch(/^mysql:\/\/root:dbarena@127\.0\.0\.1:\d+\/testdb$/);
				expect(await mysqlQuery(login, 'SELECT DATABASE() AS db')).toEqual([{db: 'testdb'}]);
			}
			expect((await inspect(container))!.State.Running).toBe(true);
		}
	});

	it('--persistent keeps data in a volume across destroy and create; --remove-volume needs --yes', async () => {
		const db = name('create-persist');
		const first = await cli(['create', 'postgres', '--version', '16', '--name', db, '--persistent', '--json']);
		expect(first.code, first.stderr).toBe(0);
		const created = json<CreatedJson>(first).containers[0]!;
		expect(created).toMatchObject({mode: 'persistent', volume: `${db}-data`, volumeReused: false});
		expect((await inspect(db))!.Mounts).toContainEqual(expect.objectContaining({Type: 'volume', Name: `${db}-data`}));
		await pgQuery(created.connection, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");

		const destroyed = await cli(['destroy', db, '--yes']);
		expect(destroyed.code, destroyed.stderr).toBe(0);
		expect(destroyed.stdout).toMatch(
			new RegExp(`^✓ Container ${db} destroyed \\(\\d+\\.\\ds\\)\\n  Volume ${db}-data kept \\(remove it with: dbarena volumes rm ${db}-data --yes\\)\\n$`),
		);
		expect(await inspect(db)).toBeUndefined();
		expect(await volumeExists(`${db}-data`)).toBe(true);

		const again = await cli(['create', 'postgres', '--version', '16', '--name', db, '--persistent']);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stdout).toContain(`✓ Reusing volume ${db}-data (data kept from before)`);
		expect(await pgQuery(connectionFromText(again.stdout), 'SELECT v FROM kept')).toEqual([{v: 'still here'}]);

		const refused = await cli(['destroy', db, '--remove-volume']);
		expect(refused.code).toBe(2);
		expect(await inspect(db)).toBeDefined();

		const gone = await cli(['destroy', db, '--remove-volume', '--yes', '--json']);
		expect(gone.code, gone.stderr).toBe(0);
		expect(json(gone)).toEqual({containers: [{name: db, id: expect.any(String) as string, volumeRemoved: `${db}-data`, volumeKept: null}], errors: []});
		expect(await inspect(db)).toBeUndefined();
		expect(await volumeExists(`${db}-data`)).toBe(false);
	});
});

describe('what a create makes Node load', () => {
	it('loads none of the Node modules only other paths need before it asks the engine to create the container', async () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'dbarena-modules-'));
		try {
			// Node's own list of the built-in modules loaded so far, taken when the create request is
			// written to the engine's socket: what is loaded later (drivers, dockerode while the engine
			// starts the container) is off the path the user waits on.
			const recorder = path.join(directory, 'record.cjs');
			const list = path.join(directory, 'modules.json');
			writeFileSync(
				recorder,
				`const net = require('node:net'); const write = net.Socket.prototype.write;
				net.Socket.prototype.write = function (data, ...rest) {
					if (typeof data === 'string' && data.startsWith('POST /containers/create'))
						require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList));
					return write.call(this, data, ...rest);
				};`,
			);
			const db = name('create-modules');
			const result = await cli(['create', 'postgres', '--version', '16', '--name', db, '--json'], {env: {NODE_OPTIONS: `--require ${recorder}`}});
			expect(result.code, result.stderr).toBe(0);
			const loaded = (JSON.parse(readFileSync(list, 'utf8')) as string[]).filter(entry => entry.startsWith('NativeModule ')).map(entry => entry.slice(13));
			expect(loaded).toContain('crypto');
			// Gzipped init files (9 ms of a new process here) and perf_hooks (performance is a global)
			// are for other paths. child_process comes anyway: Node's net loads cluster, and cluster
			// child_process, for the first listen (the free-port check).
			expect(loaded.filter(module => ['zlib', 'perf_hooks'].includes(module))).toEqual([]);
		} finally {
			rmSync(directory, {recursive: true, force: true});
		}
	});

	it('never loads dockerode, from the template or fresh: every call on the way is a plain socket request', async () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'dbarena-modules-'));
		try {
			// Every CommonJS module a process loaded, taken as it exits, with its arguments (a fresh
			// create's template is built by a process of its own, which does load dockerode to commit).
			// dockerode is 30-50 ms of CPU here, taken from the engine starting the container.
			const recorder = path.join(directory, 'record.cjs');
			writeFileSync(
				recorder,
				`process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(directory)} + '/' + process.pid + '.json',
					JSON.stringify({argv: process.argv, modules: Object.keys(require('node:module')._cache)})));`,
			);
			for (const extra of [[], ['--no-template']]) {
				const db = name('create-no-dockerode');
				const result = await cli(['create', 'postgres', '--version', '16', '--name', db, '--json', ...extra], {env: {NODE_OPTIONS: `--require ${recorder}`}});
				expect(result.code, result.stderr).toBe(0);
				const records = readdirSync(directory)
					.filter(file => file.endsWith('.json'))
					.map(file => JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as {argv: string[]; modules: string[]});
				const own = records.find(record => record.argv.includes(db));
				expect(own, JSON.stringify(records.map(record => record.argv))).toBeDefined();
				expect(
					own!.modules.some(module => module.includes(`${path.sep}pg${path.sep}`)),
					'the probe loaded pg',
				).toBe(true);
				expect(own!.modules.filter(module => /[\\/](dockerode|docker-modem)[\\/]/.test(module))).toEqual([]);
			}
		} finally {
			rmSync(directory, {recursive: true, force: true});
		}
	});
});

describe('create that fails or is interrupted', () => {
	it('Ctrl-C (SIGINT) while waiting for readiness removes the container and exits 130', async () => {
		const db = name('create-sigint');
		// The fixture holds its first-start phase open, so readiness cannot come before the signal.
		const running = startCli(['create', 'postgres', '--version', '16', '--name', db, '--env', 'FIXTURE_INIT_HOLD_SECONDS=10']);
		await running.waitFor(/✓ Starting database/);
		expect((await inspect(db))!.State.Running).toBe(true);
		running.child.kill('SIGINT');
		const result = await running.done;
		expect(result.code, result.stderr).toBe(130);
		expect(result.stdout).toContain(`⚠ Removing ${db} (interrupted)`);
		expect(result.stderr).toBe(`Error: Waiting for ${db} to be ready was interrupted.\n`);
		expect(await inspect(db)).toBeUndefined();
	});

	it('SIGTERM does the same and exits 143', async () => {
		const db = name('create-sigterm');
		const running = startCli(['create', 'postgres', '--version', '16', '--name', db, '--env', 'FIXTURE_INIT_HOLD_SECONDS=10', '--json']);
		// In --json mode nothing is printed while working: wait for the engine to have the container.
		for (let tries = 0; tries < 200 && !(await inspect(db))?.State.Running; tries++) await new Promise(resolve => setTimeout(resolve, 50));
		running.child.kill('SIGTERM');
		const result = await running.done;
		expect(result.code, result.stderr).toBe(143);
		expect(json<{error: {code: string; exitCode: number}}>(result).error).toMatchObject({code: 'interrupted', exitCode: 143});
		expect(await inspect(db)).toBeUndefined();
	});

	it('--bind 0.0.0.0 with a password of its own: created, and stderr says from where it is reachable', async () => {
		const db = name('create-exposed');
		const result = await cli(['create', 'postgres', '--version', '16', '--name', db, '--bind', '0.0.0.0', '--password', 'Exposed-1', '--json']);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toMatch(new RegExp(`^Note: ${db} is reachable from the network at \\S+:\\d+.*, with the password you gave\\.\\n$`));
		const [created] = json<CreatedJson>(result).containers;
		expect(await pgQuery(created!.connection, 'SELECT 1 AS one')).toEqual([{one: 1}]);
	});

	it('a readiness timeout exits 1, says what to do and removes the container', async () => {
		const db = name('create-timeout');
		const result = await cli(['create', 'postgres', '--version', '16', '--name', db, '--env', 'FIXTURE_INIT_HOLD_SECONDS=10', '--timeout', '1']);
		expect(result.code, result.stderr).toBe(1);
		expect(result.stderr).toMatch(new RegExp(`^Error: ${db} was not ready after 1s \\(last probe: .*\\)\\. Try a longer --timeout\\.\\nLast log lines:\\n  `));
		// The container is gone, so the error shows its last lines instead of pointing at "dbarena logs".
		expect(result.stderr).not.toContain('dbarena logs');
		expect(result.stdout).toContain(`⚠ Removing ${db} (readiness_timeout)`);
		expect(await inspect(db)).toBeUndefined();
	});

	it('--keep-on-error keeps the failed container for inspection', async () => {
		const db = name('create-keep');
		const result = await cli([
			'create',
			'postgres',
			'--version',
			'16',
			'--name',
			db,
			'--env',
			'FIXTURE_INIT_HOLD_SECONDS=10',
			'--timeout',
			'1',
			'--keep-on-error',
		]);
		expect(result.code, result.stderr).toBe(1);
		expect(result.stdout).toContain(`⚠ Keeping ${db}: kept for inspection (--keep-on-error)`);
		expect(await inspect(db)).toBeDefined();
		// Kept as it was: still running its first start, its log there to read.
		expect((await inspect(db))!.State.Running).toBe(true);
		const logs = await cli(['logs', db]);
		expect(logs.code, logs.stderr).toBe(0);
		expect(logs.stdout).toMatch(/initdb|database|holding the temporary/i);
	});
});
