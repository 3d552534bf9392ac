import {createFrom} from '../helpers/create-from.js';
import {afterAll, describe, expect, it} from 'vitest';
import {buildTemplate, listTemplates, pruneTemplates} from '../../source/core/templates.js';
import {testArena} from '../helpers/arena.js';
import {docker, mysqlQuery, pgQuery} from '../helpers/docker.js';

const {manager, name} = testArena('tpl');
const built = new Set<string>();
afterAll(async () => {
	// Templates keyed by this run's random password are of no use to anyone after it.
	for (const template of await listTemplates(manager.engine)) {
		if (built.has(template.reference))
			await docker
				.getImage(template.reference)
				.remove({force: true, v: true})
				.catch(() => undefined);
	}
});
async function build(options: Parameters<typeof buildTemplate>[1]) {
	const result = await buildTemplate(manager.engine, options);
	built.add(result.reference);
	return result;
}

// Distinct credentials per test file run, so templates other tests build cannot be mistaken for ours.
const password = `tpl-${Math.random().toString(16).slice(2, 8)}`;

describe('templates: initialise once, start from the copy', () => {
	it('postgres: a template is built once, then used; containers from it are independent', async () => {
		const options = {database: 'postgres', version: '16', password} as const;
		const first = await build(options);
		expect(first.built).toBe(true);
		expect(await build(options)).toMatchObject({built: false, reference: first.reference});

		const [a, b] = await Promise.all([createFrom(manager, {...options, name: name('a')}), createFrom(manager, {...options, name: name('b')})]);
		expect(a.container.source).toBe('template');
		expect(b.container.source).toBe('template');
		// The whole point: no first-start initialisation.
		expect(a.readyMs).toBeLessThan(2000);
		await pgQuery(a.connection, 'CREATE TABLE only_in_a (n int)');
		expect(await pgQuery(b.connection, "SELECT to_regclass('only_in_a') AS t")).toEqual([{t: null}]);
		expect(await pgQuery(a.connection, 'SELECT current_database() AS db, current_user AS who')).toEqual([{db: 'testdb', who: 'postgres'}]);
		// The template's data lives on the container's layer, not in an anonymous volume.
		const info = await docker.getContainer(a.container.name).inspect();
		expect(info.Mounts.filter(mount => mount.Type === 'volume')).toEqual([]);

		const listed = await listTemplates(manager.engine);
		expect(listed.find(template => template.reference === first.reference)).toMatchObject({database: 'postgres', version: '16', mode: 'fast', stale: false});
	});

	it('is not reused when the password, the database name or the image changes, nor with --no-template', async () => {
		await build({database: 'postgres', version: '16', password});
		const otherPassword = await createFrom(manager, {database: 'postgres', version: '16', password: `${password}x`, name: name('pw')});
		expect(otherPassword.container.source).toBe('fresh');
		const otherDatabase = await createFrom(manager, {database: 'postgres', version: '16', password, databaseName: 'other', name: name('db')});
		expect(otherDatabase.container.source).toBe('fresh');
		expect(await pgQuery(otherDatabase.connection, 'SELECT current_database() AS db')).toEqual([{db: 'other'}]);
		const otherImage = await createFrom(manager, {database: 'postgres', version: '15', password, name: name('img')});
		expect(otherImage.container.source).toBe('fresh');
		const forced = await createFrom(manager, {database: 'postgres', version: '16', password, noTemplate: true, name: name('forced')});
		expect(forced.container.source).toBe('fresh');
	});

	it('reset starts from the template: same name and port, the row written after creation is gone', async () => {
		await build({database: 'postgres', version: '16', password});
		const containerName = name('reset');
		const created = await createFrom(manager, {database: 'postgres', version: '16', password, name: containerName});
		await pgQuery(created.connection, 'CREATE TABLE scratch (n int)');
		await pgQuery(created.connection, 'INSERT INTO scratch VALUES (1)');
		const began = Date.now();
		const reset = await manager.reset(containerName);
		const resetMs = Date.now() - began;
		expect(reset.container.source).toBe('template');
		expect(reset.connection.port).toBe(created.connection.port);
		expect(await pgQuery(reset.connection, "SELECT to_regclass('scratch') AS t")).toEqual([{t: null}]);
		expect(resetMs).toBeLessThan(5000); // behaviour bound only; the benchmark measures the real figure
	});

	it('persistent from a template: the volume is filled from it and keeps new data across destroy + create', async () => {
		const options = {database: 'postgres', version: '18', password, mode: 'persistent'} as const;
		await build(options);
		const containerName = name('vol');
		const created = await createFrom(manager, {...options, name: containerName});
		expect(created.container.source).toBe('template');
		await pgQuery(created.connection, 'CREATE TABLE kept (note text)');
		await pgQuery(created.connection, 'INSERT INTO kept VALUES ($1)', ['from-template']);
		await manager.destroy(containerName);
		const again = await createFrom(manager, {...options, name: containerName});
		expect(again.volumeReused).toBe(true);
		expect(await pgQuery(again.connection, 'SELECT note FROM kept')).toEqual([{note: 'from-template'}]);
	});

	it('mariadb: a template is used and containers from it are independent', async () => {
		const options = {database: 'mariadb', version: '10.11', password} as const;
		await build(options);
		const [a, b] = await Promise.all([createFrom(manager, {...options, name: name('ma')}), createFrom(manager, {...options, name: name('mb')})]);
		expect(a.container.source).toBe('template');
		await mysqlQuery(a.connection, 'CREATE TABLE only_in_a (n int)');
		expect(await mysqlQuery(b.connection, 'SHOW TABLES')).toEqual([]);
	});

	it('mysql: a template is used, containers from it are independent, and reset starts from it', async () => {
		const options = {database: 'mysql', version: '9.7', password} as const;
		await build(options);
		const [a, b] = await Promise.all([createFrom(manager, {...options, name: name('mya')}), createFrom(manager, {...options, name: name('myb')})]);
		expect([a.container.source, b.container.source]).toEqual(['template', 'template']);
		await mysqlQuery(a.connection, 'CREATE TABLE only_in_a (n int)');
		expect(await mysqlQuery(b.connection, 'SHOW TABLES')).toEqual([]);
		const reset = await manager.reset(a.container.name);
		expect(reset.container.source).toBe('template');
		expect(reset.connection.port).toBe(a.connection.port);
		expect(await mysqlQuery(reset.connection, 'SHOW TABLES')).toEqual([]);
	});

	it('prune removes unused templates and keeps ones in use', async () => {
		const options = {database: 'postgres', version: '17', password} as const;
		const prunable = await build(options);
		const user = await createFrom(manager, {...options, name: name('user')});
		expect(user.container.source).toBe('template');
		// Scoped to this test's template: other tests (and benchmarks) may be using theirs right now.
		const ours = {only: (template: {reference: string}) => template.reference === prunable.reference};
		const removed = await pruneTemplates(manager.engine, ours);
		expect(removed).not.toContain(prunable.reference);
		await manager.destroy(user.container.name);
		expect(await pruneTemplates(manager.engine, ours)).toEqual([prunable.reference]);
		expect((await listTemplates(manager.engine)).map(template => template.reference)).not.toContain(prunable.reference);
	});
});
