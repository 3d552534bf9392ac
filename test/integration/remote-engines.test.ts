import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {locateEngine} from '../../source/core/engine-location.js';
import {openEngine, type EngineHandle} from '../../source/core/engine-handle.js';
import {engineStreams, type ContainerStatsSample} from '../../source/core/streams.js';
import {lanAddress, startSshd, startTlsEngine, type Sshd, type TlsEngine} from '../helpers/remote-engines.js';
import {registry} from '../helpers/docker.js';
import {startTerminal} from '../helpers/tmux.js';
import {buildCli, cli, cliPath, docker, inspect, json, root, startCli, uniqueName, type CliResult} from './cli-helpers.js';

/**
 * This machine's engine reached as a remote one: over SSH through a private sshd, and over TCP
 * with TLS through a listener that checks client certificates. The database then listens on the
 * engine's host; over SSH it stays on that host's 127.0.0.1 and is reached through the SSH
 * connection, which the sshd's own log proves (it records every forward it opened).
 */

type Created = {
	containers: Array<{
		name: string;
		hostIp: string;
		hostPort: number;
		connection: {host: string; port: number; user: string; password: string; database: string; url: string; onEngineHost: string | null};
	}>;
};

type Failure = {error: {code: string; message: string; exitCode: number}};

/** Temporary homes and folders the tests make, removed at the end. */
const made: string[] = [];

function tempDir(prefix: string): string {
	const folder = mkdtempSync(path.join(tmpdir(), prefix));
	made.push(folder);
	return folder;
}

afterAll(() => {
	for (const folder of made) rmSync(folder, {recursive: true, force: true});
});

function errorLines(result: CliResult): string[] {
	return result.stderr.split('\n').filter(line => line.startsWith('Error:'));
}

async function login(connectionString: string): Promise<string> {
	const client = new pg.Client({connectionString, connectionTimeoutMillis: 5000});
	await client.connect();
	try {
		const {rows} = await client.query<{db: string}>('SELECT current_database() AS db');
		return rows[0]!.db;
	} finally {
		await client.end();
	}
}

describe('an engine reached over ssh://', () => {
	let sshd: Sshd;
	const name = uniqueName('ssh-pg');
	let port = 0;

	beforeAll(async () => {
		await buildCli();
		sshd = await startSshd();
	});

	afterAll(async () => {
		await docker(['rm', '-fv', name]).catch(() => undefined);
		await sshd?.stop();
	});

	it('creates a database on the engine host’s 127.0.0.1 and proves it ready through the SSH connection', async () => {
		const result = await cli(['create', 'postgres', '--version', '16', '--name', name, '--json'], {env: sshd.env});
		expect(result.code, result.stderr).toBe(0);
		const [created] = json<Created>(result).containers;
		port = created!.hostPort;
		// The secure default holds on the remote host too: published on its loopback only.
		expect(created!.hostIp).toBe('127.0.0.1');
		expect((await inspect(name))!.HostConfig.PortBindings['5432/tcp']![0]!.HostIp).toBe('127.0.0.1');
		// The printed address is said to be the engine host's, not this machine's.
		expect(created!.connection).toMatchObject({host: '127.0.0.1', port, onEngineHost: sshd.address});
		// The probe's logins went through the SSH connection: the server opened forwards to that port.
		expect(sshd.forwardsTo(port)).toBeGreaterThanOrEqual(1);
	});

	it('says in the text output where the address is and how to reach it', async () => {
		const result = await cli(['inspect', name], {env: sshd.env});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain(`Connection Info (on the engine's host, ${sshd.address}; from this machine: dbarena tunnel ${name}):`);
		const url = await cli(['url', name], {env: sshd.env});
		expect(url.code).toBe(0);
		expect(url.stderr).toContain(`dbarena tunnel ${name}`);
	});

	it('lists it with its health proven through the tunnel, and ends the SSH connection when done', async () => {
		const before = sshd.forwardsTo(port);
		const result = await cli(['list', '--json'], {env: sshd.env});
		expect(result.code, result.stderr).toBe(0);
		const listed = json<{engine: {address: string}; containers: Array<{name: string; health: string}>}>(result);
		expect(listed.engine.address).toBe(sshd.address);
		expect(listed.containers.find(container => container.name === name)?.health).toBe('healthy');
		expect(sshd.forwardsTo(port)).toBeGreaterThan(before);
		// An open SSH connection would keep the process alive long after its output.
		expect(result.ms).toBeLessThan(10_000);
	});

	it('prints its logs', async () => {
		const result = await cli(['logs', name, '--tail', '5'], {env: sshd.env});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/database system is ready to accept connections/);
	});

	it('follows its stats and logs as streams over the same connection', async () => {
		const saved = {HOME: process.env['HOME'], SSH_AUTH_SOCK: process.env['SSH_AUTH_SOCK']};
		process.env['HOME'] = sshd.home;
		delete process.env['SSH_AUTH_SOCK'];
		let handle: EngineHandle | undefined;
		try {
			handle = openEngine({location: locateEngine({env: {DOCKER_HOST: sshd.address}, home: sshd.home})});
			await handle.ensureEngine();
			const id = (await inspect(name))!.Id;
			const streams = engineStreams(handle);
			const samples = await twoStatsSamples(streams, id);
			const lines: string[] = [];
			const logs = streams.followLogs(id, {tail: 3, onLine: line => lines.push(line)});
			await expect.poll(() => lines.length, {timeout: 10_000}).toBeGreaterThan(0);
			logs.stop();
			expect(samples[1]!.memoryUsedBytes).toBeGreaterThan(0);
			expect(handle.reach).toEqual({kind: 'ssh', host: '127.0.0.1', address: sshd.address});
		} finally {
			await handle?.close();
			process.env['HOME'] = saved.HOME;
			if (saved.SSH_AUTH_SOCK !== undefined) process.env['SSH_AUTH_SOCK'] = saved.SSH_AUTH_SOCK;
		}
	});

	it('tunnel forwards a local port to it until Ctrl-C, and a real login works through it', async () => {
		const before = sshd.forwardsTo(port);
		const tunnel = startCli(['tunnel', name], {env: sshd.env});
		await tunnel.waitFor(/^URL: /m);
		const url = /^URL: (\S+)$/m.exec(tunnel.stdout())![1]!;
		const local = new URL(url);
		expect(local.hostname).toBe('127.0.0.1');
		expect(Number(local.port)).not.toBe(0);
		expect(tunnel.stdout()).toContain(`to ${name} (127.0.0.1:${port} on ${sshd.address})`);
		expect(await login(url)).toBe('testdb');
		expect(sshd.forwardsTo(port)).toBeGreaterThan(before);
		tunnel.child.kill('SIGINT');
		const ended = await tunnel.done;
		expect(ended.code).toBe(130);
		// The forward is gone with the process.
		await expect(login(url)).rejects.toThrow(/ECONNREFUSED/);
	});

	it('tunnel --port takes the port asked for, and refuses a busy one', async () => {
		const tunnel = startCli(['tunnel', name, '--port', '0', '--json'], {env: sshd.env});
		const refused = await tunnel.done;
		expect(refused.code).toBe(2);
		const first = startCli(['tunnel', name, '--json'], {env: sshd.env});
		await first.waitFor(/"url"/);
		const taken = (JSON.parse(first.stdout()) as {port: number}).port;
		const busy = await cli(['tunnel', name, '--port', String(taken)], {env: sshd.env});
		expect(busy.code).toBe(2);
		expect(errorLines(busy)).toEqual([`Error: Port ${taken} on 127.0.0.1 is already in use. Choose another --port, or leave it out to get a free one.`]);
		first.child.kill('SIGTERM');
		expect((await first.done).code).toBe(143);
	});

	it('the dashboard keeps a forward open while it runs and shows its local URL, which logs in', {timeout: 120_000}, async () => {
		const terminal = await startTerminal({
			name: `dbarena-remote-${process.pid}`,
			cwd: root,
			columns: 160,
			rows: 40,
			env: {DOCKER_HOST: sshd.address, HOME: sshd.home, DBARENA_REGISTRY: registry, TERM: 'xterm-256color'},
			command: `env -u SSH_AUTH_SOCK ${process.execPath} ${cliPath}; echo "dbarena exited with $?"; sleep 600`,
		});
		try {
			await terminal.waitFor('the dashboard to connect', screen => screen.some(line => line.startsWith('● connected')));
			// Only this test's container in the table, so it is the selected one.
			// Each step waits for the screen to show the last one took: keys sent too early are lost.
			await terminal.waitFor('the table', screen => screen.some(line => line.includes(` ${name} `)));
			await terminal.send(['/']);
			await terminal.waitFor('the filter prompt', screen => screen.some(line => line.includes('enter keeps the filter')));
			await terminal.send([name], {literal: true});
			await terminal.waitFor('the typed filter', screen => screen.some(line => line.includes('1 of ')));
			await terminal.send(['Enter']);
			await terminal.waitFor('the filter kept', screen => screen.some(line => line.includes(`filter "${name}" 1/`)));
			// The URL that works from here, the local forward's, whole on its line under the details
			// (outside every border); u shows it in the status line too.
			const localUrl = /^ {2}Local URL (postgresql:\/\/postgres:dbarena@127\.0\.0\.1:\d+\/testdb)(?: {2}y copies it)?$/;
			const shownUrl = await terminal.waitFor('the local URL under the details', screen => screen.map(line => localUrl.exec(line)?.[1]).find(Boolean), 60_000);
			await terminal.send(['u']);
			const url = await terminal.waitFor('the local URL in the status line', screen =>
				screen.map(line => /^(postgresql:\/\/postgres:dbarena@127\.0\.0\.1:\d+\/testdb)\s*$/.exec(line)?.[1]).find(Boolean),
			);
			expect(url).toBe(shownUrl);
			expect(new URL(url).hostname).toBe('127.0.0.1');
			expect(new URL(url).port).not.toBe(String(port));
			// Where it listens on the engine's host, beside it.
			const screen = await terminal.screen();
			expect(detailsField(screen, 'Host'), screen.join('\n')).toBe(`127.0.0.1:${port} on ${sshd.address}`);
			expect(await login(url)).toBe('testdb');
			await terminal.send(['q']);
			await terminal.waitFor('dbarena to exit', lines => lines.some(line => line === 'dbarena exited with 0'));
			// The forward ended with the dashboard.
			await expect(login(url)).rejects.toThrow(/ECONNREFUSED/);
		} finally {
			await terminal.close();
		}
	});

	it('creates MariaDB there too, ready through a forward, and destroys it', async () => {
		const maria = uniqueName('ssh-maria');
		try {
			const result = await cli(['create', 'mariadb', '--version', '10.11', '--name', maria, '--json'], {env: sshd.env});
			expect(result.code, result.stderr).toBe(0);
			const [created] = json<Created>(result).containers;
			expect(created!.connection).toMatchObject({host: '127.0.0.1', onEngineHost: sshd.address});
			expect(sshd.forwardsTo(created!.hostPort)).toBeGreaterThanOrEqual(1);
			expect((await cli(['destroy', maria, '--yes'], {env: sshd.env})).code).toBe(0);
		} finally {
			await docker(['rm', '-fv', maria]).catch(() => undefined);
		}
	});

	it('destroys it', async () => {
		const result = await cli(['destroy', name, '--yes'], {env: sshd.env});
		expect(result.code, result.stderr).toBe(0);
		expect(await inspect(name)).toBeUndefined();
	});

	it('refuses a server whose host key is not known, with what to do', async () => {
		const unknown = await cli(['list', '--json'], {env: {...sshd.env, HOME: await homeWithKeyOnly(sshd)}});
		expect(unknown.code).toBe(3);
		expect(json<Failure>(unknown).error.code).toBe('engine_access_denied');
		expect(errorLines(unknown)).toHaveLength(1);
		expect(errorLines(unknown)[0]).toMatch(
			/The SSH host key of \[127\.0\.0\.1\]:\d+ \(SHA256:[\w+/]+\) is not in .*known_hosts.*Connect once with "ssh -p \d+ root@127\.0\.0\.1"/,
		);
	});

	it('refuses a login without a key the server accepts, or without any key, saying what was tried', async () => {
		const stranger = await cli(['list'], {env: {...sshd.env, HOME: await homeWithStrangerKey(sshd)}});
		expect(stranger.code).toBe(3);
		expect(errorLines(stranger)[0]).toMatch(/The SSH server at root@127\.0\.0\.1:\d+ refused the login; tried no agent .*id_ed25519.*ssh-copy-id/);
		const empty = tempDir('dbarena-ssh-home-');
		const none = await cli(['list'], {env: {...sshd.env, HOME: empty}});
		expect(none.code).toBe(3);
		expect(errorLines(none)[0]).toMatch(/No SSH key to log in to root@127\.0\.0\.1:\d+ with: no agent \(SSH_AUTH_SOCK is not set\); no key in .*\.ssh/);
	});

	it('reaches the engine with `docker system dial-stdio` where the server refuses socket forwarding', async () => {
		const strict = await startSshd({noSocketForwarding: true});
		try {
			const result = await cli(['list', '--json'], {env: strict.env});
			expect(result.code, result.stderr).toBe(0);
			// The socket forward was refused, and the API went through exec'd sessions instead.
			expect(strict.log()).toMatch(/direct-streamlocal/);
			expect(strict.log()).toMatch(/Starting session: command for root/);
		} finally {
			await strict.stop();
		}
	});

	it('says what the remote said when neither the socket nor dial-stdio reaches an engine there', async () => {
		const bare = await startSshd({noSocketForwarding: true, sessionPath: '/nonexistent'});
		try {
			const result = await cli(['list', '--json'], {env: bare.env});
			expect(result.code).toBe(3);
			expect(json<Failure>(result).error.code).toBe('docker_unavailable');
			expect(errorLines(result)).toHaveLength(1);
			expect(errorLines(result)[0]).toMatch(
				new RegExp(
					`^Error: Logged in to ${bare.address.replace(/[.]/g, '\\.')}, but its engine did not answer \\(forwarding /var/run/docker\\.sock: .*open failed; ` +
						'docker system dial-stdio: .*(No such file|not found).*\\)\\. Check that the engine runs there and that root may use its socket',
				),
			);
		} finally {
			await bare.stop();
		}
	});
});

/** Two samples of a container's followed stats, then the stream stopped; fails after 15 s. */
async function twoStatsSamples(streams: ReturnType<typeof engineStreams>, id: string): Promise<ContainerStatsSample[]> {
	const samples: ContainerStatsSample[] = [];
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`only ${samples.length} stats samples within 15 s`)), 15_000);
		const stats = streams.followStats(
			id,
			sample => {
				samples.push(sample);
				if (samples.length >= 2) {
					clearTimeout(timer);
					stats.stop();
					resolve();
				}
			},
			{},
		);
	});
	return samples;
}
/**
 * A field of the details panel (the left one of the two bordered panels), with the rows it wrapped
 * onto: those whose label column is blank. Empty while the field is not on the screen.
 */
function detailsField(screen: string[], label: string): string {
	const cells = screen.map(line => /^│ (.{10})(.*?)\s*│/.exec(line));
	const start = cells.findIndex(cell => cell?.[1]?.trim() === label);
	if (start < 0) return '';
	let value = cells[start]![2]!;
	for (const cell of cells.slice(start + 1)) {
		if (!cell || cell[1]!.trim() !== '') break;
		value += cell[2]!;
	}
	return value;
}

/** A home with the server's known_hosts line but a key pair of its own, which the server does not know. */
async function homeWithStrangerKey(sshd: Sshd): Promise<string> {
	const {execFileSync} = await import('node:child_process');
	const {copyFileSync} = await import('node:fs');
	const home = tempDir('dbarena-ssh-home-');
	mkdirSync(path.join(home, '.ssh'), {mode: 0o700});
	copyFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), path.join(home, '.ssh', 'known_hosts'));
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(home, '.ssh', 'id_ed25519')]);
	return home;
}

/** A home with the accepted key but no known_hosts. */
async function homeWithKeyOnly(sshd: Sshd): Promise<string> {
	const {copyFileSync} = await import('node:fs');
	const home = tempDir('dbarena-ssh-home-');
	mkdirSync(path.join(home, '.ssh'), {mode: 0o700});
	copyFileSync(path.join(sshd.home, '.ssh', 'id_ed25519'), path.join(home, '.ssh', 'id_ed25519'));
	return home;
}

describe('a tcp:// engine with TLS', () => {
	let engine: TlsEngine;
	const name = uniqueName('tls-pg');
	const lanName = uniqueName('tls-lan');
	const lanIp = lanAddress();
	let connectionUrl = '';

	beforeAll(async () => {
		await buildCli();
		engine = await startTlsEngine(lanIp ? {lanIp} : {});
	});

	afterAll(async () => {
		await docker(['rm', '-fv', name, lanName]).catch(() => undefined);
		await engine?.stop();
	});

	it('lists and creates through the listener, with the client certificate', async () => {
		const listed = await cli(['list', '--json'], {env: engine.env});
		expect(listed.code, listed.stderr).toBe(0);
		expect(json<{engine: {address: string}}>(listed).engine.address).toBe(engine.address);
		const created = await cli(['create', 'postgres', '--version', '16', '--name', name, '--json'], {env: engine.env});
		expect(created.code, created.stderr).toBe(0);
		const [container] = json<Created>(created).containers;
		connectionUrl = container!.connection.url;
		// The engine's host is this machine's loopback: its 127.0.0.1 is ours, and the URL works as printed.
		expect(container!.connection).toMatchObject({host: '127.0.0.1', onEngineHost: null});
		expect(await login(connectionUrl)).toBe('testdb');
		expect(engine.connections()).toBeGreaterThan(0);
	});

	it('prints its logs through the listener', async () => {
		const before = engine.connections();
		const result = await cli(['logs', name, '--tail', '5'], {env: engine.env});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/database system is ready to accept connections/);
		expect(engine.connections()).toBeGreaterThan(before);
	});

	it('follows its stats and logs as streams through the listener', async () => {
		const handle = openEngine({location: locateEngine({env: {DOCKER_HOST: engine.address, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: engine.certPath}})});
		const before = engine.connections();
		try {
			await handle.ensureEngine();
			expect(handle.reach.kind).toBe('tcp');
			const id = (await inspect(name))!.Id;
			const streams = engineStreams(handle);
			const samples = await twoStatsSamples(streams, id);
			expect(samples[1]!.memoryUsedBytes).toBeGreaterThan(0);
			// A line the server prints after the stream began: a failed login is logged.
			const lines: string[] = [];
			const logs = streams.followLogs(id, {tail: 1, onLine: line => lines.push(line)});
			await expect.poll(() => lines.length, {timeout: 10_000}).toBeGreaterThan(0);
			await login(connectionUrl.replace(':dbarena@', ':wrong@')).catch(() => undefined);
			await expect.poll(() => lines.some(line => line.includes('password authentication failed')), {timeout: 10_000}).toBe(true);
			logs.stop();
			expect(engine.connections()).toBeGreaterThan(before);
		} finally {
			await handle.close();
		}
	});

	it('logs --follow prints what the server prints as it stops, and ends when it has stopped (exit 0)', async () => {
		const following = startCli(['logs', name, '--follow', '--tail', '1'], {env: engine.env});
		await following.waitFor(/\n/);
		const stopped = await cli(['stop', name], {env: engine.env});
		expect(stopped.code, stopped.stderr).toBe(0);
		const ended = await following.done;
		expect(ended.code, ended.stderr).toBe(0);
		expect(ended.stderr).toContain(`${name} stopped (exit code 0).`);
		expect(ended.stdout).toMatch(/database system is shut down/);
	});

	it('destroys it through the listener', async () => {
		const destroyed = await cli(['destroy', name, '--yes'], {env: engine.env});
		expect(destroyed.code, destroyed.stderr).toBe(0);
		expect(await inspect(name)).toBeUndefined();
	});

	it('refuses an engine whose certificate the CA in DOCKER_CERT_PATH did not sign, in words, not a raw TLS error', async () => {
		const result = await cli(['list', '--json'], {env: {...engine.env, DOCKER_CERT_PATH: engine.wrongCaPath}});
		expect(result.code).toBe(3);
		expect(json<Failure>(result).error.code).toBe('engine_access_denied');
		expect(errorLines(result)).toEqual([
			`Error: The engine at ${engine.address} presented a certificate that the CA in ${engine.wrongCaPath}/ca.pem did not sign ` +
				'(SELF_SIGNED_CERT_IN_CHAIN): it is not the engine those certificates were made for, or DOCKER_CERT_PATH names the wrong folder.',
		]);
	});

	it('says which certificate files are missing', async () => {
		const empty = tempDir('dbarena-certs-');
		const result = await cli(['list'], {env: {...engine.env, DOCKER_CERT_PATH: empty}});
		expect(result.code).toBe(3);
		expect(errorLines(result)).toEqual([
			`Error: TLS is asked for (DOCKER_TLS_VERIFY), but ca.pem, cert.pem, key.pem cannot be read in ${empty}. ` +
				'Set DOCKER_CERT_PATH to the folder with the CA, client certificate and key made for this engine.',
		]);
	});

	it('names the engine’s host in the URL when it is not loopback, and refuses a loopback binding there', async () => {
		expect(lanIp, 'this machine has a non-loopback IPv4 address').toBeDefined();
		const env = {...engine.env, DOCKER_HOST: engine.lanAddress};
		const refused = await cli(['create', 'postgres', '--version', '16', '--name', lanName], {env});
		expect(refused.code).toBe(2);
		expect(errorLines(refused)[0]).toMatch(/^Error: Invalid --bind "127\.0\.0\.1": the engine at tcp:\/\/[\d.]+:\d+ is another machine reached without SSH/);
		expect(await inspect(lanName)).toBeUndefined();
		const created = await cli(['create', 'postgres', '--version', '16', '--name', lanName, '--bind', '0.0.0.0', '--random-password', '--json'], {env});
		expect(created.code, created.stderr).toBe(0);
		const [container] = json<Created>(created).containers;
		expect(container!.connection).toMatchObject({host: lanIp, onEngineHost: null});
		expect(new URL(container!.connection.url).hostname).toBe(lanIp);
		expect(created.stderr).toContain(`is reachable from the network at ${lanIp!}:${container!.hostPort} (the engine's host)`);
		expect(await login(container!.connection.url)).toBe('testdb');
	});
});
