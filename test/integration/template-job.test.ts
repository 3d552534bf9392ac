import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {waitFor} from '../helpers/docker.js';
import {buildCli, cliPath, root} from './cli-helpers.js';

// The background template build as create starts it, end to end with real processes: a parent
// (the built spawnTemplateBuild, as create calls it) that exits at once, and the real
// `templates build --options-stdin` child. The child talks to a fake engine on a socket of this
// test's own, so it touches neither the real engine nor anyone else's containers.

const secret = `Tj-secret-${Math.random().toString(16).slice(2, 10)}`;
const directory = mkdtempSync(path.join(tmpdir(), 'dbarena-template-job-'));
const socket = path.join(directory, 'engine.sock');

/** Each request line the fake engine received, with when it arrived. */
const requests: Array<{line: string; at: number}> = [];
let engine: Server;
let childPid: number | undefined;

beforeAll(async () => {
	await buildCli();
	engine = createServer(connection => {
		let head = '';
		connection.on('data', (chunk: Buffer) => {
			head += chunk.toString('latin1');
			if (!head.includes('\r\n\r\n')) return;
			const line = head.slice(0, head.indexOf('\r\n'));
			requests.push({line, at: Date.now()});
			head = '';
			// Answer the ping so the builder goes on to its image, then refuse everything: the
			// requests it made are all this test needs, and an error ends the build.
			const ok = line.startsWith('GET /_ping');
			const body = ok ? 'OK' : '{"message":"fake engine: refused"}';
			connection.end(
				`HTTP/1.1 ${ok ? '200 OK' : '500 Internal Server Error'}\r\nContent-Type: ${ok ? 'text/plain' : 'application/json'}\r\n` +
					`Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
			);
		});
		connection.on('error', () => {});
	});
	await new Promise<void>(resolve => {
		engine.listen(socket, resolve);
	});
});

afterAll(async () => {
	// Only the child this test started, by its id, if a failed assertion left it running.
	if (childPid !== undefined && alive(childPid)) process.kill(childPid, 'SIGKILL');
	await new Promise(resolve => {
		engine.close(resolve);
	});
	rmSync(directory, {recursive: true, force: true});
});

/** Running and not yet a zombie (the parent is gone, so whoever adopted it reaps it). */
function alive(pid: number): boolean {
	try {
		return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

describe('the background template build', () => {
	it('gets its settings on stdin: no password in its command line, read after the parent has exited', async () => {
		const options = {database: 'postgres', version: '16', mode: 'fast', user: 'postgres', password: secret, databaseName: 'testdb'};
		const job = pathToFileURL(path.join(root, 'dist', 'cli', 'template-job.js')).href;
		const script = [
			`const {spawnTemplateBuild} = await import(${JSON.stringify(job)});`,
			`const child = spawnTemplateBuild(${JSON.stringify(cliPath)}, JSON.parse(process.env.OPTIONS), process.env);`,
			// Stopped before it can read anything (node alone takes tens of ms to start): the parent
			// then exits while the settings wait, unread, in the pipe.
			"process.kill(child.pid, 'SIGSTOP');",
			'process.stdout.write(String(child.pid));',
		].join('\n');
		const began = Date.now();
		// The settings reach this stand-in for create through its environment (a test secret, and
		// readable by this user only); the point is what reaches the builder's argv.
		const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
			env: {...process.env, DOCKER_HOST: `unix://${socket}`, OPTIONS: JSON.stringify(options)},
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let printed = '';
		parent.stdout.on('data', (chunk: Buffer) => {
			printed += chunk.toString();
		});
		const exit = await new Promise<{code: number | null; at: number}>(resolve => {
			parent.on('close', code => resolve({code, at: Date.now()}));
		});
		expect(exit.code).toBe(0);
		childPid = Number(printed);
		expect(Number.isInteger(childPid) && childPid > 0, `child pid printed: ${printed}`).toBe(true);

		// The parent is gone and the child, stopped, has done nothing yet: its command line must be
		// the stdin form, without the secret.
		expect(readFileSync(`/proc/${childPid}/stat`, 'utf8')).toMatch(/^\d+ \(.*\) T /);
		const argv = readFileSync(`/proc/${childPid}/cmdline`, 'utf8').split('\0').filter(Boolean);
		expect(argv.slice(-4)).toEqual([cliPath, 'templates', 'build', '--options-stdin']);
		expect(argv.join(' ')).not.toContain(secret);
		expect(requests).toEqual([]);

		// Let it go on: it reads the settings the parent left in the pipe, pings the engine, then
		// asks for the image of the version that came on stdin.
		const resumed = Date.now();
		process.kill(childPid, 'SIGCONT');
		await waitFor('the builder to ask the fake engine for its image', async () => requests.some(({line}) => /postgres.*16/.test(line)), 20_000);
		expect(requests[0]!.line).toMatch(/^GET \/_ping /);
		await waitFor('the builder to give up', async () => !alive(childPid!), 20_000);
		console.info(
			`template job: parent exited ${exit.at - began} ms after it was started, its builder stopped; once resumed, the ` +
				`builder's first engine request came after ${requests[0]!.at - resumed} ms; requests: ${requests.map(({line}) => line).join(' | ')}`,
		);
	});
});
