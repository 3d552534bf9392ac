import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {FollowLogsOptions} from '../../source/core/streams.js';
import {setEngineState, upsertContainer} from '../../source/store/container-actions.js';
import {sanitizeLogLine, startLogFollower} from '../../source/store/feeders/log-follower.js';
import {selectContainer} from '../../source/store/view-actions.js';
import {fakeContainer, storeWith} from '../helpers/dashboard.js';

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

/** followLogs stand-in recording every follow, newest last. */
function fakeLogs() {
	const follows: Array<{id: string; options: FollowLogsOptions; stop: ReturnType<typeof vi.fn>}> = [];
	return {
		follows,
		last: () => follows.at(-1)!,
		feeds: {
			followLogs(id: string, options: FollowLogsOptions) {
				const stop = vi.fn();
				follows.push({id, options, stop});
				return {stop};
			},
		},
	};
}

const two = () => storeWith([fakeContainer({name: 'a', createdAt: new Date(1)}), fakeContainer({name: 'b', createdAt: new Date(2)})]);

describe('the log follower', () => {
	it('follows the selected container only, with some history', () => {
		const store = two();
		const logs = fakeLogs();
		startLogFollower(store, {feeds: logs.feeds, tail: 200});
		expect(logs.follows.map(follow => follow.id)).toEqual(['id-a']);
		expect(logs.last().options.tail).toBe(200);
		expect(store.getState().logs.containerId).toBe('id-a');
	});

	it('writes lines in batches', async () => {
		const store = two();
		const logs = fakeLogs();
		startLogFollower(store, {feeds: logs.feeds, flushMs: 100});
		let updates = 0;
		store.subscribe(() => {
			updates++;
		});
		for (let index = 0; index < 50; index++) logs.last().options.onLine(`line ${index}`, 'stdout');
		expect(updates).toBe(0);
		await vi.advanceTimersByTimeAsync(100);
		expect(updates).toBe(1);
		expect(store.getState().logs.lines).toHaveLength(50);
	});

	it('switches streams when the selection changes', async () => {
		const store = two();
		const logs = fakeLogs();
		startLogFollower(store, {feeds: logs.feeds});
		const first = logs.last();
		first.options.onLine('from a', 'stdout');
		selectContainer(store, 'id-b');
		expect(first.stop).toHaveBeenCalled();
		expect(logs.last().id).toBe('id-b');
		// Lines of the old stream that arrive late are not mixed in.
		first.options.onLine('late from a', 'stdout');
		logs.last().options.onLine('from b', 'stdout');
		await vi.advanceTimersByTimeAsync(100);
		expect(store.getState().logs).toMatchObject({containerId: 'id-b', lines: ['from b']});
	});

	it('notes the end of the stream and follows again when the container starts a new run', () => {
		const store = two();
		const logs = fakeLogs();
		startLogFollower(store, {feeds: logs.feeds});
		logs.last().options.onLine('last words', 'stderr');
		logs.last().options.onEnd?.();
		upsertContainer(store, fakeContainer({name: 'a', createdAt: new Date(1), state: 'exited'}));
		expect(logs.follows).toHaveLength(1);
		expect(store.getState().logs).toMatchObject({lines: ['last words'], note: 'end of log: the container is not running'});
		upsertContainer(store, fakeContainer({name: 'a', createdAt: new Date(1), startedAt: new Date('2026-05-01T00:00:00Z')}));
		expect(logs.follows).toHaveLength(2);
		expect(store.getState().logs.lines).toEqual([]);
	});

	it('follows again when the engine comes back, if the stream was cut', () => {
		const store = two();
		const logs = fakeLogs();
		startLogFollower(store, {feeds: logs.feeds});
		setEngineState(store, 'reconnecting');
		logs.last().options.onEnd?.(new Error('socket hang up'));
		expect(store.getState().logs.note).toBe('log stream lost: socket hang up');
		setEngineState(store, 'connected');
		expect(logs.follows).toHaveLength(2);
	});

	it('stops when nothing is selected, and on stop()', () => {
		const store = two();
		const logs = fakeLogs();
		const follower = startLogFollower(store, {feeds: logs.feeds});
		store.setState({containers: {}, selectedId: undefined});
		expect(logs.last().stop).toHaveBeenCalled();
		expect(store.getState().logs.containerId).toBeUndefined();
		selectContainer(store, 'id-a');
		follower.stop();
		expect(logs.follows).toHaveLength(1);
	});

	it('makes lines safe to draw: no escapes, no controls, tabs as spaces', () => {
		expect(sanitizeLogLine('\u001B[31merror\u001B[0m\there\u0007')).toBe('error    here');
		expect(sanitizeLogLine('\u001B]0;title\u0007plain')).toBe('plain');
	});
});
