import {describe, expect, it} from 'vitest';
import {appendLogLines, endLogs, resetLogs, scrollLogs} from '../../source/store/log-buffer.js';
import {LogPane} from '../../source/ui/components/LogPane.js';
import {fakeContainer, renderWith, storeWith} from '../helpers/dashboard.js';
import {frameText, lines, waitForFrame} from '../helpers/ink.js';

const numbered = (from: number, count: number) => Array.from({length: count}, (_, index) => `line ${from + index}`);

function storeWithLogs(count: number) {
	const store = storeWith([fakeContainer({name: 'pg'})]);
	resetLogs(store, 'id-pg');
	appendLogLines(store, 'id-pg', numbered(1, count));
	return store;
}

describe('LogPane', () => {
	it('follows the end of the log', async () => {
		const store = storeWithLogs(10);
		const {instance} = await renderWith(<LogPane width={50} height={6} lines={3} />, store);
		expect(lines(frameText(instance))).toEqual([
			'╭────────────────────────────────────────────────╮',
			'│ Logs · pg · following                          │',
			'│ line 8                                         │',
			'│ line 9                                         │',
			'│ line 10                                        │',
			'╰────────────────────────────────────────────────╯',
		]);
		appendLogLines(store, 'id-pg', ['line 11']);
		await waitForFrame(instance, frame => frame.includes('line 11') && !frame.includes('line 8'));
	});

	it('stays put when held and says how much is new below', async () => {
		const store = storeWithLogs(10);
		const {instance} = await renderWith(<LogPane width={60} height={6} lines={3} />, store);
		scrollLogs(store, -2, 3);
		appendLogLines(store, 'id-pg', ['line 11']);
		const frame = await waitForFrame(instance, text => text.includes('paused'));
		expect(lines(frame).slice(1, 5)).toEqual([
			'│ Logs · pg · paused · 3 new below · End follows           │',
			'│ line 6                                                   │',
			'│ line 7                                                   │',
			'│ line 8                                                   │',
		]);
	});

	it('shows why the stream ended under the last line', async () => {
		const store = storeWithLogs(10);
		endLogs(store, 'id-pg', 'end of log: the container is not running');
		const {instance} = await renderWith(<LogPane width={60} height={6} lines={3} />, store);
		expect(lines(frameText(instance)).slice(2, 5)).toEqual([
			'│ line 9                                                   │',
			'│ line 10                                                  │',
			'│ — end of log: the container is not running               │',
		]);
	});

	it('cuts long lines instead of wrapping them, so the pane keeps its height', async () => {
		const store = storeWith([fakeContainer({name: 'pg'})]);
		resetLogs(store, 'id-pg');
		appendLogLines(store, 'id-pg', ['x'.repeat(200), '']);
		const {instance} = await renderWith(<LogPane width={30} height={5} lines={2} />, store);
		const frame = lines(frameText(instance));
		expect(frame).toHaveLength(5);
		expect(frame[2]).toBe(`│ ${'x'.repeat(25)}… │`);
	});

	it('asks for a selection when there is none', async () => {
		const {instance} = await renderWith(<LogPane width={60} height={5} lines={2} />, storeWith([]));
		expect(frameText(instance)).toContain('Select a container to see its logs.');
	});

	it('marks the focus in its title', async () => {
		const store = storeWithLogs(3);
		store.setState({focus: 'logs'});
		const {instance} = await renderWith(<LogPane width={90} height={5} lines={2} />, store);
		expect(lines(frameText(instance))[1]).toMatch(/^│ ▶ Logs · pg · following +│$/);
	});
});
