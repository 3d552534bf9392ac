import {privatePort} from '../helpers/private-port.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {pgQuery} from '../helpers/docker.js';
import {buildCli, cli, inspect, json, removeAll, startCli, uniqueName} from './cli-helpers.js';

// One container through its whole life, command by command, in order: list, inspect, url,
// logs, stop, start, restart, reset, destroy. Each step checks the output and the engine.

const db = uniqueName('life');
const password = 'pw-Secret-7';
let port = 0;

type ContainerJson = {
	name: string;
	id: string;
	database: string;
	version: string;
	mode: string;
	state: string;
	health: string;
	hostIp: string;
	hostPort: number;
	containerPort: number;
	volume: string | null;
	uptimeSeconds?: number;
	connection: Record<string, unknown>;
	labels?: Record<string, string>;
};

const login = () => ({host: '127.0.0.1', port, user: 'postgres', password, database: 'testdb'});

beforeAll(async () => {
	await buildCli();
	const chosen = await privatePort();
	const created = await cli(['create', 'postgres', '--version', '16', '--name', db, '--password', password, '--port', String(chosen), '--json']);
	expect(created.code, created.stderr).toBe(0);
	port = json<{containers: Array<{hostPort: number}>}>(created).containers[0]!.hostPort;
	expect(port).toBe(chosen);
});

afterAll(async () => {
	await removeAll([db]);
});

describe("a container's life through the commands", () => {
	it('list shows it as a healthy row without the password', async () => {
		const result = await cli(['list']);
		expect(result.code, result.stderr).toBe(0);
		const lines = result.stdout.split('\n');
		expect(lines[0]).toMatch(/^NAME +TYPE +VERSION +STATUS +PORTS +UPTIME$/);
		expect(lines.find(line => line.startsWith(`${db} `))).toMatch(new RegExp(`^${db} +postgres +16 +healthy +${port}->5432 +\\d+[smhd]`));
		expect(result.stdout).not.toContain(password);
	});

	it('list --json has every field, no password and no URL', async () => {
		const result = await cli(['list', '--json']);
		expect(result.code, result.stderr).toBe(0);
		const {containers} = json<{containers: ContainerJson[]}>(result);
		const mine = containers.find(container => container.name === db)!;
		expect(mine).toMatchObject({
			database: 'postgres',
			version: '16',
			mode: 'fast',
			state: 'running',
			health: 'healthy',
			hostIp: '127.0.0.1',
			hostPort: port,
			containerPort: 5432,
			volume: null,
		});
		expect(mine.uptimeSeconds).toBeGreaterThanOrEqual(0);
		expect(mine.connection).toEqual({host: '127.0.0.1', port, user: 'postgres', database: 'testdb', onEngineHost: null});
		expect(result.stdout).not.toContain(password);
	});

	it('inspect shows settings and the Connection Info block; --json the full connection', async () => {
		const text = await cli(['inspect', db]);
		expect(text.code, text.stderr).toBe(0);
		expect(text.stdout).toMatch(new RegExp(`^Name: +${db}$`, 'm'));
		expect(text.stdout).toMatch(/^Database: +PostgreSQL 16$/m);
		expect(text.stdout).toMatch(/^State: +healthy$/m);
		expect(text.stdout).toMatch(/^Memory: +256 MiB$/m);
		expect(text.stdout).toContain(
			`Connection Info:\n  Host: 127.0.0.1:${port}\n  Username: postgres\n  Password: ${password}\n  Database: testdb\n` +
				`  URL: postgresql://postgres:${password}@127.0.0.1:${port}/testdb\n`,
		);

		const result = await cli(['inspect', db, '--json']);
		const document = json<ContainerJson>(result);
		expect(document.id).toBe((await inspect(db))!.Id);
		expect(document.connection).toEqual({
			host: '127.0.0.1',
			port,
			user: 'postgres',
			password,
			database: 'testdb',
			url: `postgresql://postgres:${password}@127.0.0.1:${port}/testdb`,
			onEngineHost: null,
		});
		expect(document.labels).toMatchObject({'dbarena.managed': 'true', 'dbarena.database': 'postgres'});
		expect(document.labels).not.toHaveProperty('dbarena.password');
	});

	it('url prints only the URL, and it logs in', async () => {
		const result = await cli(['url', db]);
		expect(result).toMatchObject({code: 0, stderr: '', stdout: `postgresql://postgres:${password}@127.0.0.1:${port}/testdb\n`});
		const url = new URL(result.stdout.trim());
		expect(
			await pgQuery(
				{host: url.hostname, port: Number(url.port), user: url.username, password: url.password, database: url.pathname.slice(1)},
				'SELECT 1 AS one',
			),
		).toEqual([{one: 1}]);
		expect(json(await cli(['url', db, '--json']))).toEqual({name: db, url: result.stdout.trim()});
	});

	it('logs prints the server log; --tail limits it; --json wraps it', async () => {
		const all = await cli(['logs', db]);
		expect(all.code, all.stderr).toBe(0);
		expect(all.stdout).toContain('database system is ready to accept connections');
		const tail = await cli(['logs', db, '--tail', '2']);
		expect(tail.stdout.trimEnd().split('\n')).toHaveLength(2);
		expect(tail.stdout.trimEnd().split('\n')).toEqual(all.stdout.trimEnd().split('\n').slice(-2));
		expect(json(await cli(['logs', db, '--tail', '2', '--json']))).toEqual({name: db, lines: tail.stdout.trimEnd().split('\n')});
	});

	it('logs --follow --json streams JSON lines until Ctrl-C (exit 130)', async () => {
		const running = startCli(['logs', db, '--follow', '--tail', '1', '--json']);
		await running.waitFor(/\n/);
		// A new log line appears while following: a failed login is logged by the server.
		await pgQuery({...login(), password: 'wrong'}, 'SELECT 1').catch(() => undefined);
		await running.waitFor(/password authentication failed/);
		running.child.kill('SIGINT');
		const result = await running.done;
		expect(result.code).toBe(130);
		const lines = result.stdout
			.trimEnd()
			.split('\n')
			.map(line => JSON.parse(line) as {stream: string; line: string});
		expect(lines.length).toBeGreaterThanOrEqual(2);
		for (const line of lines) expect(['stdout', 'stderr']).toContain(line.stream);
		expect(lines.some(line => line.line.includes('password authentication failed'))).toBe(true);
	});

	it('stop stops it; list hides it; list --all shows it stopped', async () => {
		const result = await cli(['stop', db, '--timeout', '5']);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(new RegExp(`^✓ ${db} stopped \\(\\d+\\.\\ds\\)\\n$`));
		expect((await inspect(db))!.State.Status).toBe('exited');
		expect((await cli(['list'])).stdout).not.toContain(db);
		expect((await cli(['list', '--all'])).stdout).toMatch(new RegExp(`^${db} +postgres +16 +stopped +${port}->5432 +-$`, 'm'));
	});

	it('start brings it back on the same port and waits until it logs in', async () => {
		const result = await cli(['start', db, '--json']);
		expect(result.code, result.stderr).toBe(0);
		const [started] = json<{containers: Array<ContainerJson & {readyMs: number}>}>(result).containers;
		expect(started).toMatchObject({name: db, state: 'running', health: 'healthy', hostPort: port});
		expect(started!.readyMs).toBeGreaterThanOrEqual(0);
		expect(await pgQuery(login(), 'SELECT 1 AS one')).toEqual([{one: 1}]);
	});

	it('restart restarts it and waits until it logs in', async () => {
		const before = (await inspect(db))!.State.StartedAt;
		const result = await cli(['restart', db]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(new RegExp(`^✓ ${db} restarted, ready in \\d+\\.\\ds\\n$`));
		expect((await inspect(db))!.State.StartedAt).not.toBe(before);
		expect(await pgQuery(login(), 'SELECT 1 AS one')).toEqual([{one: 1}]);
	});

	it('logs --follow across a restart loses no line the server prints while it stops and starts again', async () => {
		const running = startCli(['logs', db, '--follow', '--tail', '0']);
		await new Promise(resolve => setTimeout(resolve, 500));
		const restarted = await cli(['restart', db]);
		expect(restarted.code, restarted.stderr).toBe(0);
		// The shutdown, then the start-up through to the line a user waits for: none of it skipped.
		await running.waitFor(/database system is ready to accept connections/, 20_000);
		running.child.kill('SIGINT');
		const result = await running.done;
		expect(result.code).toBe(130);
		const lines = result.stdout.trimEnd().split('\n');
		const shutDown = lines.findIndex(line => line.includes('database system is shut down'));
		const ready = lines.findIndex(line => line.includes('database system is ready to accept connections'));
		expect(shutDown).toBeGreaterThanOrEqual(0);
		expect(ready).toBeGreaterThan(shutDown);
		// Resuming after the restart repeats nothing it had printed.
		expect(lines.filter(line => line.includes('database system is shut down'))).toHaveLength(1);
		// And skips nothing: the followed lines are one unbroken run of the container's log (on
		// Podman, whose stamps are whole seconds, lines of the restart's second went missing).
		const all = await cli(['logs', db]);
		expect(all.stdout).toContain(`${lines.join('\n')}\n`);
	});

	it('reset --yes gives fresh data with the same name, port and password', async () => {
		await pgQuery(login(), 'CREATE TABLE doomed (v int)');
		const oldId = (await inspect(db))!.Id;
		const result = await cli(['reset', db, '--yes']);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^PostgreSQL reset, ready in \d+\.\ds$/m);
		expect(result.stdout).toContain(`  Host: 127.0.0.1:${port}\n`);
		const info = (await inspect(db))!;
		expect(info.Id).not.toBe(oldId);
		expect(await pgQuery<{t: string | null}>(login(), "SELECT to_regclass('doomed')::text AS t")).toEqual([{t: null}]);
	});

	it('destroy --yes removes it', async () => {
		const result = await cli(['destroy', db, '--yes']);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(new RegExp(`^✓ Container ${db} destroyed \\(\\d+\\.\\ds\\)\\n$`));
		expect(await inspect(db)).toBeUndefined();
		const again = await cli(['inspect', db]);
		expect(again.code).toBe(2);
		expect(again.stderr).toMatch(new RegExp(`^Error: No dbarena container named "${db}"\\.`));
	});
});
