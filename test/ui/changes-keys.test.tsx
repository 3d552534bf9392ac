import {describe, expect, it} from 'vitest';
import {findKeyAction, keyBindings} from '../../source/ui/keymap.js';
import {fakeContainer, renderDashboard, storeWith} from '../helpers/dashboard.js';
import {frameText, lines, press, waitForFrame} from '../helpers/ink.js';

// The keys of the Changes pane, through the whole App: C swaps it with the log pane, o and t
// filter it. The pane itself is tested in ChangesPane.test.tsx.

const cdc = {user: 'cdc', password: 'secret', publication: 'dbarena_cdc'};
/** The status line's second line: the last message. */
const statusLine = (frame: string) => lines(frame).at(-2) ?? '';

function store() {
	return storeWith([fakeContainer({name: 'pg', cdc, createdAt: new Date(1)}), fakeContainer({name: 'plain', createdAt: new Date(2)})]);
}

describe('the Changes pane keys', {timeout: 30_000}, () => {
	it('C shows the Changes pane in the log pane’s place, and C again the logs', async () => {
		const {instance, store: state} = await renderDashboard(store());
		expect(frameText(instance)).toContain('│ Logs ');
		let frame = await press(instance, 'C', text => text.includes('Changes'));
		expect(frame).not.toContain('│ Logs ');
		expect(state.getState().bottomPane).toBe('changes');
		expect(statusLine(frame)).toBe('Changes: o cycles the operation · t cycles the table · C back to the logs');
		frame = await press(instance, 'C', text => text.includes('│ Logs '));
		expect(state.getState().bottomPane).toBe('logs');
	});

	it('says plainly when the selected database has no change stream', async () => {
		const {instance} = await renderDashboard(store());
		await press(instance, 'j');
		await press(instance, 'C', text => text.includes('plain: not a --cdc database: create it with --cdc'));
	});

	it('o and t change the filter the pane shows, and say so', async () => {
		const {instance, store: state} = await renderDashboard(store());
		await press(instance, 'C', text => text.includes('Changes'));
		let frame = await press(instance, 'o', text => statusLine(text) === 'Changes: only inserts (o: next operation)');
		expect(state.getState().changesFilter).toEqual({operation: 'insert'});
		frame = await press(instance, 'o', text => statusLine(text) === 'Changes: only updates (o: next operation)');
		await press(instance, 'o');
		frame = await press(instance, 'o', text => statusLine(text) === 'Changes: every operation');
		expect(state.getState().changesFilter).toEqual({operation: undefined});
		state.setState({changes: {...state.getState().changes, counts: {'public.orders': {insert: 1, update: 0, delete: 0}}}});
		frame = await press(instance, 't', text => statusLine(text) === 'Changes: only public.orders (t: next table)');
		frame = await press(instance, 't', text => statusLine(text) === 'Changes: every table');
		expect(frame).toBeDefined();
	});

	it('o and t say where they work while the logs are shown', async () => {
		const {instance, store: state} = await renderDashboard(store());
		await press(instance, 'o', text => statusLine(text) === 'o and t filter the Changes pane: press C to show it');
		await press(instance, 't', text => text.includes('press C to show it'));
		expect(state.getState().changesFilter).toEqual({});
	});

	it('l says the Changes pane has no focus of its own', async () => {
		const {instance, store: state} = await renderDashboard(store());
		await press(instance, 'C', text => text.includes('Changes'));
		await press(instance, 'l', text => statusLine(text) === 'The Changes pane follows the newest changes; C shows the logs again');
		expect(state.getState().focus).toBe('table');
	});

	it('C is in the keymap, the help and the hint line', async () => {
		const binding = keyBindings.find(candidate => candidate.keys === 'C');
		expect(binding?.hint).toBe('C changes');
		expect(findKeyAction('C', 'table')).toBeDefined();
		expect(findKeyAction('C', 'logs')).toBeDefined();
		const {instance} = await renderDashboard(store());
		await press(instance, '?', text => text.includes('Keys'));
		await waitForFrame(instance, text => /C +show changes \(--cdc\) or the logs/.test(text));
	});
});
