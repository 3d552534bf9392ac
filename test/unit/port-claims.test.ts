import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type Docker from 'dockerode';
import {label} from '../../source/core/labels.js';
import {ContainerManager} from '../../source/core/lifecycle.js';
import {claimPort} from '../../source/core/port-claims.js';

const directories: string[] = [];
function directory(): string {
	const made = mkdtempSync(path.join(tmpdir(), 'dbarena-claims-test-'));
	directories.push(made);
	return made;
}
afterEach(() => {
	for (const made of directories.splice(0)) rmSync(made, {recursive: true, force: true});
});

/** The pid of a process that has exited: what a crashed dbarena leaves in its claim. */
function deadPid(): number {
	return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'}).stdout);
}

describe('port claims between dbarena processes', () => {
	it('one claim per address and port until it is released', () => {
		const dir = directory();
		const release = claimPort(5432, '127.0.0.1', dir);
		expect(release).toBeTypeOf('function');
		expect(claimPort(5432, '127.0.0.1', dir)).toBeUndefined();
		// Another port, or the same port on another address, is another claim.
		expect(claimPort(5433, '127.0.0.1', dir)).toBeTypeOf('function');
		expect(claimPort(5432, '0.0.0.0', dir)).toBeTypeOf('function');
		release!();
		expect(claimPort(5432, '127.0.0.1', dir)).toBeTypeOf('function');
	});

	it('takes over the claim of a process that is gone', () => {
		const dir = directory();
		writeFileSync(path.join(dir, '127.0.0.1-3306'), String(deadPid()));
		expect(claimPort(3306, '127.0.0.1', dir)).toBeTypeOf('function');
	});

	it('takes over a claim older than any start, whoever holds the pid now', () => {
		const dir = directory();
		const file = path.join(dir, '127.0.0.1-3306');
		writeFileSync(file, String(process.pid));
		const past = new Date(Date.now() - 10 * 60_000);
		utimesSync(file, past, past);
		expect(claimPort(3306, '127.0.0.1', dir)).toBeTypeOf('function');
	});

	it('an address with characters a file name cannot hold (IPv6) still gets its own claim', () => {
		const dir = directory();
		expect(claimPort(5432, '::1', dir)).toBeTypeOf('function');
		expect(claimPort(5432, '::1', dir)).toBeUndefined();
	});

	it('claims nothing, and lets the create go on, where no claim can be written', () => {
		const file = path.join(directory(), 'not-a-directory');
		writeFileSync(file, '');
		expect(claimPort(5432, '127.0.0.1', file)).toBeTypeOf('function');
	});
});

describe('reset keeps its port claimed while the old container is gone', () => {
	// A port no other test or process here uses: the claims live in this user's real claim directory.
	const port = 40_000 + (process.pid % 20_000);
	const info = {
		Id: 'b'.repeat(64),
		Name: '/rs',
		Config: {
			Env: [],
			Labels: {
				[label.managed]: 'true',
				[label.database]: 'postgres',
				[label.version]: '16',
				[label.user]: 'postgres',
				[label.password]: 'dbarena',
				[label.dbname]: 'testdb',
				[label.hostPort]: String(port),
				[label.image]: 'postgres:16-alpine',
			},
		},
		Image: 'sha256:aaa',
		HostConfig: {PortBindings: {'5432/tcp': [{HostIp: '127.0.0.1', HostPort: String(port)}]}},
		NetworkSettings: {Ports: {}},
		State: {Status: 'running', Running: true, ExitCode: 0, StartedAt: '2026-11-28T06:00:00Z'},
	};
	const notFound = Object.assign(new Error('no such container'), {statusCode: 404});

	it('from removing the old container until the new one is made, then released', async () => {
		const heldWhen: Record<string, boolean> = {};
		const held = () => {
			const release = claimPort(port, '127.0.0.1');
			release?.();
			return release === undefined;
		};
		let removed = false;
		const docker = {
			getContainer: () => ({
				inspect: async () => (removed ? Promise.reject(notFound) : info),
				remove: async () => {
					removed = true;
					heldWhen['removed'] = held();
				},
			}),
			getImage: (reference: string) => ({
				inspect: async () => (reference.startsWith('dbarena-template/') ? Promise.reject(notFound) : {Id: 'sha256:aaa', Config: {Env: []}}),
			}),
			listContainers: async () => [],
			createContainer: async () => {
				heldWhen['created'] = held();
				throw new Error('stop here: the claim is what this test is about');
			},
		} as unknown as Docker;
		const address = 'unix:///fake';
		const manager = new ContainerManager({
			engine: {
				docker,
				settings: {},
				address,
				location: {address, foundBy: 'a test', source: 'DOCKER_HOST', tried: []},
				reach: {kind: 'local'},
				ensureEngine: async () => undefined,
				reachable: async connection => connection,
				openTunnel: async () => Promise.reject(new Error('no tunnels in this test')),
				close: async () => undefined,
			},
		});
		await expect(manager.reset('rs')).rejects.toThrow(/stop here/);
		expect(heldWhen).toEqual({removed: true, created: true});
		expect(held()).toBe(false);
	});
});
