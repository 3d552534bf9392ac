import {afterAll, describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {takeSnapshot} from '../../source/core/snapshots.js';
import {testArena} from '../helpers/arena.js';
import {createFrom} from '../helpers/create-from.js';
import {docker, pgQuery, type Login} from '../helpers/docker.js';

const {manager, name, track} = testArena('safe');
const snapshotTags: string[] = [];
afterAll(async () => {
	await Promise.all(
		snapshotTags.map(async tag =>
			docker
				.getImage(`dbarena-snapshot:${tag}`)
				.remove({force: true, v: true})
				.catch(() => undefined),
		),
	);
});

const count = async (login: Login, table: string) => Number((await pgQuery<{n: string}>(login, `SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe('every mode keeps the promise its name makes', () => {
	it('fast, fresh: data larger than the memory limit fits, and survives restart and stop/start (it is on disk, not tmpfs)', async () => {
		const db = name('fast-big');
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: db, noTemplate: true});
		expect(created.container.mode).toBe('fast');
		// About 300 MB of table and as much WAL again, under the 256 MiB limit: on tmpfs this was OOM-killed.
		await pgQuery(created.connection, 'CREATE TABLE big AS SELECT g AS id, md5(g::text) AS a, md5((g + 1)::text) AS b FROM generate_series(1, 3000000) g');
		const size = Number((await pgQuery<{bytes: string}>(created.connection, "SELECT pg_total_relation_size('big') AS bytes"))[0]!.bytes);
		expect(size).toBeGreaterThan(256 * 1024 * 1024);
		const info = await docker.getContainer(db).inspect();
		expect(info.State.OOMKilled).toBe(false);
		expect(info.HostConfig.Tmpfs ?? {}).toEqual({});

		const restarted = await manager.restart(db);
		expect(await count(restarted.container.connection!, 'big')).toBe(3_000_000);
		await manager.stop(db);
		const started = await manager.start(db);
		expect(await count(started.container.connection!, 'big')).toBe(3_000_000);

		// Gone with the container: the anonymous volume that held the data is removed with it.
		const volumes = (info.Mounts ?? []).flatMap(mount => (mount.Type === 'volume' && mount.Name ? [mount.Name] : []));
		expect(volumes.length).toBeGreaterThan(0);
		await manager.destroy(db);
		const left = (await docker.listVolumes()).Volumes ?? [];
		expect(left.filter(volume => volumes.includes(volume.Name))).toEqual([]);
	});

	it.each([
		['persistent', {mode: 'persistent'}],
		['fast --cdc', {cdc: true}],
	] as const)('%s: a commit that returned survives the server being killed right after it', async (label, options) => {
		const db = name(label === 'persistent' ? 'kill-persistent' : 'kill-cdc');
		let login = (await createFrom(manager, {database: 'postgres', version: '16', name: db, ...options})).connection;
		await pgQuery(login, 'CREATE TABLE kept (id int)');
		// Each round: one commit, then SIGKILL within milliseconds. With asynchronous commits the
		// row was lost in about half of such runs; three rounds in a row all keep theirs.
		for (let round = 1; round <= 3; round++) {
			await pgQuery(login, 'INSERT INTO kept VALUES ($1)', [round]);
			await docker.getContainer(db).kill();
			login = (await manager.start(db)).container.connection!;
			expect(await count(login, 'kept')).toBe(round);
		}
		expect((await pgQuery<{s: string}>(login, "SELECT current_setting('synchronous_commit') AS s"))[0]!.s).toBe('on');
	});

	it('a volume mounted by another container (renamed, or not ours) is never reused by a second server', async () => {
		const original = name('held');
		await createFrom(manager, {database: 'postgres', version: '16', name: original, mode: 'persistent'});
		const renamed = track(`${original}-renamed`);
		await docker.getContainer(original).rename({name: renamed});
		const error = await createFrom(manager, {database: 'postgres', version: '16', name: original, mode: 'persistent'}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(UsageError);
		expect((error as UsageError).code).toBe('volume_in_use');
		expect((error as Error).message).toContain(`in use by ${renamed}`);
		// Nothing was made by the refused create, and the holder still runs on its data.
		await expect(docker.getContainer(original).inspect()).rejects.toThrow();
		expect((await docker.getContainer(renamed).inspect()).State.Running).toBe(true);
	});

	it('PostgreSQL 18 (the default, PGDATA below its volume): a snapshot of a fresh database restores with its rows', async () => {
		const source = name('pg18');
		const created = await createFrom(manager, {database: 'postgres', version: '18', name: source, noTemplate: true});
		await pgQuery(created.connection, 'CREATE TABLE orders (id int)');
		await pgQuery(created.connection, 'INSERT INTO orders VALUES (18)');
		const tag = `t-safe-${Math.random().toString(16).slice(2, 6)}-pg18`;
		snapshotTags.push(tag);
		await takeSnapshot(manager.engine, source, {tag});
		const restored = await createFrom(manager, {database: 'postgres', fromSnapshot: tag, name: name('pg18-copy')});
		expect(restored.container.version).toBe('18');
		expect(await pgQuery<{id: number}>(restored.connection, 'SELECT id FROM orders')).toEqual([{id: 18}]);
	});
});
