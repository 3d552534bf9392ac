import {describe, expect, it} from 'vitest';
import type {DockerClient} from '../../source/core/docker/client.js';
import {createFromPlan} from '../../source/core/create/pipeline.js';
import {planCreate} from '../../source/core/create/plan.js';
import type {EngineHandle} from '../../source/core/engine-handle.js';
import {DbarenaError, PortInUseError} from '../../source/core/errors.js';
import type {ProgressEvent} from '../../source/core/types.js';

/**
 * How the create pipeline treats an engine that refuses to start the container (issue 14, item
 * 17): only a bind error is a race for the port; anything else is said at once, in the engine's
 * words, and the container it made is removed. A fake engine: Podman's refusal cannot be had here.
 */
function engineError(statusCode: number, message: string): Error {
	return Object.assign(new Error(`(HTTP code ${statusCode}) server error - ${message}`), {statusCode, json: {message}});
}

function fakeEngine(startError: () => Error) {
	const calls = {create: 0, start: 0, removed: [] as string[]};
	const notFound = () => Object.assign(new Error('no such container'), {statusCode: 404});
	const docker = {
		getContainer: (id: string) => ({
			inspect: async () => {
				throw notFound();
			},
			start: async () => {
				calls.start++;
				throw startError();
			},
			remove: async () => {
				calls.removed.push(id);
			},
		}),
		getImage: () => ({inspect: async () => ({Id: 'sha256:feed', Config: {Env: []}})}),
		listContainers: async () => [],
		createContainer: async () => {
			calls.create++;
			return {id: `container-${calls.create}`};
		},
	};
	const handle: EngineHandle = {
		// Only the calls above are made on this path; the cast says so rather than faking all of dockerode.
		docker: docker as unknown as DockerClient,
		settings: {},
		address: 'tcp://fake-engine:2375',
		location: {address: 'tcp://fake-engine:2375', foundBy: 'DOCKER_HOST', source: 'DOCKER_HOST', tried: []},
		// Ports as on a local engine: this test is about the engine's refusals, not where ports are.
		reach: {kind: 'local'},
		ensureEngine: async () => undefined,
		reachable: async connection => connection,
		openTunnel: async () => Promise.reject(new Error('no tunnels in this test')),
		close: async () => undefined,
	};
	return {handle, calls};
}

const plan = (port?: string) =>
	planCreate({database: 'postgres', version: '16', name: 'rlimits-db', noTemplate: true, ...(port ? {port} : {})}, {registry: '127.0.0.1:5000'});

describe('a start the engine refuses', () => {
	it('is reported at once with the engine message, not as ten port races, and the container goes', async () => {
		const {handle, calls} = fakeEngine(() =>
			engineError(500, 'crun: error setting rlimits for ready process: error setting rlimit type 7: operation not permitted: OCI permission denied'),
		);
		const events: ProgressEvent[] = [];
		const error = await createFromPlan(handle, plan(), {onProgress: event => events.push(event)}).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(DbarenaError);
		expect((error as DbarenaError).code).toBe('start_failed');
		expect((error as DbarenaError).message).toMatch(/^The engine refused to start rlimits-db: crun: error setting rlimits .*operation not permitted/);
		expect(calls.create).toBe(1);
		// A refusal is not a dropped connection: asking again cannot change the runtime's mind.
		expect(calls.start).toBe(1);
		expect(calls.removed).toEqual(['container-1']);
		expect(events.some(event => event.type === 'port-retry')).toBe(false);
	});

	it('a port taken meanwhile is still a race: another port is tried', async () => {
		let starts = 0;
		const {handle, calls} = fakeEngine(() =>
			++starts === 1
				? engineError(500, 'driver failed programming external connectivity: Bind for 127.0.0.1:5432 failed: port is already allocated')
				: engineError(500, 'stop here'),
		);
		const events: ProgressEvent[] = [];
		const error = await createFromPlan(handle, plan(), {onProgress: event => events.push(event)}).catch((error: unknown) => error);
		expect(events.filter(event => event.type === 'port-retry')).toHaveLength(1);
		expect(calls.create).toBe(2);
		expect((error as DbarenaError).message).toMatch(/stop here/);
	});

	it('an explicit --port taken meanwhile is the port error, exit 2', async () => {
		const {handle} = fakeEngine(() => engineError(500, 'listen tcp4 127.0.0.1:54329: bind: address already in use'));
		await expect(createFromPlan(handle, plan('54329'))).rejects.toBeInstanceOf(PortInUseError);
	});
});
