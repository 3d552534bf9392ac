import {describe, expect, it} from 'vitest';
import {CdcTablePoller, type SelectRows} from '../../source/core/changes/sqlserver.js';

const lsn = (n: number) => `0x${n.toString(16).toUpperCase().padStart(20, '0')}`;

/**
 * A fake SQL Server: the newest LSN, two capture instances and their change rows, answering the
 * poller's SELECTs the way the server's functions would. What it was asked is kept.
 */
function fakeServer() {
	const state = {
		max: lsn(100),
		changes: {} as Record<string, Array<Record<string, unknown>>>,
		asked: [] as string[],
	};
	const select: SelectRows = async sql => {
		state.asked.push(sql);
		if (sql.includes('fn_cdc_get_max_lsn')) return [{lsn: state.max}];
		if (sql.includes('FROM cdc.change_tables'))
			return [
				{instance: 'dbo_orders', schema: 'dbo', table: 'orders', key: 'id'},
				{instance: 'dbo_items', schema: 'dbo', table: 'items', key: null},
			];
		const range = /fn_cdc_increment_lsn\((0x[\dA-F]+)\).*fn_cdc_get_min_lsn\('(\w+)'\)/.exec(sql);
		if (range) return [{from: lsn(Number.parseInt(range[1]!, 16) + 1), min: lsn(1)}];
		const read = /fn_cdc_get_all_changes_(\w+)\((0x[\dA-F]+), (0x[\dA-F]+)/.exec(sql);
		if (read) {
			const [, instance, from, to] = read;
			return (state.changes[instance!] ?? []).filter(row => String(row['__lsn']) >= from! && String(row['__lsn']) <= to!);
		}
		throw new Error(`unexpected SQL: ${sql}`);
	};
	return {state, select};
}

const row = (at: number, seq: number, op: number, columns: Record<string, unknown>) => ({
	__lsn: lsn(at),
	__seq: lsn(seq),
	__op: op,
	__time: '2026-11-28 09:00:00.123',
	__$start_lsn: 'AAAA',
	...columns,
});

describe('CdcTablePoller (SQL Server change tables, against a fake server)', () => {
	it('starts at the newest LSN, then gives each poll the changes after the last one in commit order across tables', async () => {
		const {state, select} = fakeServer();
		const poller = new CdcTablePoller(select);
		await poller.start();
		const now = new Date('2026-11-28T09:00:01Z');
		expect(await poller.poll(now)).toEqual([]);

		state.changes = {
			dbo_orders: [
				row(90, 1, 2, {id: 0, item: 'before the start'}),
				row(110, 1, 2, {id: 1, item: 'apple'}),
				row(130, 2, 3, {id: 1, item: 'apple'}),
				row(130, 2, 4, {id: 1, item: 'pear'}),
				row(140, 3, 1, {id: 1, item: 'pear'}),
			],
			dbo_items: [row(120, 1, 2, {sku: 'x'})],
		};
		state.max = lsn(140);
		const events = await poller.poll(now);
		expect(events.map(event => [event.operation, event.table, event.position])).toEqual([
			['insert', 'dbo.orders', lsn(110)],
			['insert', 'dbo.items', lsn(120)],
			['update', 'dbo.orders', lsn(130)],
			['delete', 'dbo.orders', lsn(140)],
		]);
		expect(events[0]).toEqual({
			operation: 'insert',
			table: 'dbo.orders',
			key: {id: 1},
			values: {id: 1, item: 'apple'},
			transaction: lsn(110),
			commitTime: new Date('2026-11-28T09:00:00.123Z'),
			position: lsn(110),
			receivedAt: now,
		});
		expect(events[1]).not.toHaveProperty('key');
		expect(events[2]).toMatchObject({key: {id: 1}, values: {item: 'pear'}, oldValues: {item: 'apple'}});
		expect(events[3]).toMatchObject({key: {id: 1}, oldValues: {id: 1, item: 'pear'}});
		expect(events[3]).not.toHaveProperty('values');

		// Nothing new: no change table is read again.
		const asked = state.asked.length;
		expect(await poller.poll(now)).toEqual([]);
		expect(state.asked.length).toBe(asked + 1);
	});

	it('refuses an LSN it cannot read rather than putting it into SQL', async () => {
		const poller = new CdcTablePoller(async () => [{lsn: "0x00'; DROP TABLE x; --"}]);
		await expect(poller.start()).rejects.toThrow(/LSN dbarena cannot read/);
	});
});
