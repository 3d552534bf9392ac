import {createFrom} from '../helpers/create-from.js';
import {afterEach, describe, expect, it} from 'vitest';
import {ContainerManager} from '../../source/core/lifecycle.js';
import {NotFoundError} from '../../source/core/errors.js';
import {canLogin} from '../helpers/docker.js';
import {startFlakyProxy} from '../helpers/flaky-proxy.js';
import {testArena} from '../helpers/arena.js';

const {track} = testArena('flaky');
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
	await Promise.all(closers.splice(0).map(async close => close()));
});

function managerVia(address: string): ContainerManager {
	const saved = process.env['DOCKER_HOST'];
	process.env['DOCKER_HOST'] = address;
	try {
		return new ContainerManager();
	} finally {
		if (saved === undefined) delete process.env['DOCKER_HOST'];
		else process.env['DOCKER_HOST'] = saved;
	}
}

describe('transient engine faults', () => {
	it('retries dropped connections with backoff and the operation succeeds', async () => {
		const proxy = await startFlakyProxy({dropFirst: 3});
		closers.push(proxy.close);
		const manager = managerVia(proxy.address);
		const began = Date.now();
		const listed = await manager.list({all: true});
		expect(Array.isArray(listed)).toBe(true);
		expect(proxy.dropped()).toBe(3);
		// Three retries with backoff (50, 100, 200 ms for the ping) before the engine answered.
		expect(Date.now() - began).toBeGreaterThanOrEqual(300);
	});

	it('a whole create survives dropped connections along the way', async () => {
		const proxy = await startFlakyProxy({dropFirst: 2});
		closers.push(proxy.close);
		const manager = managerVia(proxy.address);
		const created = await createFrom(manager, {database: 'postgres', version: '16', name: track(`t-flaky-${Math.random().toString(16).slice(2, 6)}`)});
		expect(await canLogin('postgres', created.connection)).toBe(true);
		expect(proxy.dropped()).toBe(2);
	});

	it('a permanent error is not retried', async () => {
		const proxy = await startFlakyProxy({dropFirst: 0});
		closers.push(proxy.close);
		const manager = managerVia(proxy.address);
		await manager.ensureEngine();
		const before = proxy.requests.length;
		await expect(manager.find('t-flaky-no-such-container')).rejects.toThrow(NotFoundError);
		const inspects = proxy.requests.slice(before).filter(request => request.includes('/containers/t-flaky-no-such-container/json'));
		// One inspect (404), no retries of it.
		expect(inspects).toHaveLength(1);
	});
});
