import {createFrom} from '../helpers/create-from.js';
import {describe, expect, it} from 'vitest';
import {DockerUnavailableError, ImageNotFoundError} from '../../source/core/errors.js';
import {ContainerManager} from '../../source/core/lifecycle.js';
import type {ProgressEvent} from '../../source/core/types.js';
import {testArena} from '../helpers/arena.js';
import {canLogin, docker, inspectOrNone, registry} from '../helpers/docker.js';

const {manager, name} = testArena('engine');

function withDockerHost<T>(value: string, make: () => T): T {
	const saved = process.env['DOCKER_HOST'];
	process.env['DOCKER_HOST'] = value;
	try {
		return make();
	} finally {
		if (saved === undefined) delete process.env['DOCKER_HOST'];
		else process.env['DOCKER_HOST'] = saved;
	}
}

describe('engine access', () => {
	it.each(['unix:///tmp/dbarena-no-such-engine.sock', 'tcp://127.0.0.1:1'])(
		'an unreachable engine (%s) fails within 2 s with a message naming the address',
		async address => {
			const unreachable = withDockerHost(address, () => new ContainerManager());
			const began = Date.now();
			const error = await createFrom(unreachable, {database: 'postgres', version: '16'}).catch((error_: unknown) => error_);
			expect(Date.now() - began).toBeLessThan(2000);
			expect(error).toBeInstanceOf(DockerUnavailableError);
			expect((error as Error).message).toContain(address);
			expect((error as Error).message).toMatch(/is the daemon running/);
		},
	);

	it('cold start: pulls a missing image from the registry with progress, then starts it', async () => {
		const image = `${registry}/library/postgres:17-alpine`;
		await docker
			.getImage(image)
			.remove({force: true, v: true})
			.catch(() => undefined);
		const events: ProgressEvent[] = [];
		const created = await createFrom(manager, {database: 'postgres', version: '17', name: name('cold')}, {onProgress: event => events.push(event)});
		expect(created.pulled).toBe(true);
		const types = events.map(event => event.type);
		expect(types).toContain('pull-start');
		expect(types).toContain('pull-progress');
		expect(types.indexOf('pull-done')).toBeLessThan(types.indexOf('container-created'));
		expect(events.filter(event => event.type === 'pull-progress').some(event => event.type === 'pull-progress' && event.layer.length > 0)).toBe(true);
		expect(await canLogin('postgres', created.connection)).toBe(true);
	});

	it('warm start: a cached image is not pulled', async () => {
		const events: ProgressEvent[] = [];
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: name('warm')}, {onProgress: event => events.push(event)});
		expect(created.pulled).toBe(false);
		expect(events[0]).toEqual({type: 'image-cached', image: `${registry}/library/postgres:16-alpine`});
		expect(events.map(event => event.type)).not.toContain('pull-start');
	});

	it('an image the registry does not have is a clear error and creates nothing', async () => {
		const containerName = name('noimage');
		// SQL Server is the one database without a fixture in the test registry (it is not in Debian).
		const error = await createFrom(manager, {database: 'sqlserver', version: '2022', name: containerName}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(ImageNotFoundError);
		expect((error as Error).message).toContain(`${registry}/mssql/server:2022-latest`);
		expect(await inspectOrNone(containerName)).toBeUndefined();
	});
});
