import {describe, expect, it} from 'vitest';
import {formatLsn, parseControlFile, parseLsn, slotKind} from '../../source/core/pg-files.js';
import {describeSlots} from '../../source/core/wal-floor.js';

/** The first bytes of a pg_control as PostgreSQL 16 writes them (the rest is not read). */
function controlFile({version = 1300, state = 1, checkPoint = 0x2_5101_6f28n} = {}): Buffer {
	const bytes = Buffer.alloc(8192);
	bytes.writeBigUInt64LE(7_713_088_725_176_692_760n, 0);
	bytes.writeUInt32LE(version, 8);
	bytes.writeUInt32LE(202_307_071, 12);
	bytes.writeInt32LE(state, 16);
	bytes.writeBigInt64LE(1_764_307_200n, 24);
	bytes.writeBigUInt64LE(checkPoint, 32);
	return bytes;
}

/** A slot's state file: magic, checksum, version, length, then its name (64 bytes) and database OID. */
function slotState(databaseOid: number, magic = 0x01_05_1c_a1): Buffer {
	const bytes = Buffer.alloc(200);
	bytes.writeUInt32LE(magic, 0);
	bytes.write('orders_slot', 16);
	bytes.writeUInt32LE(databaseOid, 80);
	return bytes;
}

describe('WAL positions', () => {
	it('reads and writes them as PostgreSQL prints them', () => {
		expect(parseLsn('2/51016F28')).toBe(0x2_5101_6f28n);
		expect(parseLsn('0/19004a8')).toBe(0x1_90_04_a8n);
		expect(formatLsn(0x2_5101_6f28n + 8192n)).toBe('2/51018F28');
		expect(formatLsn(0n)).toBe('0/0');
		expect(() => parseLsn("0/1'; DROP TABLE x")).toThrow('Not a WAL position');
	});
});

describe('a stopped server’s files', () => {
	it('pg_control gives the last checkpoint and whether the server shut down cleanly', () => {
		expect(parseControlFile(controlFile())).toEqual({version: 1300, cleanShutdown: true, checkPoint: '2/51016F28'});
		// 6 is DB_IN_PRODUCTION: killed while running, so WAL may follow the checkpoint.
		expect(parseControlFile(controlFile({state: 6})).cleanShutdown).toBe(false);
	});

	it('refuses what is not a control file it knows', () => {
		expect(() => parseControlFile(Buffer.alloc(20))).toThrow('pg_control is 20 bytes long');
		expect(() => parseControlFile(controlFile({version: 942}))).toThrow('unknown version 942');
	});

	it("a slot's kind comes from its database: none for a physical slot", () => {
		expect(slotKind(slotState(16_384))).toBe('logical');
		expect(slotKind(slotState(0))).toBe('physical');
		expect(slotKind(slotState(16_384, 0xdead_beef))).toBeNull();
		expect(slotKind(Buffer.alloc(10))).toBeNull();
	});

	it('dropped slots are named with their plugin, else their kind', () => {
		expect(
			describeSlots([
				{name: 'orders_slot', type: 'logical', plugin: 'pgoutput', database: 'testdb'},
				{name: 'standby', type: 'physical', plugin: null, database: null},
				{name: 'unknown', type: null, plugin: null, database: null},
			]),
		).toBe('orders_slot (pgoutput), standby (physical), unknown');
	});
});
