import {createFrom} from '../helpers/create-from.js';
import {privatePort} from '../helpers/private-port.js';
import {describe, expect, it} from 'vitest';
import {testArena} from '../helpers/arena.js';
import {canLogin, docker, inspectOrNone, mysqlQuery, pgQuery} from '../helpers/docker.js';

const {manager, name, track} = testArena('life');

describe('full lifecycle against the real engine, checked from the host', () => {
	it.each([
		['postgres', '16', 'postgres'],
		['mariadb', '10.11', 'mysql'],
		// The default MariaDB, whose 11.x image has only the mariadb names (no mysql* commands).
		['mariadb', '11.8', 'mysql'],
		// Real MySQL (the fixture's 9.7 server answers for every mysql tag).
		['mysql', '8.4', 'mysql'],
	] as const)('%s %s: create, stop, start, restart, destroy', async (database, version, client) => {
		const containerName = name(database);
		// Its own port: it is stopped and started again below (see privatePort).
		const created = await createFrom(manager, {database, version, name: containerName, port: await privatePort()});
		const login = created.connection;
		expect(login.host).toBe('127.0.0.1');
		expect(created.container).toMatchObject({name: containerName, database, version, mode: 'fast', state: 'running', hostPort: login.port});

		// Ready means a host login with the printed credentials on the printed database works now.
		if (client === 'postgres') {
			const [row] = await pgQuery<{db: string}>(login, 'SELECT current_database() AS db');
			expect(row!.db).toBe('testdb');
			expect(login.url).toBe(`postgresql://postgres:dbarena@127.0.0.1:${login.port}/testdb`);
		} else {
			const [row] = await mysqlQuery<{db: string}>(login, 'SELECT DATABASE() AS db');
			expect(row!.db).toBe('testdb');
			expect(login.url).toBe(`mysql://root:dbarena@127.0.0.1:${login.port}/testdb`);
		}
		expect(await manager.health(created.container)).toBe('healthy');

		// The first start's temporary server already shut down once.
		const cleanShutdowns = async (container: string) =>
			(await manager.logs(container)).filter(line => /database system is shut down$|(mariadbd|mysqld): Shutdown complete\b/.test(line)).length;
		const shutdownsBefore = await cleanShutdowns(containerName);
		const stopped = await manager.stop(containerName, {timeoutSeconds: 10});
		expect(stopped.state).toBe('exited');
		expect(await manager.health(stopped)).toBe('stopped');
		expect(await canLogin(client, login)).toBe(false);
		expect((await manager.list()).map(c => c.name)).not.toContain(containerName);
		expect((await manager.list({all: true})).map(c => c.name)).toContain(containerName);

		const started = await manager.start(containerName);
		expect(started.container.state).toBe('running');
		expect(await canLogin(client, started.container.connection!)).toBe(true);

		const restarted = await manager.restart(containerName);
		expect(await canLogin(client, restarted.container.connection!)).toBe(true);
		// The restart (no timeout given) shut the server down cleanly rather than killing it:
		// Podman kills at once when a stop or restart leaves out its timeout.
		expect(await cleanShutdowns(containerName)).toBe(shutdownsBefore + 2);

		const destroyed = await manager.destroy(containerName);
		expect(destroyed.volumeKept).toBeUndefined();
		expect(await inspectOrNone(containerName)).toBeUndefined();
		// Fast mode leaves no volume of any kind behind (data was on tmpfs, no anonymous volume).
		const {Volumes: volumes} = await docker.listVolumes();
		expect((volumes ?? []).filter(volume => volume.Name.includes(containerName))).toEqual([]);
	});

	it('runs PostgreSQL 15 and 16 side by side on different ports', async () => {
		const [v15, v16] = await Promise.all([
			createFrom(manager, {database: 'postgres', version: '15', name: name('pg15')}),
			createFrom(manager, {database: 'postgres', version: '16', name: name('pg16')}),
		]);
		expect(v15.connection.port).not.toBe(v16.connection.port);
		const versionOf = async (login: typeof v15.connection) => (await pgQuery<{v: string}>(login, "SELECT current_setting('server_version_num') AS v"))[0]!.v;
		expect(await versionOf(v15.connection)).toMatch(/^15/);
		expect(await versionOf(v16.connection)).toMatch(/^16/);
	});

	it('runs three instances of one version, each with its own data', async () => {
		const results = await manager.createMany([1, 2, 3].map(() => manager.plan({database: 'postgres', version: '16'})));
		const created = results.map(result => {
			if (result.status === 'rejected') throw result.reason;
			return result.value;
		});
		for (const result of created) track(result.container.name);
		expect(new Set(created.map(result => result.connection.port)).size).toBe(3);
		expect(new Set(created.map(result => result.container.name)).size).toBe(3);
		for (const [index, result] of created.entries()) {
			await pgQuery(result.connection, 'CREATE TABLE mark (n int)');
			await pgQuery(result.connection, 'INSERT INTO mark VALUES ($1)', [index]);
		}
		for (const [index, result] of created.entries()) {
			expect(await pgQuery<{n: number}>(result.connection, 'SELECT n FROM mark')).toEqual([{n: index}]);
		}
		for (const result of created) expect(result.container.name).toMatch(/^dbarena-postgres-16-[\da-f]{4}$/);
	});

	it('inspect and list rebuild the connection info from the container alone', async () => {
		const containerName = name('info');
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: containerName, password: 'p@ss word', databaseName: 'shop'});
		// A second manager, as another process would be, knows nothing but what the engine says.
		const {ContainerManager} = await import('../../source/core/lifecycle.js');
		const other = new ContainerManager();
		const seen = await other.inspect(containerName);
		expect(seen.connection).toEqual(created.connection);
		expect(seen.connection!.url).toBe(`postgresql://postgres:p%40ss%20word@127.0.0.1:${created.connection.port}/shop`);
		expect(seen.memoryLimitBytes).toBe(256 * 1024 * 1024);
		expect(await canLogin('postgres', seen.connection!)).toBe(true);
	});

	it('start on a paused container unpauses it and waits until it is ready (the engine refuses to start one)', async () => {
		const containerName = name('paused');
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: containerName});
		await docker.getContainer(containerName).pause();
		expect((await manager.find(containerName)).state).toBe('paused');
		const started = await manager.start(containerName);
		expect(started.container.state).toBe('running');
		expect(await canLogin('postgres', created.connection)).toBe(true);
	});
});
