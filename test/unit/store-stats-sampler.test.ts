import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {ContainerStatsSample, FollowStatsOptions} from '../../source/core/streams.js';
import {upsertContainer, removeContainer} from '../../source/store/container-actions.js';
import {startStatsSampler} from '../../source/store/feeders/stats-sampler.js';
import {endFilter, moveSelection, selectContainer, setFilter, setTableRows} from '../../source/store/view-actions.js';
import {fakeContainer, storeWith} from '../helpers/dashboard.js';

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

const mib = 1024 * 1024;
const sample = (cpuPercent: number): ContainerStatsSample => ({
	cpuPercent,
	memoryUsedBytes: 20 * mib,
	memoryLimitBytes: 256 * mib,
	memoryPercent: 7.8,
	onlineCpus: 2,
	networkRxBytes: 0,
	networkTxBytes: 0,
	pids: 5,
	readAt: undefined,
});

/** followStats stand-in: the test pushes samples and ends streams per container id. */
function fakeStats() {
	const streams = new Map<
		string,
		{onSample: (sample: ContainerStatsSample) => void; options: FollowStatsOptions; stop: ReturnType<typeof vi.fn>; soon: ReturnType<typeof vi.fn>}
	>();
	return {
		streams,
		feeds: {
			followStats(id: string, onSample: (sample: ContainerStatsSample) => void, options: FollowStatsOptions) {
				const stop = vi.fn();
				const soon = vi.fn();
				streams.set(id, {onSample, options, stop, soon});
				return {stop, soon};
			},
		},
	};
}

describe('the stats sampler', () => {
	it('follows every running container, not stopped ones, throttled to two seconds each', () => {
		const store = storeWith([fakeContainer({name: 'a'}), fakeContainer({name: 'b'}), fakeContainer({name: 'off', state: 'exited'})]);
		const stats = fakeStats();
		startStatsSampler(store, {feeds: stats.feeds});
		expect([...stats.streams.keys()].sort()).toEqual(['id-a', 'id-b']);
		expect(stats.streams.get('id-a')?.options.minIntervalMs).toBe(2000);
		// Asked once per interval, not streamed every second (issue 19: the engine's cost).
		expect(stats.streams.get('id-a')?.options.poll).toBe(true);
	});

	it('asks the selected row every two seconds and the other rows on screen every ten (issue 19: the idle engine and dashboard)', () => {
		const store = storeWith([fakeContainer({name: 'a'}), fakeContainer({name: 'b'})]);
		const stats = fakeStats();
		startStatsSampler(store, {feeds: stats.feeds});
		const nextAsk = (id: string) => stats.streams.get(id)?.options.nextAskMs?.();
		expect(store.getState().selectedId).toBe('id-a');
		expect(nextAsk('id-a')).toBe(2000);
		expect(nextAsk('id-b')).toBe(10_000);
		selectContainer(store, 'id-b');
		expect(nextAsk('id-a')).toBe(10_000);
		expect(nextAsk('id-b')).toBe(2000);
		// The newly selected row is asked soon, not up to ten seconds later.
		expect(stats.streams.get('id-b')?.soon).toHaveBeenCalledTimes(1);
		expect(stats.streams.get('id-a')?.soon).not.toHaveBeenCalled();
	});

	it('writes the samples of all containers in one update per second', async () => {
		const store = storeWith([fakeContainer({name: 'a'}), fakeContainer({name: 'b'})]);
		const stats = fakeStats();
		startStatsSampler(store, {feeds: stats.feeds, minIntervalMs: 1000});
		let updates = 0;
		store.subscribe(() => {
			updates++;
		});
		stats.streams.get('id-a')?.onSample(sample(1));
		expect(updates).toBe(1);
		stats.streams.get('id-b')?.onSample(sample(2));
		stats.streams.get('id-a')?.onSample(sample(3));
		expect(updates).toBe(1);
		await vi.advanceTimersByTimeAsync(1000);
		expect(updates).toBe(2);
		expect(store.getState().stats).toEqual({
			'id-a': {cpuPercent: 3, memoryUsedBytes: 20 * mib, memoryLimitBytes: 256 * mib},
			'id-b': {cpuPercent: 2, memoryUsedBytes: 20 * mib, memoryLimitBytes: 256 * mib},
		});
	});

	it('writes small changes only at the periodic refresh', async () => {
		const store = storeWith([fakeContainer({name: 'a'})]);
		const stats = fakeStats();
		startStatsSampler(store, {feeds: stats.feeds, minIntervalMs: 1000, refreshMs: 10_000});
		const push = (cpu: number) => stats.streams.get('id-a')?.onSample(sample(cpu));
		push(0);
		expect(store.getState().stats['id-a']?.cpuPercent).toBe(0);
		for (let second = 1; second < 10; second++) {
			await vi.advanceTimersByTimeAsync(1000);
			push(0.6);
		}
		expect(store.getState().stats['id-a']?.cpuPercent).toBe(0);
		await vi.advanceTimersByTimeAsync(1000);
		push(0.6);
		expect(store.getState().stats['id-a']?.cpuPercent).toBe(0.6);
		await vi.advanceTimersByTimeAsync(1000);
		push(5);
		expect(store.getState().stats['id-a']?.cpuPercent).toBe(5);
	});

	it('stops the stream of a container that stops or goes away, and clears its stats', () => {
		const store = storeWith([fakeContainer({name: 'a'}), fakeContainer({name: 'b'})]);
		const stats = fakeStats();
		startStatsSampler(store, {feeds: stats.feeds});
		stats.streams.get('id-a')?.onSample(sample(1));
		const streamA = stats.streams.get('id-a');
		upsertContainer(store, fakeContainer({name: 'a', state: 'exited'}));
		expect(streamA?.stop).toHaveBeenCalled();
		expect(store.getState().stats['id-a']).toBeUndefined();
		const streamB = stats.streams.get('id-b');
		removeContainer(store, 'id-b');
		expect(streamB?.stop).toHaveBeenCalled();
	});

	it('follows again, after a pause, a running container whose stream ended by itself', async () => {
		const store = storeWith([fakeContainer({name: 'a'})]);
		const stats = fakeStats();
		startStatsSampler(store, {feeds: stats.feeds, retryMs: 2000});
		const first = stats.streams.get('id-a');
		first?.options.onEnd?.(new Error('engine went away'));
		await vi.advanceTimersByTimeAsync(1999);
		expect(stats.streams.get('id-a')).toBe(first);
		await vi.advanceTimersByTimeAsync(1);
		expect(stats.streams.get('id-a')).not.toBe(first);
	});

	it('starts following a container that starts, and stop() ends everything', () => {
		const store = storeWith([fakeContainer({name: 'a', state: 'exited'})]);
		const stats = fakeStats();
		const sampler = startStatsSampler(store, {feeds: stats.feeds});
		expect(stats.streams.size).toBe(0);
		upsertContainer(store, fakeContainer({name: 'a'}));
		expect(stats.streams.has('id-a')).toBe(true);
		sampler.stop();
		expect(stats.streams.get('id-a')?.stop).toHaveBeenCalled();
	});

	describe('only the rows on screen (issue 19: thirty idle streams cost the engine 2.35 % of a core)', () => {
		const thirty = () => Array.from({length: 30}, (_, index) => fakeContainer({name: `db${String(index + 1).padStart(2, '0')}`}));
		/** The ids with a stream that has not been stopped. */
		const followed = (stats: ReturnType<typeof fakeStats>) =>
			[...stats.streams.entries()]
				.filter(([, stream]) => stream.stop.mock.calls.length === 0)
				.map(([id]) => id)
				.sort();
		const ids = (from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => `id-db${String(from + index).padStart(2, '0')}`);

		it('follows the rows the table has room for, and follows the window as the selection scrolls it', () => {
			const store = storeWith(thirty(), {tableRows: 5});
			const stats = fakeStats();
			startStatsSampler(store, {feeds: stats.feeds});
			expect(followed(stats)).toEqual(ids(1, 5));
			// The table keeps the selection in the middle of its window once it scrolls.
			selectContainer(store, 'id-db20');
			expect(followed(stats)).toEqual(ids(18, 22));
			expect(stats.streams.get('id-db01')?.stop).toHaveBeenCalled();
			moveSelection(store, 1);
			expect(followed(stats)).toEqual(ids(19, 23));
			selectContainer(store, 'id-db30');
			expect(followed(stats)).toEqual(ids(26, 30));
		});

		it('clears the figures of a row that scrolled out, so it never shows a stale one when it comes back', () => {
			const store = storeWith(thirty(), {tableRows: 5});
			const stats = fakeStats();
			startStatsSampler(store, {feeds: stats.feeds, minIntervalMs: 0});
			stats.streams.get('id-db01')?.onSample(sample(3));
			expect(store.getState().stats['id-db01']).toBeDefined();
			selectContainer(store, 'id-db20');
			expect(store.getState().stats['id-db01']).toBeUndefined();
		});

		it('follows more rows when the terminal grows, fewer when it shrinks, and none that the filter hides', () => {
			const store = storeWith(thirty(), {tableRows: 5});
			const stats = fakeStats();
			startStatsSampler(store, {feeds: stats.feeds});
			setTableRows(store, 8);
			expect(followed(stats)).toEqual(ids(1, 8));
			setTableRows(store, 3);
			expect(followed(stats)).toEqual(ids(1, 3));
			setFilter(store, 'db3');
			endFilter(store, true);
			expect(followed(stats)).toEqual(ids(30, 30));
		});

		it('follows every shown row before the screen has said how many fit (no layout yet)', () => {
			const store = storeWith(thirty());
			const stats = fakeStats();
			startStatsSampler(store, {feeds: stats.feeds});
			expect(followed(stats)).toHaveLength(30);
		});
	});
});
