import {describe, expect, it} from 'vitest';
import {appendLogLines, endLogs, followLogEnd, logWindow, resetLogs, scrollLogs, scrollLogsToTop, toggleLogPause} from '../../source/store/log-buffer.js';
import {storeWith} from '../helpers/dashboard.js';

const numbered = (from: number, count: number) => Array.from({length: count}, (_, index) => `line ${from + index}`);

function followed(lines: string[], limit?: number) {
	const store = storeWith([]);
	resetLogs(store, 'id-a');
	appendLogLines(store, 'id-a', lines, limit);
	return store;
}

describe('the ring buffer', () => {
	it('keeps at most `limit` lines and counts what fell off', () => {
		const store = followed(numbered(1, 8), 5);
		expect(store.getState().logs).toMatchObject({lines: numbered(4, 5), dropped: 3});
		appendLogLines(store, 'id-a', numbered(9, 2), 5);
		expect(store.getState().logs).toMatchObject({lines: numbered(6, 5), dropped: 5});
	});

	it('ignores lines of a follow that is no longer current', () => {
		const store = followed(['a']);
		appendLogLines(store, 'id-other', ['b']);
		expect(store.getState().logs.lines).toEqual(['a']);
	});

	it('reset starts empty, following, for the new container', () => {
		const store = followed(numbered(1, 3));
		toggleLogPause(store);
		endLogs(store, 'id-a', 'gone');
		resetLogs(store, 'id-b');
		expect(store.getState().logs).toEqual({containerId: 'id-b', lines: [], dropped: 0, heldAt: undefined, note: undefined});
	});

	it('records why the stream ended, for the current follow only', () => {
		const store = followed([]);
		endLogs(store, 'id-other', 'nope');
		expect(store.getState().logs.note).toBeUndefined();
		endLogs(store, 'id-a', 'end of log');
		expect(store.getState().logs.note).toBe('end of log');
	});
});

describe('the view', () => {
	it('follows the end by default', () => {
		const store = followed(numbered(1, 10));
		expect(logWindow(store.getState().logs, 3)).toEqual({lines: numbered(8, 3), following: true, newBelow: 0});
	});

	it('scrolls up, pages, stops at the top, and follows again at the end', () => {
		const store = followed(numbered(1, 10));
		scrollLogs(store, -1, 3);
		expect(logWindow(store.getState().logs, 3)).toEqual({lines: numbered(7, 3), following: false, newBelow: 1});
		scrollLogs(store, -100, 3);
		expect(logWindow(store.getState().logs, 3).lines).toEqual(numbered(1, 3));
		scrollLogs(store, 2, 3);
		expect(logWindow(store.getState().logs, 3).lines).toEqual(numbered(3, 3));
		scrollLogs(store, 100, 3);
		expect(store.getState().logs.heldAt).toBeUndefined();
	});

	it('does not scroll when everything fits', () => {
		const store = followed(numbered(1, 2));
		scrollLogs(store, -1, 3);
		expect(store.getState().logs.heldAt).toBeUndefined();
	});

	it('a held view keeps showing the same lines while new ones arrive', () => {
		const store = followed(numbered(1, 10));
		toggleLogPause(store);
		appendLogLines(store, 'id-a', numbered(11, 4));
		expect(logWindow(store.getState().logs, 3)).toEqual({lines: numbered(8, 3), following: false, newBelow: 4});
		toggleLogPause(store);
		expect(logWindow(store.getState().logs, 3)).toEqual({lines: numbered(12, 3), following: true, newBelow: 0});
	});

	it('a held view whose lines fell off the ring moves to the oldest kept', () => {
		const store = followed(numbered(1, 5), 5);
		scrollLogsToTop(store, 2);
		expect(logWindow(store.getState().logs, 2).lines).toEqual(numbered(1, 2));
		appendLogLines(store, 'id-a', numbered(6, 4), 5);
		expect(logWindow(store.getState().logs, 2).lines).toEqual(numbered(5, 2));
	});

	it('End follows again', () => {
		const store = followed(numbered(1, 10));
		scrollLogsToTop(store, 3);
		followLogEnd(store);
		expect(logWindow(store.getState().logs, 3).following).toBe(true);
	});

	it('a pane with no room shows nothing', () => {
		const store = followed(numbered(1, 10));
		expect(logWindow(store.getState().logs, 0).lines).toEqual([]);
	});
});
