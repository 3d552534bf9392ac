import {createFrom} from '../helpers/create-from.js';
import {afterAll, describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {listSnapshots, removeSnapshot, takeSnapshot} from '../../source/core/snapshots.js';
import {testArena} from '../helpers/arena.js';
import {docker, mysqlQuery, pgQuery} from '../helpers/docker.js';

const {manager, name} = testArena('snap');
const run = Math.random().toString(16).slice(2, 6);
const tags: string[] = [];
const tag = (suffix: string) => {
	const value = `t-${run}-${suffix}`;
	tags.push(value);
	return value;
};
afterAll(async () => {
	await Promise.all(
		tags.map(async value =>
			docker
				.getImage(`dbarena-snapshot:${value}`)
				.remove({force: true, v: true})
				.catch(() => undefined),
		),
	);
});

describe('snapshots keep the data, wherever the container keeps it', () => {
	it.each(['fast', 'persistent'] as const)('postgres %s: a row written before the snapshot is there after create --from-snapshot', async mode => {
		const source = name(`pg-${mode}`);
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: source, mode, noTemplate: true});
		await pgQuery(created.connection, 'CREATE TABLE orders (id int, note text)');
		await pgQuery(created.connection, 'INSERT INTO orders VALUES (1, $1)', [`before-${mode}`]);
		const snapshotTag = tag(`pg-${mode}`);
		const snapshot = await takeSnapshot(manager.engine, source, {tag: snapshotTag});
		expect(snapshot).toMatchObject({tag: snapshotTag, database: 'postgres', version: '16', container: source});
		// The source keeps running and keeps its data.
		await pgQuery(created.connection, 'INSERT INTO orders VALUES (2, $1)', ['after']);

		const restored = await createFrom(manager, {database: 'postgres', fromSnapshot: snapshotTag, name: name(`pg-${mode}-copy`)});
		expect(restored.container.source).toBe('snapshot');
		expect(await pgQuery(restored.connection, 'SELECT id, note FROM orders ORDER BY id')).toEqual([{id: 1, note: `before-${mode}`}]);
		// Independent of the source from now on.
		await pgQuery(restored.connection, "INSERT INTO orders VALUES (3, 'copy')");
		expect(await pgQuery(created.connection, 'SELECT count(*)::int AS n FROM orders')).toEqual([{n: 2}]);
	});

	it('mariadb: a row written before the snapshot is there after create --from-snapshot, also as persistent', async () => {
		const source = name('maria');
		const created = await createFrom(manager, {database: 'mariadb', version: '10.11', name: source, noTemplate: true});
		await mysqlQuery(created.connection, 'CREATE TABLE orders (id int, note varchar(20))');
		await mysqlQuery(created.connection, 'INSERT INTO orders VALUES (1, ?)', ['before']);
		const snapshotTag = tag('maria');
		await takeSnapshot(manager.engine, source, {tag: snapshotTag});
		const restored = await createFrom(manager, {database: 'mariadb', fromSnapshot: snapshotTag, name: name('maria-copy'), mode: 'persistent'});
		expect(await mysqlQuery(restored.connection, 'SELECT id, note FROM orders')).toEqual([{id: 1, note: 'before'}]);
		expect(restored.container.volume).toBe(`${restored.container.name}-data`);
	});

	it('lists and removes snapshots; refuses bad tags, taken tags, stopped sources and a mismatched database', async () => {
		const source = name('errs');
		await createFrom(manager, {database: 'postgres', version: '16', name: source});
		const snapshotTag = tag('errs');
		await takeSnapshot(manager.engine, source, {tag: snapshotTag});
		expect((await listSnapshots(manager.engine)).map(snapshot => snapshot.tag)).toContain(snapshotTag);
		await expect(takeSnapshot(manager.engine, source, {tag: snapshotTag})).rejects.toThrow(/exists; choose another --tag/);
		await expect(takeSnapshot(manager.engine, source, {tag: 'bad tag!'})).rejects.toThrow(UsageError);
		await expect(createFrom(manager, {database: 'mariadb', fromSnapshot: snapshotTag, name: name('mismatch')})).rejects.toThrow(
			/holds postgres 16 data, not mariadb/,
		);
		await expect(createFrom(manager, {database: 'postgres', fromSnapshot: snapshotTag, password: 'other', name: name('mismatch2')})).rejects.toThrow(
			/other credentials/,
		);
		// The snapshot fixes the version: asking for another one is refused, not silently ignored.
		await expect(createFrom(manager, {database: 'postgres', version: '17', fromSnapshot: snapshotTag, name: name('mismatch3')})).rejects.toThrow(
			/holds postgres 16 data; its version is fixed by its data/,
		);
		await expect(createFrom(manager, {database: 'postgres', fromSnapshot: 'no-such-snapshot', name: name('missing')})).rejects.toThrow(/No snapshot tagged/);
		await manager.stop(source);
		await expect(takeSnapshot(manager.engine, source, {tag: tag('stopped')})).rejects.toThrow(/not running/);
		await removeSnapshot(manager.engine, snapshotTag);
		expect((await listSnapshots(manager.engine)).map(snapshot => snapshot.tag)).not.toContain(snapshotTag);
		// Nothing the snapshot machinery made for this file's snapshots is left behind (other files
		// running at the same time may have one of their own in the making).
		// Databases made from a snapshot inherit the label from its image; they are managed, targets are not.
		const targets = await docker.listContainers({all: true, filters: {label: ['dbarena.snapshot-target']}});
		const ours = targets.filter(target => target.Labels['dbarena.snapshot-target']?.startsWith(`t-${run}-`) && !target.Labels['dbarena.managed']);
		expect(ours).toEqual([]);
	});
});
