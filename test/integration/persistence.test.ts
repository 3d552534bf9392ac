import {createFrom} from '../helpers/create-from.js';
import {describe, expect, it} from 'vitest';
import {ConfirmationRequiredError, UsageError} from '../../source/core/errors.js';
import type {ProgressEvent} from '../../source/core/types.js';
import {testArena} from '../helpers/arena.js';
import {docker, inspectOrNone, mysqlQuery, pgQuery} from '../helpers/docker.js';
import {beyondPodmanShortRun, rowsOf} from '../helpers/engine-run.js';
import {privatePort} from '../helpers/private-port.js';

const {manager, name} = testArena('persist');

async function volumeExists(volume: string): Promise<boolean> {
	return docker
		.getVolume(volume)
		.inspect()
		.then(
			() => true,
			() => false,
		);
}

describe('persistent mode keeps data in a named volume', () => {
	// On Podman's short run (npm test): 16 only; 18 differs in where PGDATA sits inside the volume,
	// which is the image's layout, not the engine's.
	it.each(
		rowsOf(
			[
				['postgres', '16'],
				// 18 keeps PGDATA under /var/lib/postgresql/18/docker inside the volume at /var/lib/postgresql.
				['postgres', '18'],
			] as const,
			([, version]) => version === '16',
		),
	)('%s %s: a row survives stop/start and destroy + create on the same volume', async (database, version) => {
		const containerName = name(`pg${version}`);
		// A port of its own: while it is stopped, tests of the other engine could take a shared one.
		const port = await privatePort();
		const first = await createFrom(manager, {database, version, name: containerName, mode: 'persistent', port});
		expect(first.container.volume).toBe(`${containerName}-data`);
		expect(first.volumeReused).toBe(false);
		await pgQuery(first.connection, 'CREATE TABLE kept (note text)');
		await pgQuery(first.connection, 'INSERT INTO kept VALUES ($1)', ['survives']);

		await manager.stop(containerName);
		const restarted = await manager.start(containerName);
		expect(await pgQuery(restarted.container.connection!, 'SELECT note FROM kept')).toEqual([{note: 'survives'}]);

		const destroyed = await manager.destroy(containerName);
		expect(destroyed.volumeKept).toBe(`${containerName}-data`);
		expect(await volumeExists(`${containerName}-data`)).toBe(true);

		const again = await createFrom(manager, {database, version, name: containerName, mode: 'persistent', port});
		expect(again.volumeReused).toBe(true);
		expect(await pgQuery(again.connection, 'SELECT note FROM kept')).toEqual([{note: 'survives'}]);

		// Removing the volume needs an explicit confirmation at the API level, separate from the ask.
		await expect(manager.destroy(containerName, {removeVolume: true})).rejects.toThrow(ConfirmationRequiredError);
		expect(
			await docker
				.getContainer(containerName)
				.inspect()
				.then(info => info.State.Running),
		).toBe(true);
		expect(await volumeExists(`${containerName}-data`)).toBe(true);

		const gone = await manager.destroy(containerName, {removeVolume: true, confirmVolumeRemoval: true});
		expect(gone.volumeRemoved).toBe(`${containerName}-data`);
		expect(await volumeExists(`${containerName}-data`)).toBe(false);
	});

	it('mysql persistent: a row survives stop/start and destroy + create on the same volume', async () => {
		const containerName = name('mysql');
		const port = await privatePort();
		const first = await createFrom(manager, {database: 'mysql', version: '9.7', name: containerName, mode: 'persistent', port});
		expect(first.container.volume).toBe(`${containerName}-data`);
		await mysqlQuery(first.connection, 'CREATE TABLE kept (note varchar(20))');
		await mysqlQuery(first.connection, 'INSERT INTO kept VALUES (?)', ['persistent']);
		await manager.stop(containerName);
		const started = await manager.start(containerName);
		expect(await mysqlQuery(started.container.connection!, 'SELECT note FROM kept')).toEqual([{note: 'persistent'}]);
		await manager.destroy(containerName);
		const again = await createFrom(manager, {database: 'mysql', version: '9.7', name: containerName, mode: 'persistent', port});
		expect(again.volumeReused).toBe(true);
		expect(await mysqlQuery(again.connection, 'SELECT note FROM kept')).toEqual([{note: 'persistent'}]);
	});

	// Not on Podman's short run: what these prove (durable mode's settings, the checks before a
	// volume is reused, reset, and the race for a name) is dbarena's own logic over the same calls
	// the rows above make.
	beyondPodmanShortRun(() => {
		it('mariadb durable: data survives destroy + create', async () => {
			const containerName = name('maria');
			const first = await createFrom(manager, {database: 'mariadb', version: '10.11', name: containerName, mode: 'durable'});
			expect(first.container.memoryLimitBytes).toBe(1024 * 1024 * 1024);
			await mysqlQuery(first.connection, 'CREATE TABLE kept (note varchar(20))');
			await mysqlQuery(first.connection, 'INSERT INTO kept VALUES (?)', ['durable']);
			await manager.destroy(containerName);
			const again = await createFrom(manager, {database: 'mariadb', version: '10.11', name: containerName, mode: 'durable'});
			expect(await mysqlQuery(again.connection, 'SELECT note FROM kept')).toEqual([{note: 'durable'}]);
		});

		it('refuses to reuse a volume with other credentials or another engine, and touches nothing', async () => {
			const containerName = name('guard');
			await createFrom(manager, {database: 'postgres', version: '16', name: containerName, mode: 'persistent'});
			await manager.destroy(containerName);
			await expect(createFrom(manager, {database: 'postgres', version: '16', name: containerName, mode: 'persistent', password: 'other'})).rejects.toThrow(
				/initialised with other credentials/,
			);
			await expect(createFrom(manager, {database: 'postgres', version: '17', name: containerName, mode: 'persistent'})).rejects.toThrow(UsageError);
			expect(await volumeExists(`${containerName}-data`)).toBe(true);
			expect(await inspectOrNone(containerName)).toBeUndefined();
		});

		it('a persistent create that fails removes the volume it made, but never a reused one', async () => {
			const containerName = name('fail');
			await expect(
				createFrom(manager, {
					database: 'postgres',
					version: '16',
					name: containerName,
					mode: 'persistent',
					env: {FIXTURE_INIT_HOLD_SECONDS: '30'},
					timeoutMs: 1000,
				}),
			).rejects.toThrow(/not ready/);
			expect(await volumeExists(`${containerName}-data`)).toBe(false);
		});

		it('reset gives fresh data with the same name and port; on a persistent container only when confirmed', async () => {
			const fast = name('reset');
			const created = await createFrom(manager, {database: 'postgres', version: '16', name: fast});
			await pgQuery(created.connection, 'CREATE TABLE scratch (n int)');
			const reset = await manager.reset(fast);
			expect(reset.connection.port).toBe(created.connection.port);
			expect(reset.container.name).toBe(fast);
			expect(await pgQuery(reset.connection, "SELECT to_regclass('scratch') AS t")).toEqual([{t: null}]);

			const kept = name('reset-p');
			const persistent = await createFrom(manager, {database: 'postgres', version: '16', name: kept, mode: 'persistent'});
			await pgQuery(persistent.connection, 'CREATE TABLE scratch (n int)');
			await expect(manager.reset(kept)).rejects.toThrow(ConfirmationRequiredError);
			expect(await pgQuery(persistent.connection, "SELECT to_regclass('scratch') AS t")).toEqual([{t: 'scratch'}]);
			const fresh = await manager.reset(kept, {confirmVolumeRemoval: true});
			expect(fresh.container.mode).toBe('persistent');
			expect(await pgQuery(fresh.connection, "SELECT to_regclass('scratch') AS t")).toEqual([{t: null}]);
		});

		it('three creates of one name at once: only the one that gets the name says it reuses the volume', async () => {
			const containerName = name('claim');
			await createFrom(manager, {database: 'postgres', version: '16', name: containerName, mode: 'persistent'});
			await manager.destroy(containerName);
			const events: ProgressEvent[][] = [[], [], []];
			const results = await Promise.allSettled(
				events.map(async seen =>
					createFrom(manager, {database: 'postgres', version: '16', name: containerName, mode: 'persistent'}, {onProgress: event => seen.push(event)}),
				),
			);
			const won = results.filter(result => result.status === 'fulfilled');
			expect(won).toHaveLength(1);
			for (const [index, result] of results.entries()) {
				const claimedVolume = events[index]!.some(event => event.type === 'volume');
				// Nothing is claimed before it is true: a create that lost the name never said "reusing".
				expect(claimedVolume, `create ${index}: ${result.status}`).toBe(result.status === 'fulfilled');
			}
		});
	});
});
