import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {Health, ManagedContainer} from '../../source/core/types.js';
import {upsertContainer} from '../../source/store/container-actions.js';
import {startReadinessWorker} from '../../source/store/feeders/readiness-worker.js';
import {fakeContainer, storeWith} from '../helpers/dashboard.js';

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

/** health() answers from a script, one answer per call, then keeps the last. */
function scripted(...answers: Health[]) {
	return {health: vi.fn(async (_container: ManagedContainer) => (answers.length > 1 ? answers.shift()! : answers[0]!))};
}

function starting(name: string, overrides: Partial<ManagedContainer> = {}) {
	const store = storeWith([]);
	upsertContainer(store, fakeContainer({name, ...overrides}));
	return store;
}

describe('the readiness worker', () => {
	it('probes a starting container every interval until it is healthy, then stops', async () => {
		const store = starting('a');
		const manager = scripted('starting', 'starting', 'healthy');
		const worker = startReadinessWorker(store, {manager, intervalMs: 250});
		await vi.advanceTimersByTimeAsync(0);
		expect(manager.health).toHaveBeenCalledTimes(1);
		expect(store.getState().containers['id-a']?.health).toBe('starting');
		await vi.advanceTimersByTimeAsync(250);
		expect(manager.health).toHaveBeenCalledTimes(2);
		await vi.advanceTimersByTimeAsync(250);
		expect(store.getState().containers['id-a']?.health).toBe('healthy');
		await vi.advanceTimersByTimeAsync(10_000);
		expect(manager.health).toHaveBeenCalledTimes(3);
		worker.stop();
	});

	it('does nothing at all when every container is healthy or stopped', async () => {
		const store = storeWith([fakeContainer({name: 'up'}), fakeContainer({name: 'down', state: 'exited'})]);
		const manager = scripted('healthy');
		startReadinessWorker(store, {manager});
		await vi.advanceTimersByTimeAsync(60_000);
		expect(manager.health).not.toHaveBeenCalled();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('starts again when the container starts a new run', async () => {
		const store = storeWith([fakeContainer({name: 'a'})]);
		const manager = scripted('healthy');
		startReadinessWorker(store, {manager});
		upsertContainer(store, fakeContainer({name: 'a', startedAt: new Date('2026-03-01T00:00:00Z')}));
		expect(store.getState().containers['id-a']?.health).toBe('starting');
		await vi.advanceTimersByTimeAsync(0);
		expect(manager.health).toHaveBeenCalledTimes(1);
		expect(store.getState().containers['id-a']?.health).toBe('healthy');
	});

	it('stops probing a container that stops', async () => {
		const store = starting('a');
		const manager = scripted('starting');
		startReadinessWorker(store, {manager, intervalMs: 250});
		await vi.advanceTimersByTimeAsync(0);
		upsertContainer(store, fakeContainer({name: 'a', state: 'exited'}));
		await vi.advanceTimersByTimeAsync(5000);
		expect(manager.health).toHaveBeenCalledTimes(1);
		expect(store.getState().containers['id-a']?.health).toBe('stopped');
	});

	it('probes an unhealthy container slowly', async () => {
		const store = starting('a');
		const manager = scripted('unhealthy');
		startReadinessWorker(store, {manager, intervalMs: 250, unhealthyIntervalMs: 5000});
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getState().containers['id-a']?.health).toBe('unhealthy');
		await vi.advanceTimersByTimeAsync(4999);
		expect(manager.health).toHaveBeenCalledTimes(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(manager.health).toHaveBeenCalledTimes(2);
	});

	it('a probe that throws counts as still starting', async () => {
		const store = starting('a');
		const manager = {health: vi.fn<(container: ManagedContainer) => Promise<Health>>().mockRejectedValueOnce(new Error('boom')).mockResolvedValue('healthy')};
		startReadinessWorker(store, {manager, intervalMs: 250});
		await vi.advanceTimersByTimeAsync(250);
		expect(store.getState().containers['id-a']?.health).toBe('healthy');
	});

	it('stop() ends every worker', async () => {
		const store = starting('a');
		const manager = scripted('starting');
		const worker = startReadinessWorker(store, {manager, intervalMs: 250});
		await vi.advanceTimersByTimeAsync(0);
		worker.stop();
		await vi.advanceTimersByTimeAsync(5000);
		expect(manager.health).toHaveBeenCalledTimes(1);
	});
});
