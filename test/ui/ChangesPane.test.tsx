import {afterEach, describe, expect, it} from 'vitest';
import {cycleChangeOperation, cycleChangeTable} from '../../source/store/change-buffer.js';
import {startChangeFollower, type ChangeFollower} from '../../source/store/feeders/change-follower.js';
import {selectContainer} from '../../source/store/view-actions.js';
import {ChangesPane} from '../../source/ui/components/ChangesPane.js';
import {changeEvent, fakeChangeOpener} from '../helpers/changes.js';
import {fakeContainer, renderWith, storeWith} from '../helpers/dashboard.js';
import {frameText, lines, waitForFrame} from '../helpers/ink.js';

// The pane fed the way the dashboard feeds it: the change follower over a fake stream.

const cdc = {user: 'cdc', password: 'secret', publication: 'dbarena_cdc'};
/** Local times, so the clock column reads the same in every time zone. */
const at = (seconds: number, ms = 0) => new Date(2026, 0, 1, 10, 5, seconds, ms);

let follower: ChangeFollower | undefined;
afterEach(() => {
	follower?.stop();
	follower = undefined;
});

async function paneWithStream(options: {width?: number; height?: number} = {}) {
	const {width = 90, height = 14} = options;
	const store = storeWith([fakeContainer({name: 'pg', cdc}), fakeContainer({name: 'plain', createdAt: new Date('2026-01-02')})], {bottomPane: 'changes'});
	const opener = fakeChangeOpener();
	follower = startChangeFollower(store, {open: opener.open, flushMs: 10});
	const rendered = await renderWith(<ChangesPane width={width} height={height} lines={height - 3} />, store);
	await waitForFrame(rendered.instance, frame => frame.includes('waiting for changes'));
	return {...rendered, opener, stream: opener.last()};
}

const ordersInsert = (id: number, seconds: number) =>
	changeEvent({
		operation: 'insert',
		table: 'public.orders',
		key: {id},
		values: {id, item: 'tea', price: 2.5},
		commitTime: at(seconds),
		receivedAt: at(seconds, 8),
		position: `0/16B37${40 + id}`,
	});

describe('ChangesPane', () => {
	it('shows each change on one line in commit order, the counts per table and operation, and the lag', async () => {
		const {instance, stream} = await paneWithStream();
		stream.emit(
			ordersInsert(1, 1),
			ordersInsert(2, 2),
			changeEvent({
				operation: 'update',
				table: 'public.orders',
				key: {id: 1},
				values: {id: 1, item: 'tea', price: 3},
				oldValues: {id: 1, item: 'tea', price: 2.5},
				commitTime: at(3),
				receivedAt: at(3, 20),
				position: '0/16B3800',
			}),
			changeEvent({
				operation: 'delete',
				table: 'public.items',
				key: {sku: 'A-1'},
				values: undefined,
				commitTime: at(4),
				receivedAt: at(4, 12),
				position: '0/16B3900',
			}),
		);
		const frame = await waitForFrame(instance, text => text.includes('0/16B3900'));
		const border = '─'.repeat(88);
		expect(lines(frame)[0]).toBe(`╭${border}╮`);
		expect(lines(frame).at(-1)).toBe(`╰${border}╯`);
		expect(lines(frame).slice(1, -1)).toEqual([
			'│ Changes · pg · following                                                               │',
			'│ lag 12 ms (median 10 ms) · 4 changes · o op: all · t table: all                        │',
			'│ public.items   insert 0  update 0  delete 1                                            │',
			'│ public.orders  insert 2  update 1  delete 0                                            │',
			"│ 10:05:01.000 insert public.orders id=1 item='tea' price=2.5                  0/16B3741 │",
			"│ 10:05:02.000 insert public.orders id=2 item='tea' price=2.5                  0/16B3742 │",
			'│ 10:05:03.000 update public.orders id=1 price=2.5→3                           0/16B3800 │',
			"│ 10:05:04.000 delete public.items sku='A-1'                                   0/16B3900 │",
			'│                                                                                        │',
			'│                                                                                        │',
			'│                                                                                        │',
			'│                                                                                        │',
		]);
	});

	it('keeps the newest changes in view and the position on screen when a line is too long', async () => {
		const {instance, stream} = await paneWithStream({width: 60, height: 8});
		for (let id = 1; id <= 6; id++) stream.emit(changeEvent({key: {id}, values: {id, note: 'x'.repeat(80)}, position: `0/${id}`}));
		const frame = await waitForFrame(instance, text => text.includes('0/6'));
		const shown = lines(frame).slice(4, 7);
		expect(shown.map(line => line.slice(-5))).toEqual(['0/4 │', '0/5 │', '0/6 │']);
		expect(shown[0]).toContain('…');
		expect(shown.every(line => line.length === 60)).toBe(true);
	});

	it('filters by operation and by table, and says which filter is on', async () => {
		const {instance, store, stream} = await paneWithStream();
		stream.emit(
			ordersInsert(1, 1),
			changeEvent({operation: 'update', table: 'public.orders', key: {id: 1}, values: {id: 1, price: 3}, position: 'upd-orders'}),
			changeEvent({operation: 'insert', table: 'public.items', key: {sku: 'B'}, values: {sku: 'B'}, position: 'ins-items'}),
		);
		await waitForFrame(instance, text => text.includes('ins-items'));
		cycleChangeOperation(store);
		let frame = await waitForFrame(instance, text => text.includes('o op: insert'));
		expect(frame).toContain('0/16B3741');
		expect(frame).toContain('ins-items');
		expect(frame).not.toContain('upd-orders');
		// Counts are over everything received, whatever is shown.
		expect(frame).toContain('public.orders  insert 1  update 1  delete 0');
		cycleChangeTable(store);
		frame = await waitForFrame(instance, text => text.includes('t table: public.items'));
		expect(frame).toContain('ins-items');
		expect(frame).not.toContain('0/16B3741');
		expect(frame).toContain('1 of 3 changes');
	});

	it('shows an error from the stream as a line, under what it received', async () => {
		const {instance, stream} = await paneWithStream();
		stream.emit(ordersInsert(1, 1));
		stream.end(new Error('terminating connection due to administrator command'));
		const frame = await waitForFrame(instance, text => text.includes('change stream lost'));
		expect(frame).toContain('0/16B3741');
		expect(frame).toMatch(/— change stream lost: terminating connection due to administrator command/);
		expect(frame).toContain('Changes · pg · ended');
	});

	it('says plainly that a database without --cdc has no change stream', async () => {
		const {instance, store, opener} = await paneWithStream();
		selectContainer(store, 'id-plain');
		const frame = await waitForFrame(instance, text => text.includes('not a --cdc database'));
		expect(frame).toContain('plain: not a --cdc database: create it with --cdc');
		expect(opener.open).toHaveBeenCalledTimes(1);
	});

	it('shows why the stream could not open', async () => {
		const store = storeWith([fakeContainer({name: 'pg', cdc})], {bottomPane: 'changes'});
		follower = startChangeFollower(store, {
			open: async () => {
				throw new Error('change stream not available');
			},
		});
		const {instance} = await renderWith(<ChangesPane width={90} height={8} lines={5} />, store);
		await waitForFrame(instance, text => text.includes('— could not open the change stream: change stream not available'));
	});

	it('asks for a selection when there is none', async () => {
		const {instance} = await renderWith(<ChangesPane width={60} height={6} lines={3} />, storeWith([], {bottomPane: 'changes'}));
		expect(frameText(instance)).toContain('Select a --cdc database to see its changes.');
	});
});
