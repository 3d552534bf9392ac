import type {BinlogEvent} from '@vlasky/zongji';
import type {Pgoutput} from 'pg-logical-replication';
import {describe, expect, it} from 'vitest';
import {BinlogDecoder, withKey} from '../../source/core/changes/binlog.js';
import {ChangeFeed} from '../../source/core/changes/feed.js';
import {matchesFilter, parseChangeFilter} from '../../source/core/changes/filter.js';
import {changeJson, changeLine} from '../../source/core/changes/format.js';
import {binlogEnd} from '../../source/core/changes/mysql.js';
import {formatLsn, PgoutputDecoder} from '../../source/core/changes/pgoutput.js';
import {standbyStatus} from '../../source/core/changes/postgres.js';
import type {ChangeEvent} from '../../source/core/changes/types.js';
import {UsageError} from '../../source/core/errors.js';
import {runMain} from '../helpers/run-main.js';

const at = new Date('2026-11-28T10:00:00.250Z');

describe('parseChangeFilter', () => {
	it('reads repeated and comma-separated tables and operations, without duplicates', () => {
		expect(parseChangeFilter({tables: ['orders, public.items', 'orders'], operations: ['Insert,delete']})).toEqual({
			tables: ['orders', 'public.items'],
			operations: ['insert', 'delete'],
		});
		expect(parseChangeFilter({})).toEqual({});
	});

	it.each([
		[{operations: ['insert,upsert']}, /Invalid operation "upsert"/],
		[{operations: [',']}, /Invalid operation/],
		[{tables: ['orders,']}, /Invalid table/],
		[{tables: ['public.']}, /Invalid table/],
	])('refuses %j as a usage error', (input, message) => {
		let thrown: unknown;
		try {
			parseChangeFilter(input);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(UsageError);
		expect((thrown as UsageError).code).toBe('invalid_value');
		expect((thrown as UsageError).message).toMatch(message);
	});
});

describe('matchesFilter', () => {
	const change = {operation: 'update', table: 'public.Orders'} as const;
	it('matches a bare name in any schema, a qualified one only in its own, and the operations asked for', () => {
		expect(matchesFilter(change, {})).toBe(true);
		expect(matchesFilter(change, {tables: ['orders']})).toBe(true);
		expect(matchesFilter(change, {tables: ['public.orders']})).toBe(true);
		expect(matchesFilter(change, {tables: ['sales.orders']})).toBe(false);
		expect(matchesFilter(change, {tables: ['order']})).toBe(false);
		expect(matchesFilter(change, {tables: ['items', 'orders']})).toBe(true);
		expect(matchesFilter(change, {operations: ['insert', 'delete']})).toBe(false);
		expect(matchesFilter(change, {operations: ['update'], tables: ['orders']})).toBe(true);
	});
});

const relation = (replicaIdentity: Pgoutput.MessageRelation['replicaIdentity'], keyColumns: string[]): Pgoutput.MessageRelation => ({
	tag: 'relation',
	relationOid: 16_388,
	schema: 'public',
	name: 'orders',
	replicaIdentity,
	columns: [],
	keyColumns,
});

describe('PgoutputDecoder', () => {
	const begin: Pgoutput.MessageBegin = {tag: 'begin', commitLsn: '00000000/019064D0', commitTime: 1_795_854_866_982_641n, xid: 735};

	it('gives each row change its transaction, commit time, LSN and primary key; under FULL the old row too', () => {
		const decoder = new PgoutputDecoder();
		const full = relation('full', ['id', 'item', 'price']);
		// Under REPLICA IDENTITY FULL pgoutput marks every column: the reader passes the real primary key.
		decoder.relation(full, ['id']);
		expect(decoder.decode('0/1', begin, at)).toBeUndefined();
		const insert = decoder.decode('00000000/019064A0', {tag: 'insert', relation: full, new: {id: 1, item: 'apple', price: '1.50'}}, at);
		expect(insert).toEqual({
			operation: 'insert',
			table: 'public.orders',
			key: {id: 1},
			values: {id: 1, item: 'apple', price: '1.50'},
			transaction: '735',
			commitTime: new Date('2026-11-28T08:34:26.982Z'),
			position: '0/19064A0',
			receivedAt: at,
		});
		const update = decoder.decode(
			'0/19064B0',
			{tag: 'update', relation: full, key: null, old: {id: 1, item: 'apple', price: '1.50'}, new: {id: 1, item: 'pear', price: '1.50'}},
			at,
		);
		expect(update).toMatchObject({operation: 'update', key: {id: 1}, values: {item: 'pear'}, oldValues: {item: 'apple'}});
		const remove = decoder.decode('0/19064C0', {tag: 'delete', relation: full, key: null, old: {id: 1, item: 'pear', price: '1.50'}}, at);
		expect(remove).toMatchObject({operation: 'delete', key: {id: 1}, oldValues: {id: 1, item: 'pear', price: '1.50'}});
		expect(remove).not.toHaveProperty('values');
		expect(decoder.decode('0/1', {tag: 'commit', flags: 0, commitLsn: null, commitEndLsn: null, commitTime: 0n}, at)).toBeUndefined();
		// After the commit a change belongs to no transaction until the next begin.
		expect(decoder.decode('0/2', {tag: 'insert', relation: full, new: {id: 2}}, at)).not.toHaveProperty('transaction');
	});

	it('under the default identity takes the key from pgoutput, and a delete carries only the key', () => {
		const decoder = new PgoutputDecoder();
		const plain = relation('default', ['id']);
		expect(decoder.decode('0/1', plain, at)).toBeUndefined();
		const remove = decoder.decode('0/2', {tag: 'delete', relation: plain, key: {id: 7}, old: null}, at);
		expect(remove).toMatchObject({operation: 'delete', key: {id: 7}});
		expect(remove).not.toHaveProperty('oldValues');
		const update = decoder.decode('0/3', {tag: 'update', relation: plain, key: null, old: null, new: {id: 7, item: 'x'}}, at);
		expect(update).toMatchObject({key: {id: 7}, values: {id: 7, item: 'x'}});
		expect(update).not.toHaveProperty('oldValues');
	});

	it('writes binary as 0x… and big integers as digits, so every value is JSON', () => {
		const decoder = new PgoutputDecoder();
		const plain = relation('default', ['id']);
		decoder.relation(plain);
		const event = decoder.decode('0/1', {tag: 'insert', relation: plain, new: {id: 1, blob: Buffer.from([1, 171]), big: 2n ** 64n}}, at);
		expect(event?.values).toEqual({id: 1, blob: '0x01ab', big: '18446744073709551616'});
	});

	it('formats LSNs as PostgreSQL does', () => {
		expect(formatLsn('00000000/019064D0')).toBe('0/19064D0');
		expect(formatLsn('0000001A/00000000')).toBe('1A/0');
	});
});

describe('standbyStatus', () => {
	it("is a 34-byte 'r' message confirming everything up to the LSN", () => {
		const message = standbyStatus('1/FF', true);
		expect(message.length).toBe(34);
		expect(String.fromCharCode(message[0]!)).toBe('r');
		for (const offset of [1, 9, 17]) expect(message.readBigUInt64BE(offset)).toBe((1n << 32n) + 0x100n);
		expect(message[33]).toBe(1);
	});
});

/** A zongji event as the reader gets it. */
function binlogEvent(name: string, fields: Record<string, unknown>): BinlogEvent {
	return {timestamp: 1_795_854_879_000, nextPosition: 0, size: 0, getEventName: () => name, getTypeName: () => name, dump() {}, ...fields} as BinlogEvent;
}

const tableMap = {7: {parentSchema: 'testdb', tableName: 'orders', columnSchemas: []}};

describe('BinlogDecoder', () => {
	it('holds a transaction until its commit, then gives its rows with the GTID, commit time and file:offset', () => {
		const decoder = new BinlogDecoder('binlog.000001');
		const gtid = '0-1-2';
		expect(decoder.take(binlogEvent('rotate', {binlogName: 'binlog.000002'}), at)).toEqual([]);
		expect(
			decoder.take(
				binlogEvent('writerows', {
					tableId: 7,
					tableMap,
					rows: [
						{id: 1, item: 'a'},
						{id: 2, item: 'b'},
					],
					gtid,
				}),
				at,
			),
		).toEqual([]);
		expect(
			decoder.take(
				binlogEvent('updaterows', {tableId: 7, tableMap, rows: [{before: {id: 1, item: 'a'}, after: {id: 1, item: 'c'}}], gtid, nextPosition: 900}),
				at,
			),
		).toEqual([]);
		const committed = decoder.take(binlogEvent('xid', {xid: 15, gtid, nextPosition: 1000}), at);
		expect(committed).toEqual([
			{
				operation: 'insert',
				table: 'testdb.orders',
				values: {id: 1, item: 'a'},
				transaction: gtid,
				commitTime: new Date(1_795_854_879_000),
				position: 'binlog.000002:1000',
				receivedAt: at,
			},
			{
				operation: 'insert',
				table: 'testdb.orders',
				values: {id: 2, item: 'b'},
				transaction: gtid,
				commitTime: new Date(1_795_854_879_000),
				position: 'binlog.000002:1000',
				receivedAt: at,
			},
			{
				operation: 'update',
				table: 'testdb.orders',
				values: {id: 1, item: 'c'},
				oldValues: {id: 1, item: 'a'},
				transaction: gtid,
				commitTime: new Date(1_795_854_879_000),
				// MySQL writes the row event's own end; MariaDB writes 0 there, and the commit's is used.
				position: 'binlog.000002:900',
				receivedAt: at,
			},
		]);
		expect(decoder.take(binlogEvent('xid', {xid: 16, nextPosition: 1100}), at)).toEqual([]);
	});

	it('takes the XID as the transaction without a GTID, and a COMMIT query (tables without transactions) as a commit', () => {
		const decoder = new BinlogDecoder('binlog.000001');
		decoder.take(binlogEvent('deleterows', {tableId: 7, tableMap, rows: [{id: 3, item: 'z'}]}), at);
		const [removed] = decoder.take(binlogEvent('xid', {xid: 99, nextPosition: 50}), at);
		expect(removed).toMatchObject({operation: 'delete', oldValues: {id: 3, item: 'z'}, transaction: '99'});
		decoder.take(binlogEvent('writerows', {tableId: 7, tableMap, rows: [{id: 4}]}), at);
		expect(decoder.take(binlogEvent('query', {query: 'BEGIN'}), at)).toEqual([]);
		expect(decoder.take(binlogEvent('query', {query: 'COMMIT', nextPosition: 70}), at)).toMatchObject([{operation: 'insert', position: 'binlog.000001:70'}]);
	});

	it('withKey picks the key from the new row, or the old one for a delete', () => {
		const insert: ChangeEvent = {operation: 'insert', table: 't', values: {a: 1, b: 2}, position: 'p', receivedAt: at};
		const remove: ChangeEvent = {operation: 'delete', table: 't', oldValues: {a: 5, b: 6}, position: 'p', receivedAt: at};
		expect(withKey(insert, ['b', 'a']).key).toEqual({b: 2, a: 1});
		expect(withKey(remove, ['a']).key).toEqual({a: 5});
		expect(withKey(insert, [])).not.toHaveProperty('key');
	});
});

describe('binlogEnd', () => {
	it('asks SHOW BINARY LOG STATUS, and SHOW MASTER STATUS where the server has only that', async () => {
		const asked: string[] = [];
		const position = await binlogEnd(async sql => {
			asked.push(sql);
			if (sql === 'SHOW BINARY LOG STATUS') throw new Error('You have an error in your SQL syntax');
			return [{File: 'binlog.000004', Position: 325}];
		});
		expect(position).toEqual({File: 'binlog.000004', Position: 325});
		expect(asked).toEqual(['SHOW BINARY LOG STATUS', 'SHOW MASTER STATUS']);
		await expect(binlogEnd(async () => [])).rejects.toThrow(/no binary log/);
	});
});

describe('ChangeFeed', () => {
	const change = (table: string, operation: ChangeEvent['operation']): ChangeEvent => ({operation, table, position: 'p', receivedAt: at});

	it('passes on what the filter lets through, tells an end once, and tears down once', async () => {
		const feed = new ChangeFeed({tables: ['orders'], operations: ['insert']});
		let teardowns = 0;
		feed.setTeardown(async () => {
			teardowns++;
		});
		const seen: string[] = [];
		const ends: Array<Error | undefined> = [];
		feed.onChange(event => seen.push(`${event.operation} ${event.table}`));
		feed.onEnd(error => ends.push(error));
		feed.emit(change('public.orders', 'insert'));
		feed.emit(change('public.orders', 'delete'));
		feed.emit(change('public.items', 'insert'));
		const lost = new Error('connection lost');
		feed.end(lost);
		feed.end(new Error('again'));
		feed.emit(change('public.orders', 'insert'));
		await feed.close();
		await feed.close();
		expect(seen).toEqual(['insert public.orders']);
		expect(ends).toEqual([lost]);
		expect(teardowns).toBe(1);
		// A listener that comes late still hears the end.
		const late = await new Promise(resolve => feed.onEnd(resolve));
		expect(late).toBe(lost);
	});

	it('says nothing to end listeners when closed on purpose', async () => {
		const feed = new ChangeFeed();
		const ends: unknown[] = [];
		feed.onEnd(error => ends.push(error));
		await feed.close();
		feed.end(new Error('late'));
		expect(ends).toEqual([]);
	});
});

describe('changeLine and changeJson', () => {
	const update: ChangeEvent = {
		operation: 'update',
		table: 'public.orders',
		key: {id: 1},
		values: {id: 1, item: 'pear', note: 'two words'},
		oldValues: {id: 1, item: 'apple', note: 'two words'},
		transaction: '735',
		commitTime: new Date(2026, 10, 28, 9, 5, 7, 42),
		position: '0/19064B0',
		receivedAt: at,
	};

	it('prints one line: time, operation, table, key, what changed (and what it was), position', () => {
		expect(changeLine(update)).toBe('09:05:07.042 update public.orders [id=1] item=pear (was item=apple) @ 0/19064B0');
		const insert: ChangeEvent = {operation: 'insert', table: 't.x', values: {a: 'two words', b: null, c: {j: 1}}, position: 'b.1:4', receivedAt: at};
		expect(changeLine(insert)).toMatch(/^\d\d:\d\d:\d\d\.\d{3} insert t\.x \[no key\] a="two words" b=null c={"j":1} @ b\.1:4$/);
		const remove: ChangeEvent = {operation: 'delete', table: 't.x', key: {a: 1}, position: 'p', receivedAt: at};
		expect(changeLine(remove)).toMatch(/ delete t\.x \[a=1\] @ p$/);
	});

	it('gives every key in JSON, absent ones as null', () => {
		expect(changeJson({operation: 'delete', table: 't.x', position: 'p', receivedAt: at})).toEqual({
			operation: 'delete',
			table: 't.x',
			key: null,
			values: null,
			oldValues: null,
			transaction: null,
			commitTime: null,
			position: 'p',
			receivedAt: '2026-11-28T10:00:00.250Z',
		});
		expect(changeJson(update)).toMatchObject({commitTime: update.commitTime!.toISOString(), oldValues: update.oldValues});
	});
});

describe('dbarena changes: bad input before the engine is asked', () => {
	it.each([
		[['changes', 'db', '--op', 'upsert'], /Invalid operation "upsert"/],
		[['changes', 'db', '--table', ''], /--table/],
		[['changes'], /name/i],
	])('%j exits 2 with one Error line', async (argv, message) => {
		const result = await runMain(argv);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(message);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});
});
