import {createFrom} from '../helpers/create-from.js';
import getPort from 'get-port';
import {describe, expect, it} from 'vitest';
import {ContainerExitedError} from '../../source/core/errors.js';
import {configureTrace, traceLines} from '../../source/core/trace.js';
import {testArena} from '../helpers/arena.js';
import {canLogin, docker, inspectOrNone, registry, run} from '../helpers/docker.js';
import {beyondPodmanShortRun, rowsOf} from '../helpers/engine-run.js';

const {manager, name} = testArena('ready');

/** An independent prober: tries a real host login every 20 ms and remembers the first success. */
function hostProber(kind: 'postgres' | 'mysql', login: {host: string; port: number; user: string; password: string; database: string}) {
	let firstSuccess: number | undefined;
	let running = true;
	const loop = (async () => {
		while (running && firstSuccess === undefined) {
			const began = Date.now();
			if (await canLogin(kind, login)) firstSuccess = began;
			else await new Promise(resolve => setTimeout(resolve, 20));
		}
	})();
	return {
		firstSuccess: () => firstSuccess,
		stop: async () => {
			running = false;
			await loop;
		},
	};
}

describe('readiness against the two-phase first start', () => {
	// On Podman's short run (npm test): PostgreSQL and real MySQL, the two kinds of first start;
	// MariaDB's is PostgreSQL's pattern again (one temporary server on the socket).
	it.each(
		rowsOf(
			[
				['postgres', '16', 'postgres'],
				['mariadb', '10.11', 'mysql'],
				// Real MySQL: --initialize-insecure, then a --skip-networking server on the socket.
				['mysql', '9.7', 'mysql'],
			] as const,
			([database]) => database !== 'mariadb',
		),
	)('%s: never healthy while the socket-only server runs; ready within 500 ms of a real host login', async (database, version, kind) => {
		const port = await getPort({host: '127.0.0.1'});
		const containerName = name(database);
		const defaults = database === 'postgres' ? {user: 'postgres', database: 'testdb'} : {user: 'root', database: 'testdb'};
		const prober = hostProber(kind, {host: '127.0.0.1', port, password: 'dbarena', ...defaults});
		let holdSeenAt: number | undefined;
		// The phases of the wait (every probe and how it ended) for the message when it is slow.
		configureTrace(true);
		let readyAt: number | undefined;
		const creating = createFrom(manager, {
			database,
			version,
			name: containerName,
			port,
			// The fixture keeps its temporary server up for 3 s: a socket-level check says "ready" then.
			env: {FIXTURE_INIT_HOLD_SECONDS: '3'},
		}).then(result => {
			readyAt = Date.now();
			return result;
		});
		// While the temporary server is held, dbarena must still be waiting.
		for (;;) {
			const logs = await run('docker', ['logs', containerName])
				.then(r => r.stdout + r.stderr)
				.catch(() => '');
			if (logs.includes('holding the temporary')) {
				holdSeenAt = Date.now();
				break;
			}
			await new Promise(resolve => setTimeout(resolve, 50));
		}
		const inside = await run('docker', ['exec', containerName, ...(kind === 'postgres' ? ['pg_isready'] : ['mysqladmin', 'ping'])]).then(
			() => 0,
			() => 1,
		);
		expect(inside).toBe(0); // the trap is really there
		expect(readyAt).toBeUndefined();

		const result = await creating;
		await prober.stop();
		const hostReady = prober.firstSuccess();
		expect(hostReady).toBeDefined();
		expect(holdSeenAt).toBeDefined();
		// Never early: the host could log in before (or as) dbarena said ready...
		expect(readyAt!).toBeGreaterThanOrEqual(hostReady!);
		// ...and dbarena noticed quickly.
		const sinceStart = (at: number) => `${(at - performance.timeOrigin).toFixed(1)} ms`;
		const phases = [`host login first worked at ${sinceStart(hostReady!)}`, ...traceLines(), `create returned at ${sinceStart(readyAt!)}`].join('\n');
		expect(readyAt! - hostReady!, phases).toBeLessThan(500);
		configureTrace(false);
		expect(result.readyMs).toBeGreaterThan(3000);
	});

	it('reports a container that crashes during start-up at once, with its last log lines, and removes it', async () => {
		const containerName = name('crash');
		const began = Date.now();
		// A wrong image for the preset: its entrypoint cannot run "postgres" and the container exits.
		const error = await createFrom(manager, {database: 'postgres', version: '16', name: containerName, image: `${registry}/library/mariadb:10.11`}).catch(
			(error_: unknown) => error_,
		);
		expect(error).toBeInstanceOf(ContainerExitedError);
		expect((error as ContainerExitedError).message).toMatch(/exited with code \d+ while starting/);
		expect((error as ContainerExitedError).logTail.join('\n')).toMatch(/postgres/);
		expect(Date.now() - began).toBeLessThan(10_000); // not the 60 s timeout
		expect(await inspectOrNone(containerName)).toBeUndefined();
	});

	// Not on Podman's short run: the same create path as the crash above, and a timeout whose cause
	// (a server held back by the fixture) looks the same to every engine.
	beyondPodmanShortRun(() => {
		it('keeps the failed container when asked to (--keep-on-error)', async () => {
			const containerName = name('kept');
			await expect(
				createFrom(manager, {database: 'postgres', version: '16', name: containerName, image: `${registry}/library/mariadb:10.11`, keepOnError: true}),
			).rejects.toThrow(ContainerExitedError);
			const kept = await docker.getContainer(containerName).inspect();
			expect(kept.Config.Labels['dbarena.managed']).toBe('true');
			expect(kept.State.Running).toBe(false);
		});

		it('times out with the last probe error when the server never becomes reachable', async () => {
			const containerName = name('slow');
			const began = Date.now();
			await expect(
				createFrom(manager, {database: 'postgres', version: '16', name: containerName, env: {FIXTURE_INIT_HOLD_SECONDS: '30'}, timeoutMs: 1500}),
			).rejects.toThrow(/was not ready after 2s \(last probe: /);
			expect(Date.now() - began).toBeLessThan(8000);
			expect(await inspectOrNone(containerName)).toBeUndefined();
		});
	});
});
