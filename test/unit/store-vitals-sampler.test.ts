import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {ManagedContainer} from '../../source/core/types.js';
import type {Vitals, VitalsSample} from '../../source/core/vitals/read-vitals.js';
import {setVitalsView, upsertContainer} from '../../source/store/container-actions.js';
import {startVitalsSampler} from '../../source/store/feeders/vitals-sampler.js';
import {openOverlay, selectContainer, toggleDetails} from '../../source/store/view-actions.js';
import {deferred, fakeContainer, storeWith} from '../helpers/dashboard.js';

beforeEach(() => {
	vi.useFakeTimers();
	closes.length = 0;
});

afterEach(() => {
	vi.useRealTimers();
});

const vitals = (commits: number, extra: Partial<Vitals> = {}): Vitals => ({
	takenAt: Date.now(),
	connections: {active: 1, idle: 2, max: 100},
	commits,
	cacheHitRatio: 0.99,
	databaseBytes: 8_000_000,
	...extra,
});

type Read = (container: ManagedContainer, options: {disk?: boolean}) => Promise<VitalsSample>;
const closes: string[] = [];
/** The sampler's reader over a read function: each reader records its container's id when closed. */
const reading = (read: Read, extra: {intervalMs?: number} = {}) => ({
	...extra,
	open: (container: ManagedContainer) => ({
		read: async (options: {disk?: boolean} = {}) => read(container, options),
		close: async () => {
			closes.push(container.id);
		},
	}),
});

/** A read that answers with a commit counter going up by `perSample` each time, and records what it was asked. */
function fakeRead(perSample = 200) {
	let commits = 0;
	return vi.fn(async (_container: ManagedContainer, _options: {disk?: boolean}): Promise<VitalsSample> => {
		commits += perSample;
		return {vitals: vitals(commits), ownCommits: 0};
	});
}

describe('the vitals sampler', () => {
	it('samples the selected database at once, then every two seconds; commits per second from the second sample on', async () => {
		const store = storeWith([fakeContainer({name: 'pg'}), fakeContainer({name: 'other'})]);
		const read = fakeRead();
		const sampler = startVitalsSampler(store, reading(read));
		await vi.advanceTimersByTimeAsync(0);
		expect(read).toHaveBeenCalledTimes(1);
		expect(read.mock.calls[0]![0].id).toBe('id-pg');
		expect(store.getState().vitals).toMatchObject({containerId: 'id-pg', commitsPerSecond: null, error: undefined});
		expect(store.getState().vitals?.vitals?.connections).toEqual({active: 1, idle: 2, max: 100});
		await vi.advanceTimersByTimeAsync(2000);
		expect(read).toHaveBeenCalledTimes(2);
		expect(store.getState().vitals?.commitsPerSecond).toBe(100);
		// Only ever the selected one.
		expect(read.mock.calls.every(([container]) => container.id === 'id-pg')).toBe(true);
		// One session for all the samples, closed with the sampler.
		expect(closes).toEqual([]);
		sampler.stop();
		expect(closes).toEqual(['id-pg']);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).toHaveBeenCalledTimes(2);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('moves with the selection: the old database is no longer sampled, the new one starts without a rate', async () => {
		const store = storeWith([fakeContainer({name: 'pg'}), fakeContainer({name: 'maria', database: 'mariadb'})]);
		const read = fakeRead();
		startVitalsSampler(store, reading(read));
		await vi.advanceTimersByTimeAsync(2000);
		expect(store.getState().vitals?.commitsPerSecond).toBe(100);
		selectContainer(store, 'id-maria');
		expect(store.getState().vitals).toBeUndefined();
		// The old database's session ends with its selection.
		expect(closes).toEqual(['id-pg']);
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getState().vitals).toMatchObject({containerId: 'id-maria', commitsPerSecond: null});
		const before = read.mock.calls.length;
		await vi.advanceTimersByTimeAsync(6000);
		const later = read.mock.calls.slice(before).map(([container]) => container.id);
		expect(later).toEqual(['id-maria', 'id-maria', 'id-maria']);
	});

	it('samples nothing while the details are hidden or an overlay covers them, nor for a stopped or starting database', async () => {
		const store = storeWith([fakeContainer({name: 'pg'}), fakeContainer({name: 'off', state: 'exited'})]);
		const read = fakeRead();
		startVitalsSampler(store, reading(read));
		await vi.advanceTimersByTimeAsync(0);
		expect(read).toHaveBeenCalledTimes(1);
		toggleDetails(store);
		expect(store.getState().vitals).toBeUndefined();
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).toHaveBeenCalledTimes(1);
		expect(vi.getTimerCount()).toBe(0);
		toggleDetails(store);
		await vi.advanceTimersByTimeAsync(0);
		expect(read).toHaveBeenCalledTimes(2);
		openOverlay(store, {kind: 'help'});
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).toHaveBeenCalledTimes(2);
		selectContainer(store, 'id-off');
		store.setState({overlay: undefined});
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).toHaveBeenCalledTimes(2);
		store.setState(state => ({containers: {...state.containers, 'id-pg': {...state.containers['id-pg']!, health: 'starting'}}}));
		selectContainer(store, 'id-pg');
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).toHaveBeenCalledTimes(2);
	});

	it('shows a failed sample as the reason, keeps sampling, and never throws', async () => {
		const store = storeWith([fakeContainer({name: 'pg'})]);
		let fail = true;
		const read = vi.fn(async (): Promise<VitalsSample> => {
			if (fail) throw new Error('password authentication failed for user "postgres"\n    at Parser.parse');
			return {vitals: vitals(10), ownCommits: 0};
		});
		startVitalsSampler(store, reading(read));
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getState().vitals).toEqual({
			containerId: 'id-pg',
			vitals: undefined,
			commitsPerSecond: null,
			error: 'password authentication failed for user "postgres"',
		});
		fail = false;
		await vi.advanceTimersByTimeAsync(2000);
		expect(store.getState().vitals).toMatchObject({containerId: 'id-pg', error: undefined, commitsPerSecond: null});
	});

	it('asks for the disk on the first sample and then only every 30 s, keeping the last answer in between', async () => {
		const store = storeWith([fakeContainer({name: 'pg'})]);
		const disk = {path: '/var/lib/postgresql/data', usedBytes: 10, sizeBytes: 100};
		const read = vi.fn(
			async (_container: ManagedContainer, options: {disk?: boolean}): Promise<VitalsSample> => ({
				vitals: vitals(1, options.disk ? {disk} : {}),
				ownCommits: 0,
			}),
		);
		startVitalsSampler(store, reading(read));
		await vi.advanceTimersByTimeAsync(30_000);
		const asked = read.mock.calls.map(([, options]) => options.disk === true);
		expect(asked.filter(Boolean)).toHaveLength(2);
		expect(asked[0]).toBe(true);
		expect(store.getState().vitals?.vitals?.disk).toEqual(disk);
	});

	it('leaves the sampler’s own commits out of the rate', async () => {
		const store = storeWith([fakeContainer({name: 'pg'})]);
		let commits = 0;
		startVitalsSampler(
			store,
			reading(async () => {
				commits += 1;
				return {vitals: vitals(commits), ownCommits: 1};
			}),
		);
		await vi.advanceTimersByTimeAsync(4000);
		expect(store.getState().vitals?.commitsPerSecond).toBe(0);
	});

	it('ignores an answer that arrives after the selection moved', async () => {
		const store = storeWith([fakeContainer({name: 'pg'}), fakeContainer({name: 'other'})]);
		const answer = deferred<VitalsSample>();
		startVitalsSampler(
			store,
			reading(async () => answer.promise),
		);
		selectContainer(store, 'id-other');
		answer.resolve({vitals: vitals(1), ownCommits: 0});
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getState().vitals?.containerId).not.toBe('id-pg');
	});

	it('stops when the container stops', async () => {
		const container = fakeContainer({name: 'pg'});
		const store = storeWith([container]);
		const read = fakeRead();
		startVitalsSampler(store, reading(read));
		await vi.advanceTimersByTimeAsync(0);
		const {startedAt: _startedAt, ...rest} = container;
		upsertContainer(store, {...rest, state: 'exited'});
		expect(store.getState().vitals).toBeUndefined();
		expect(vi.getTimerCount()).toBe(0);
	});
});

describe('setVitalsView', () => {
	it('writes (and so redraws) only what the details panel would show differently', async () => {
		const store = storeWith([fakeContainer({name: 'pg'})]);
		let updates = 0;
		store.subscribe((state, previous) => {
			if (state.vitals !== previous.vitals) updates++;
		});
		const view = (commits: number, ratio: number, perSecond: number) => ({
			containerId: 'id-pg',
			vitals: {...vitals(commits), takenAt: commits, cacheHitRatio: ratio},
			commitsPerSecond: perSecond,
			error: undefined,
		});
		setVitalsView(store, view(10, 0.99114, 0));
		// The counter and the time move with every sample; a ratio change below 0.1 % is not drawn.
		setVitalsView(store, view(12, 0.99101, 0));
		setVitalsView(store, view(14, 0.99111, 0.01));
		expect(updates).toBe(1);
		setVitalsView(store, view(16, 0.98, 0));
		setVitalsView(store, view(18, 0.98, 2.5));
		expect(updates).toBe(3);
	});

	it('compares sizes, the disk and the WAL a slot holds as they are drawn, not to the byte', async () => {
		const store = storeWith([fakeContainer({name: 'pg'})]);
		let updates = 0;
		store.subscribe((state, previous) => {
			if (state.vitals !== previous.vitals) updates++;
		});
		const view = (extra: {databaseBytes: number; usedBytes: number; retained: number}) => ({
			containerId: 'id-pg',
			vitals: {
				...vitals(10),
				databaseBytes: extra.databaseBytes,
				disk: {path: '/var/lib/postgresql/data', usedBytes: extra.usedBytes, sizeBytes: 100 * 2 ** 30},
				slots: [{name: 'orders', plugin: 'pgoutput', active: false, retainedWalBytes: extra.retained, walStatus: 'reserved'}],
			},
			commitsPerSecond: 0,
			error: undefined,
		});
		setVitalsView(store, view({databaseBytes: 7_642_135, usedBytes: 37_305_827_328, retained: 20_000_000}));
		// An idle server's files move by a few kilobytes between samples (the WAL, the statistics):
		// nothing the panel draws changes, so nothing is redrawn.
		setVitalsView(store, view({databaseBytes: 7_642_200, usedBytes: 37_305_671_680, retained: 20_000_100}));
		expect(updates).toBe(1);
		// Whole-percent and shown-size changes are drawn.
		setVitalsView(store, view({databaseBytes: 7_642_200, usedBytes: 39 * 2 ** 30, retained: 20_000_100}));
		setVitalsView(store, view({databaseBytes: 7_642_200, usedBytes: 39 * 2 ** 30, retained: 90_000_000}));
		expect(updates).toBe(3);
		// A slot becoming critical (the disk nearly full) changes its colour, even at the same percent text.
		setVitalsView(store, view({databaseBytes: 7_642_200, usedBytes: 95 * 2 ** 30, retained: 90_000_000}));
		expect(updates).toBe(4);
	});
});
