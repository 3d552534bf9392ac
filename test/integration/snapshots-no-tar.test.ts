import {Readable} from 'node:stream';
import tarStream from 'tar-stream';
import {afterAll, describe, expect, it} from 'vitest';
import {containerSpec} from '../../source/core/create/container-spec.js';
import {UsageError} from '../../source/core/errors.js';
import {takeSnapshot} from '../../source/core/snapshots.js';
import {createFrom} from '../helpers/create-from.js';
import {testArena} from '../helpers/arena.js';
import {docker, mysqlQuery, pgQuery, registry, run as runCommand, testLabel} from '../helpers/docker.js';

/**
 * The official mysql images (Oracle Linux based) have no `tar`, and a distroless-style image may
 * lack more. Our fixtures have it, so these tests remove it: a snapshot must not depend on any
 * tool inside the database's image.
 */
const run = Math.random().toString(16).slice(2, 6);
const images: string[] = [];
const snapshotTags: string[] = [];

// Registered before testArena's cleanup, so it runs after it (after-hooks run in reverse order):
// the containers go first, then the snapshots, then the images they were made from.
afterAll(async () => {
	for (const image of images) {
		const users = await docker.listContainers({all: true, filters: {ancestor: [image]}}).catch(() => []);
		await Promise.all(
			users.map(async user =>
				docker
					.getContainer(user.Id)
					.remove({force: true, v: true})
					.catch(() => undefined),
			),
		);
	}
	for (const tag of snapshotTags) {
		await docker
			.getImage(`dbarena-snapshot:${tag}`)
			.remove({force: true, v: true})
			.catch(() => undefined);
	}
	for (const image of images) {
		await docker
			.getImage(image)
			.remove({force: true, v: true})
			.catch(() => undefined);
	}
});

const {manager, name} = testArena('snaptar');

/** The fixture image with `tar` deleted, built through the engine's API (a one-line Dockerfile). */
async function withoutTar(base: string, label: string): Promise<string> {
	const reference = `t-snaptar-${label}:${run}`;
	images.push(reference);
	const context = tarStream.pack();
	context.entry({name: 'Dockerfile'}, `FROM ${base}\nRUN rm -f "$(command -v tar)" && ! command -v tar\n`);
	context.finalize();
	const [key, value] = testLabel.split('=') as [string, string];
	const build = await docker.buildImage(Readable.from(context), {t: reference, labels: {[key]: value}, rm: true, forcerm: true});
	const messages = await new Promise<Array<{error?: string}>>((resolve, reject) => {
		docker.modem.followProgress(build, (error: Error | null, output: Array<{error?: string}>) => (error ? reject(error) : resolve(output)));
	});
	const failed = messages.find(message => message.error);
	if (failed) throw new Error(`Building ${reference} failed: ${failed.error}`);
	return reference;
}

/** Run a command in a container of the image, to check what it lacks. */
async function hasTar(image: string): Promise<boolean> {
	return runCommand('docker', ['run', '--rm', '--label', testLabel, '--entrypoint', 'sh', image, '-c', 'command -v tar']).then(
		() => true,
		() => false,
	);
}

describe('snapshots need no tool inside the database image', () => {
	it('mysql (real MySQL, whose official image has no tar) without tar: rows written before the snapshot are there after create --from-snapshot', async () => {
		const image = await withoutTar(`${registry}/library/mysql:8.4`, 'mysql');
		expect(await hasTar(image)).toBe(false);
		const source = name('mysql');
		const created = await createFrom(manager, {database: 'mysql', version: '8.4', name: source, image, noTemplate: true});
		await mysqlQuery(created.connection, 'CREATE TABLE orders (id int, note varchar(20))');
		await mysqlQuery(created.connection, 'INSERT INTO orders VALUES (1, ?), (2, ?)', ['one', 'two']);
		const tag = `t-snaptar-${run}-mysql`;
		snapshotTags.push(tag);
		await takeSnapshot(manager.engine, source, {tag});

		const restored = await createFrom(manager, {database: 'mysql', fromSnapshot: tag, name: name('mysql-copy')});
		expect(restored.container.source).toBe('snapshot');
		expect(await mysqlQuery(restored.connection, 'SELECT id, note FROM orders ORDER BY id')).toEqual([
			{id: 1, note: 'one'},
			{id: 2, note: 'two'},
		]);
	});

	it('postgres 18 without tar: the data directory keeps its owner and mode (the server refuses it otherwise) and its rows', async () => {
		const image = await withoutTar(`${registry}/library/postgres:18-alpine`, 'pg');
		expect(await hasTar(image)).toBe(false);
		const source = name('pg');
		const created = await createFrom(manager, {database: 'postgres', version: '18', name: source, image, noTemplate: true});
		await pgQuery(created.connection, 'CREATE TABLE orders (id int, note text)');
		await pgQuery(created.connection, "INSERT INTO orders SELECT g, 'row ' || g FROM generate_series(1, 1000) g");
		const tag = `t-snaptar-${run}-pg`;
		snapshotTags.push(tag);
		const snapshot = await takeSnapshot(manager.engine, source, {tag});
		expect(snapshot).toMatchObject({tag, database: 'postgres', version: '18'});

		const restored = await createFrom(manager, {database: 'postgres', fromSnapshot: tag, name: name('pg-copy')});
		expect(await pgQuery(restored.connection, 'SELECT count(*)::int AS n, max(note) AS last FROM orders')).toEqual([{n: 1000, last: 'row 999'}]);
		// PostgreSQL checks these itself, but say which one broke if it ever does.
		const dataPath = restored.container.labels['dbarena.data_path'] ?? '?';
		const {stdout: output} = await runCommand('docker', ['exec', restored.container.id, 'stat', '-c', '%U %a', dataPath]);
		expect(output).toMatch(/postgres 7[05]0\n$/);
	});

	it('data on tmpfs (containers of older dbarena versions) is refused, not snapshotted as an empty directory', async () => {
		// dbarena no longer makes such containers; one is made here as an older version did.
		const plan = manager.plan({database: 'postgres', version: '16', name: name('tmpfs'), noTemplate: true});
		const spec = containerSpec(plan, 0);
		const container = await docker.createContainer({...spec, HostConfig: {...spec.HostConfig, Tmpfs: {'/var/lib/postgresql/data': 'rw'}}});
		await container.start();
		const tag = `t-snaptar-${run}-tmpfs`;
		snapshotTags.push(tag);
		const refused = await takeSnapshot(manager.engine, plan.name, {tag}).catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(UsageError);
		expect((refused as Error).message).toMatch(/keeps its data on tmpfs \(\/var\/lib\/postgresql\/data\)/);
		expect(await docker.listImages({filters: {reference: [`dbarena-snapshot:${tag}`]}})).toEqual([]);
	});
});
