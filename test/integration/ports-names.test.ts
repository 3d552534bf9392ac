import {createFrom} from '../helpers/create-from.js';
import {createServer, type Server} from 'node:net';
import getPort from 'get-port';
import {afterAll, describe, expect, it} from 'vitest';
import {NameConflictError, PortInUseError} from '../../source/core/errors.js';
import {claimedPorts} from '../../source/core/inventory.js';
import {testArena} from '../helpers/arena.js';
import {canLogin, docker, pgQuery, run, type Login} from '../helpers/docker.js';

const {manager, name, track} = testArena('ports');
const servers: Server[] = [];
afterAll(() => {
	for (const server of servers) server.close();
});

async function listen(port: number): Promise<boolean> {
	const server = createServer();
	return new Promise(resolve => {
		server.once('error', () => {
			resolve(false);
		});
		server.listen({port, host: '127.0.0.1'}, () => {
			servers.push(server);
			resolve(true);
		});
	});
}

async function containerNames(): Promise<string[]> {
	return (await docker.listContainers({all: true})).map(container => container.Names[0]!.slice(1));
}

describe('ports and names', () => {
	it('binds to 127.0.0.1 and moves off the default port when another process holds it', async () => {
		// Either we take 5432 now, or something else (another test's database) already has it. Not
		// while a stopped container of another test claims it: that one could not start again there
		// (CI saw data-safety's restart refused, "its port 5432 ... is now used by another process").
		// dbarena leaves a claimed port alone anyway, so the check below holds either way.
		if (!(await claimedPorts(manager.engine)).includes(5432)) await listen(5432);
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: name('auto')});
		expect(created.connection.port).not.toBe(5432);
		expect(created.connection.port).toBeGreaterThan(5432);
		const info = await docker.getContainer(created.container.name).inspect();
		expect(info.HostConfig.PortBindings?.['5432/tcp']).toEqual([{HostIp: '127.0.0.1', HostPort: String(created.connection.port)}]);
		expect(await canLogin('postgres', created.connection)).toBe(true);
	});

	it('publishing on every address (0.0.0.0) is reachable on 127.0.0.1', async () => {
		// Podman 4.3 took HostIp 0.0.0.0 literally and forwarded nothing: every login timed out.
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: name('any'), hostIp: '0.0.0.0', password: 'Every-where-1'});
		expect(created.container.hostIp).toBe('0.0.0.0');
		expect(created.connection.host).toBe('127.0.0.1');
		expect(await pgQuery(created.connection, 'SELECT 1 AS one')).toEqual([{one: 1}]);
	});

	it('an explicit busy port is an error and leaves no container behind', async () => {
		const busy = await getPort({host: '127.0.0.1'});
		expect(await listen(busy)).toBe(true);
		const containerName = name('busy');
		await expect(createFrom(manager, {database: 'postgres', version: '16', name: containerName, port: busy})).rejects.toThrow(PortInUseError);
		await expect(createFrom(manager, {database: 'postgres', version: '16', name: containerName, port: busy})).rejects.toThrow(
			`Port ${busy} on 127.0.0.1 is already in use`,
		);
		expect(await containerNames()).not.toContain(containerName);
	});

	it('an explicit port published by another container is an error, with no debris', async () => {
		const first = await createFrom(manager, {database: 'postgres', version: '16', name: name('holder')});
		const containerName = name('clash');
		await expect(createFrom(manager, {database: 'postgres', version: '16', name: containerName, port: first.connection.port})).rejects.toThrow(PortInUseError);
		expect(await containerNames()).not.toContain(containerName);
	});

	it('a name conflict is an error and leaves the existing container alone', async () => {
		const containerName = name('taken');
		const original = await createFrom(manager, {database: 'postgres', version: '16', name: containerName});
		await pgQuery(original.connection, 'CREATE TABLE precious (n int)');
		await expect(createFrom(manager, {database: 'mariadb', version: '10.11', name: containerName})).rejects.toThrow(NameConflictError);
		const after = await docker.getContainer(containerName).inspect();
		expect(after.Id).toBe(original.container.id);
		expect(after.State.Running).toBe(true);
		expect(await pgQuery(original.connection, "SELECT to_regclass('precious') AS t")).toEqual([{t: 'precious'}]);
	});

	it('four creates started at once all succeed on distinct ports', async () => {
		const results = await Promise.all([1, 2, 3, 4].map(async index => createFrom(manager, {database: 'postgres', version: '16', name: name(`c${index}`)})));
		const ports = results.map(result => result.connection.port);
		expect(new Set(ports).size).toBe(4);
		for (const result of results) expect(await canLogin('postgres', result.connection)).toBe(true);
	});

	it('separate processes racing for the same default port all succeed', async () => {
		// Each process has its own view of free ports, so they pick the same one and the engine
		// decides: the losers must retry on another port instead of failing.
		const outputs = await Promise.all([1, 2, 3].map(async () => run('npx', ['tsx', 'test/helpers/create-one.ts', 'mariadb', '10.11'])));
		const results = outputs.map(output => JSON.parse(output.stdout) as {name: string; connection: Login; retries: number[]});
		for (const result of results) track(result.name);
		expect(new Set(results.map(result => result.connection.port)).size).toBe(3);
		for (const result of results) expect(await canLogin('mysql', result.connection)).toBe(true);
	});
});
