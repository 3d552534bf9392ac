import {createFrom} from '../helpers/create-from.js';
import {privatePort} from '../helpers/private-port.js';
import {rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ContainerManager} from '../../source/core/lifecycle.js';
import {engineStreams} from '../../source/core/streams.js';
import {createDashboardStore, type DashboardStore} from '../../source/store/create-dashboard-store.js';
import {startFeeders} from '../../source/store/feeders/start-feeders.js';
import type {DashboardState} from '../../source/store/state.js';
import {selectContainer} from '../../source/store/view-actions.js';
import {testArena} from '../helpers/arena.js';
import {run, waitFor} from '../helpers/docker.js';

// The store's feeders against the real engine: containers are created, killed, started and
// removed from outside (the core, the docker CLI), and the store has to follow on its own.

const {manager, name} = testArena('feeders');
const store = createDashboardStore({address: manager.address});
const feeders = startFeeders(store, {manager, feeds: engineStreams(manager.engine)});

/** Resolves with the time (performance.now) at which the store first satisfies `check`. */
async function whenStore<T>(what: string, check: (state: DashboardState) => T | undefined | false, timeoutMs = 30_000): Promise<{value: T; at: number}> {
	return new Promise((resolve, reject) => {
		const test = (state: DashboardState) => {
			const value = check(state);
			if (value === undefined || value === false) return false;
			clearTimeout(timer);
			unsubscribe();
			resolve({value, at: performance.now()});
			return true;
		};
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`Timed out after ${timeoutMs} ms waiting for the store: ${what}`));
		}, timeoutMs);
		const unsubscribe = store.subscribe(state => {
			test(state);
		});
		test(store.getState());
	});
}

/**
 * Listens to the engine's event stream (connected when this resolves, so nothing is missed), and
 * `announced` resolves with the time (performance.now) at which it says `action` for `containerName`.
 */
async function listenForEngineEvent(action: string, containerName: string): Promise<{announced: Promise<number>}> {
	const stream = (await manager.engine.docker.getEvents({filters: {type: ['container'], event: [action]}})) as NodeJS.ReadableStream & {destroy(): void};
	const announced = new Promise<number>((resolve, reject) => {
		let buffered = '';
		const timer = setTimeout(() => {
			stream.destroy();
			reject(new Error(`The engine said nothing of ${action} ${containerName} in 30 s`));
		}, 30_000);
		stream.on('data', (chunk: Buffer) => {
			buffered += chunk.toString();
			const lines = buffered.split('\n');
			buffered = lines.pop() ?? '';
			for (const line of lines) {
				if (line.trim() === '') continue;
				const event = JSON.parse(line) as {Actor?: {Attributes?: {name?: string}}};
				if (event.Actor?.Attributes?.name !== containerName) continue;
				clearTimeout(timer);
				stream.destroy();
				resolve(performance.now());
				return;
			}
		});
	});
	return {announced};
}

const entryNamed = (state: DashboardState, containerName: string) => Object.values(state.containers).find(entry => entry.container.name === containerName);

beforeAll(async () => {
	await whenStore('the events feed to connect', state => state.engine.state === 'connected');
});

afterAll(() => {
	feeders.stop();
});

describe('the store follows the engine', () => {
	const pg = name('pg');
	let id = '';

	it('a container created from outside appears within a second, proves ready and gets stats', async () => {
		let createdAt = 0;
		const appeared = whenStore('the new container', state => entryNamed(state, pg));
		// When the engine itself announced it: Podman's event stream trails its create answer by up to
		// a second on a loaded machine, and the store's lag after that is what this measures.
		const {announced} = await listenForEngineEvent('create', pg);
		const result = await createFrom(
			manager,
			// Its own port: it is killed and started again below (see privatePort).
			{database: 'postgres', version: '16', name: pg, port: await privatePort()},
			{
				onProgress(event) {
					if (event.type === 'container-created') createdAt = performance.now();
				},
			},
		);
		id = result.container.id;
		const {at} = await appeared;
		const announcedAt = await announced;
		expect(at - Math.max(createdAt, announcedAt), `created ${createdAt}, announced ${announcedAt}, in the store ${at}`).toBeLessThan(1000);

		await whenStore('it to be healthy', state => state.containers[id]?.health === 'healthy');
		// Podman sends its first sample at once, often from before the server had started, where
		// dockerd's first one comes a second later: wait for the server's own memory to show.
		const {value: stats} = await whenStore('a stats sample with the running server’s memory', state => {
			const sample = state.stats[id];
			return sample !== undefined && sample.memoryUsedBytes > 1024 * 1024 && sample;
		});
		expect(stats.memoryLimitBytes).toBe(256 * 1024 * 1024);
		expect(stats.cpuPercent).toBeGreaterThanOrEqual(0);
	});

	it('the selected container’s log lines arrive in the buffer', async () => {
		selectContainer(store, id);
		const {value: lines} = await whenStore(
			'its logs',
			state => state.logs.containerId === id && state.logs.lines.some(line => line.includes('ready to accept connections')) && state.logs.lines,
		);
		expect(lines.length).toBeLessThanOrEqual(1000);
	});

	it('docker kill shows it exited within a second, and its stats go', async () => {
		await run('docker', ['kill', pg]);
		// From the moment the engine has killed it: the kill itself takes Podman 0.5–0.9 s here
		// (dockerd about 0.1 s), and the store's lag is what this measures.
		const killed = performance.now();
		const {value: entry, at} = await whenStore('it to show exited', state => state.containers[id]?.container.state === 'exited' && state.containers[id]);
		expect(at - killed).toBeLessThan(1000);
		expect(entry.health).toBe('stopped');
		expect(entry.container.exitCode).toBe(137);
		expect(store.getState().stats[id]).toBeUndefined();
		await whenStore('the log stream to end', state => state.logs.note === 'end of log: the container is not running');
	});

	it('docker start from outside: running again, starting, then healthy again', async () => {
		const starting = whenStore('it to run again', state => state.containers[id]?.container.state === 'running' && state.containers[id]?.health === 'starting');
		await run('docker', ['start', pg]);
		await starting;
		await whenStore('it to be healthy again', state => state.containers[id]?.health === 'healthy');
		// The log follower picked up the new run.
		await whenStore('logs of the new run', state => state.logs.note === undefined && state.logs.lines.length > 0);
	});

	it('a stop through the core shows it stopped with exit code 0', async () => {
		await manager.stop(pg);
		const {value: entry} = await whenStore('it to show stopped', state => state.containers[id]?.container.state === 'exited' && state.containers[id]);
		expect(entry.container.exitCode).toBe(0);
	});

	it('docker rm removes the row within a second', async () => {
		const gone = whenStore('the row to go', state => !(id in state.containers));
		// -v: its anonymous data volume goes too, instead of staying behind on the shared engine.
		await run('docker', ['rm', '-f', '-v', pg]);
		// From when the engine says it removed it: Podman's rm alone took 2.9 s under CI's load.
		const removed = performance.now();
		const {at} = await gone;
		expect(at - removed).toBeLessThan(1000);
	});
});

describe('when the engine goes away and comes back', () => {
	// A socket proxy in front of the real engine: closing it is, to the feeders, the engine
	// stopping; opening it again is the engine coming back. The real engine is shared with other
	// test files, so it is not stopped for real.
	const socketPath = path.join(tmpdir(), `dbarena-feeders-${process.pid}.sock`);
	const target = process.env['DOCKER_HOST']?.startsWith('unix://') ? process.env['DOCKER_HOST'].slice('unix://'.length) : '/var/run/docker.sock';
	let server: net.Server | undefined;
	const sockets = new Set<net.Socket>();

	const open = async () =>
		new Promise<void>(resolve => {
			rmSync(socketPath, {force: true});
			server = net.createServer(client => {
				const upstream = net.connect(target);
				for (const socket of [client, upstream]) {
					sockets.add(socket);
					socket.on('close', () => sockets.delete(socket));
					socket.on('error', () => {});
				}
				client.pipe(upstream).pipe(client);
			});
			server.listen(socketPath, resolve);
		});
	const close = async () =>
		new Promise<void>(resolve => {
			for (const socket of sockets) socket.destroy();
			server?.close(() => {
				resolve();
			});
		});

	const proxied = new ContainerManager({docker: new Docker({socketPath}), settings: manager.settings});
	const proxiedStore: DashboardStore = createDashboardStore({address: `unix://${socketPath}`});
	let proxiedFeeders: {stop(): void} | undefined;
	const waitProxied = async <T>(what: string, check: (state: DashboardState) => T | undefined | false) =>
		waitFor(what, async () => check(proxiedStore.getState()), 30_000, 20);

	beforeAll(async () => {
		await open();
		proxiedFeeders = startFeeders(proxiedStore, {manager: proxied, feeds: engineStreams(proxied.engine)});
		await waitProxied('the proxied feed to connect', state => state.engine.state === 'connected');
	});

	afterAll(async () => {
		proxiedFeeders?.stop();
		await close();
		rmSync(socketPath, {force: true});
	});

	it('says reconnecting, then unreachable, keeps running, and resyncs when the engine is back', async () => {
		const pg = name('outage');
		await close();
		await waitProxied('reconnecting', state => state.engine.state === 'reconnecting');
		await waitProxied('unreachable', state => state.engine.state === 'unreachable');

		// Something happens while the engine is unreachable for the dashboard: it must be seen after.
		const {container} = await createFrom(manager, {database: 'postgres', version: '16', name: pg});
		expect(proxiedStore.getState().containers[container.id]).toBeUndefined();

		await open();
		await waitProxied('connected again', state => state.engine.state === 'connected');
		await waitProxied('the resync to find the new container', state => state.containers[container.id]);
		await waitProxied('it to be proved healthy', state => state.containers[container.id]?.health === 'healthy');
	});
});
