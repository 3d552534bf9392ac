import {privatePort} from '../helpers/private-port.js';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {pgQuery, waitFor} from '../helpers/docker.js';
import {buildCli, cli, cliPath, json, removeAll, root, startCli, uniqueName} from '../integration/cli-helpers.js';

// The Docker daemon stops and starts again while the dashboard (in tmux) and `logs --follow` run.
// Both must say so, neither may crash, the dashboard must resync by itself, and a persistent
// container's data must survive. This stops the machine's engine: it runs alone ("isolated").

const run = promisify(execFile);
const session = `dbarena-restart-${process.pid}`;
const db = uniqueName('restart');
// The other modes ride along: an engine restart must not cost any of them their data.
const others: Array<[string, string[]]> = [
	[uniqueName('restart-fast'), []],
	[uniqueName('restart-cdc'), ['--cdc']],
	[uniqueName('restart-durable'), ['--durable']],
];
type Login = {host: string; port: number; user: string; password: string; database: string};

async function tmux(...args: string[]): Promise<string> {
	return (await run('tmux', args)).stdout;
}

async function screen(): Promise<string> {
	return tmux('capture-pane', '-p', '-t', session);
}

async function engineAnswers(): Promise<boolean> {
	return run('docker', ['version', '--format', '{{.Server.Version}}'], {timeout: 3000}).then(
		() => true,
		() => false,
	);
}

async function stopEngine(): Promise<void> {
	const pid = (await run('cat', ['/var/run/docker.pid'])).stdout.trim();
	await run('kill', ['-TERM', pid]);
	await waitFor('the engine to stop', async () => !(await engineAnswers()), 60_000, 200);
}

beforeAll(async () => {
	await buildCli();
	// Ports of their own: they are started again after the restart, and meanwhile the Podman
	// project running beside this one may take a free default port (see privatePort).
	const created = await cli(['create', 'postgres', '--version', '16', '--name', db, '--persistent', '--port', String(await privatePort()), '--json']);
	expect(created.code, created.stderr).toBe(0);
	const login = json<{containers: Array<{connection: {host: string; port: number; user: string; password: string; database: string}}>}>(created).containers[0]!
		.connection;
	await pgQuery(login, 'CREATE TABLE survives (note text)');
	await pgQuery(login, "INSERT INTO survives VALUES ('before the restart')");
	for (const [name, flags] of others) {
		const made = await cli(['create', 'postgres', '--version', '16', '--name', name, ...flags, '--port', String(await privatePort()), '--json']);
		expect(made.code, made.stderr).toBe(0);
		const other = json<{containers: Array<{connection: Login}>}>(made).containers[0]!.connection;
		await pgQuery(other, 'CREATE TABLE survives (note text)');
		await pgQuery(other, "INSERT INTO survives VALUES ('before the restart')");
	}
}, 180_000);

afterAll(async () => {
	await tmux('kill-session', '-t', session).catch(() => '');
	if (!(await engineAnswers())) await run('bash', ['scripts/engine-up.sh'], {cwd: root});
	await removeAll([db, ...others.map(([name]) => name)], [`${db}-data`, ...others.map(([name]) => `${name}-data`)]);
}, 120_000);

describe('an engine restart', () => {
	it('is reported by the dashboard and logs --follow, which recover or exit cleanly, and data survives', async () => {
		const env = Object.entries({DBARENA_REGISTRY: process.env['DBARENA_REGISTRY'] ?? '127.0.0.1:5000', DBARENA_TEMPLATES: 'off'})
			.map(([key, value]) => `${key}=${value}`)
			.join(' ');
		await tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `env ${env} node ${cliPath}`);
		await waitFor('the dashboard to show the container', async () => (await screen()).includes(db), 30_000, 200);
		expect(await screen()).toMatch(/● connected/);

		const follower = startCli(['logs', db, '--follow', '--tail', '1']);
		await follower.waitFor(/./, 10_000);

		await stopEngine();
		// The dashboard stays up and says the engine is gone.
		await waitFor('the dashboard to notice', async () => /● (reconnecting|unreachable)/.test(await screen()), 30_000, 200);
		// The follower exits with a message: the engine went away (3), or the container stopped
		// as the engine shut it down (0) — never a crash.
		const followed = await follower.done;
		expect([0, 3], followed.stderr).toContain(followed.code);
		expect(followed.stderr.trim()).toMatch(new RegExp(`went away while following|^${db} stopped \\(exit code \\d+\\)\\.$`));
		expect(followed.stderr).not.toMatch(/\n\s+at /);

		await run('bash', ['scripts/engine-up.sh'], {cwd: root});
		// Reconnected and resynced without a restart: the row is back, showing the stopped container.
		await waitFor('the dashboard to reconnect', async () => /● connected/.test(await screen()), 60_000, 200);
		await waitFor('the row to be resynced', async () => (await screen()).includes(db), 30_000, 200);
		expect(await tmux('list-sessions')).toContain(session);

		// The persistent container's data survived the restart.
		const started = await cli(['start', db]);
		expect(started.code, started.stderr).toBe(0);
		const login = json<{connection: {host: string; port: number; user: string; password: string; database: string}}>(
			await cli(['inspect', db, '--json']),
		).connection;
		expect(await pgQuery(login, 'SELECT note FROM survives')).toEqual([{note: 'before the restart'}]);
		await waitFor('the dashboard to show it healthy again', async () => new RegExp(`${db}.*healthy`).test(await screen()), 30_000, 200);

		// Fast (its anonymous volume), fast --cdc and durable kept theirs too.
		for (const [name] of others) {
			const again = await cli(['start', name]);
			expect(again.code, again.stderr).toBe(0);
			const other = json<{connection: Login}>(await cli(['inspect', name, '--json'])).connection;
			expect(await pgQuery(other, 'SELECT note FROM survives'), name).toEqual([{note: 'before the restart'}]);
		}
	}, 240_000);
});
