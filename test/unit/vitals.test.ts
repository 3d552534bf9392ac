import {describe, expect, it} from 'vitest';
import {parseDf} from '../../source/core/vitals/disk.js';
import {binlogStatusSql, gtidSql, parseMysqlVitals} from '../../source/core/vitals/mysql-family.js';
import {parsePostgresVitals, postgresVitalsSql} from '../../source/core/vitals/postgres.js';
import {parseSqlserverVitals, sqlserverVitalsSql} from '../../source/core/vitals/sqlserver.js';
import {commitRate, slotConcern, type Vitals} from '../../source/core/vitals/types.js';

const at = 1_700_000_000_000;

describe('PostgreSQL vitals', () => {
	it('reads connections, counters, size and slots from the one row node-postgres returns', () => {
		// bigint and numeric columns come as text, json already parsed: node-postgres' defaults.
		const row = {
			active: '2',
			idle: '3',
			max_connections: '100',
			commits: '12345',
			blks_hit: '990',
			blks_read: '10',
			database_bytes: '7849635',
			data_directory: '/var/lib/postgresql/data',
			slots: [
				{name: 'debezium', plugin: 'pgoutput', active: true, walStatus: 'reserved', retained: '1024'},
				{name: 'forgotten', plugin: 'test_decoding', active: false, walStatus: 'extended', retained: '52428800'},
				{name: 'standby', plugin: null, active: false, walStatus: null, retained: null},
			],
		};
		const {vitals, dataDirectory} = parsePostgresVitals(row, at);
		expect(dataDirectory).toBe('/var/lib/postgresql/data');
		expect(vitals).toEqual({
			takenAt: at,
			connections: {active: 2, idle: 3, max: 100},
			commits: 12_345,
			cacheHitRatio: 0.99,
			databaseBytes: 7_849_635,
			slots: [
				{name: 'debezium', plugin: 'pgoutput', active: true, retainedWalBytes: 1024, walStatus: 'reserved'},
				{name: 'forgotten', plugin: 'test_decoding', active: false, retainedWalBytes: 52_428_800, walStatus: 'extended'},
				{name: 'standby', plugin: 'physical', active: false, retainedWalBytes: null, walStatus: null},
			],
		});
	});

	it('says nothing about the cache before the server has read a block, and has no slots when there are none', () => {
		const {vitals} = parsePostgresVitals({active: '1', idle: '0', max_connections: '100', commits: '1', blks_hit: '0', blks_read: '0', slots: []}, at);
		expect(vitals.cacheHitRatio).toBeNull();
		expect(vitals.slots).toEqual([]);
	});

	it('asks in one statement, so a sample is one transaction of its own', () => {
		expect(postgresVitalsSql).not.toContain(';');
		expect(postgresVitalsSql).toContain('restart_lsn');
	});
});

describe('MySQL and MariaDB vitals', () => {
	const status = (commit: number) => [
		{Variable_name: 'Handler_commit', Value: String(commit)},
		{Variable_name: 'Innodb_buffer_pool_read_requests', Value: '4000'},
		{Variable_name: 'Innodb_buffer_pool_reads', Value: '40'},
		{Variable_name: 'Threads_connected', Value: '5'},
		{Variable_name: 'Threads_running', Value: '2'},
	];
	const server = {version: '11.8.2-MariaDB-ubu2404', max_connections: 151, log_bin: 1, datadir: '/var/lib/mysql/', database_bytes: '49152'};

	it('MariaDB: binlog position, gtid_binlog_pos, the binlog files summed, and its own commits apart', () => {
		const {vitals, ownCommits, dataDirectory} = parseMysqlVitals(
			{
				server,
				status: status(100),
				statusAfter: status(103),
				binlogStatus: [{File: 'binlog.000002', Position: 1234, Binlog_Do_DB: '', Binlog_Ignore_DB: ''}],
				gtid: [{gtid: '0-1-42'}],
				binaryLogs: [
					{Log_name: 'binlog.000001', File_size: 1000},
					{Log_name: 'binlog.000002', File_size: 1234},
				],
			},
			at,
		);
		expect(vitals).toEqual({
			takenAt: at,
			connections: {active: 2, idle: 3, max: 151},
			commits: 100,
			cacheHitRatio: 0.99,
			databaseBytes: 49_152,
			binlog: {file: 'binlog.000002', position: 1234, gtidSet: '0-1-42', totalBytes: 2234},
		});
		expect(ownCommits).toBe(3);
		expect(dataDirectory).toBe('/var/lib/mysql/');
	});

	it('MySQL: a multi-line gtid_executed is one set; binary logging off gives null', () => {
		const mysql = {...server, version: '8.4.5'};
		const {vitals} = parseMysqlVitals(
			{
				server: mysql,
				status: status(1),
				statusAfter: status(1),
				binlogStatus: [{File: 'binlog.000003', Position: '157'}],
				gtid: [{gtid: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,\n4e11fa47-71ca-11e1-9e33-c80aa9429562:1-2'}],
				binaryLogs: [{Log_name: 'binlog.000003', File_size: '157'}],
			},
			at,
		);
		expect(vitals.binlog).toEqual({
			file: 'binlog.000003',
			position: 157,
			gtidSet: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,4e11fa47-71ca-11e1-9e33-c80aa9429562:1-2',
			totalBytes: 157,
		});
		const off = parseMysqlVitals({server: {...mysql, log_bin: 0}, status: status(1), statusAfter: status(1)}, at);
		expect(off.vitals.binlog).toBeNull();
		// MariaDB loads its buffer pool at start-up: more reads than requests, and no ratio yet.
		const loading = [
			{Variable_name: 'Innodb_buffer_pool_read_requests', Value: '19'},
			{Variable_name: 'Innodb_buffer_pool_reads', Value: '173'},
		];
		expect(parseMysqlVitals({server, status: loading, statusAfter: loading}, at).vitals.cacheHitRatio).toBeNull();
	});

	it('asks each server in its own words', () => {
		expect(binlogStatusSql('10.11.9-MariaDB')).toBe('SHOW MASTER STATUS');
		expect(binlogStatusSql('8.0.39')).toBe('SHOW MASTER STATUS');
		expect(binlogStatusSql('8.4.5')).toBe('SHOW BINARY LOG STATUS');
		expect(binlogStatusSql('9.7.0')).toBe('SHOW BINARY LOG STATUS');
		expect(gtidSql('11.4.3-MariaDB-log')).toContain('gtid_binlog_pos');
		expect(gtidSql('8.0.39')).toContain('gtid_executed');
	});
});

describe('SQL Server vitals (through sqlcmd)', () => {
	it('reads the one row of numbers after whatever sqlcmd printed first', () => {
		const output = "Changed database context to 'testdb'.\n2|7|32767|88123|3950|4000|16777216\n";
		expect(parseSqlserverVitals(output, at)).toEqual({
			takenAt: at,
			connections: {active: 2, idle: 7, max: 32_767},
			commits: 88_123,
			cacheHitRatio: 0.9875,
			databaseBytes: 16_777_216,
		});
	});

	it('has no cache ratio without a base, and refuses an answer that is not the row', () => {
		expect(parseSqlserverVitals('1|0|32767|5|NULL|NULL|8388608', at).cacheHitRatio).toBeNull();
		expect(() => parseSqlserverVitals('Msg 208, Level 16: Invalid object name', at)).toThrow(/not the expected row/);
		expect(() => parseSqlserverVitals('', at)).toThrow(/not the expected row/);
	});

	it('quotes the database name', () => {
		expect(sqlserverVitalsSql('odd]name')).toContain('USE [odd]]name];');
	});
});

describe('the data directory’s filesystem', () => {
	it('reads df -Pk (GNU and BusyBox alike)', () => {
		const output = 'Filesystem     1024-blocks      Used Available Capacity Mounted on\noverlay          102400000  92160000  10240000      90% /\n';
		expect(parseDf(output, '/var/lib/postgresql/data')).toEqual({
			path: '/var/lib/postgresql/data',
			usedBytes: 92_160_000 * 1024,
			sizeBytes: 102_400_000 * 1024,
		});
		expect(parseDf('df: /nowhere: No such file or directory\n', '/nowhere')).toBeNull();
	});
});

describe('rates and warnings', () => {
	const sample = (takenAt: number, commits: number): Vitals => ({
		takenAt,
		connections: {active: 1, idle: 0, max: 100},
		commits,
		cacheHitRatio: null,
		databaseBytes: 0,
	});

	it('commits per second need two samples, leave out the sampler’s own, and say nothing across a restart', () => {
		expect(commitRate(undefined, sample(at, 10)).perSecond).toBeNull();
		expect(commitRate(sample(at, 10), sample(at + 2000, 211), 1)).toEqual({perSecond: 100, owed: 0});
		expect(commitRate(sample(at, 500), sample(at + 2000, 3), 1).perSecond).toBeNull();
	});

	it('owes the sampler’s own commits the server has not counted yet to the next interval', () => {
		// Measured on PostgreSQL 16: a new session's two commits showed up one interval late.
		const first = commitRate(sample(at, 10), sample(at + 2000, 10), 2);
		expect(first).toEqual({perSecond: 0, owed: 2});
		expect(commitRate(sample(at + 2000, 10), sample(at + 4000, 13), first.owed + 1)).toEqual({perSecond: 0, owed: 0});
	});

	it('an inactive slot holding WAL is a concern, and critical when the disk is nearly full', () => {
		const slot = {name: 's', plugin: 'pgoutput', active: false, retainedWalBytes: 4096, walStatus: 'reserved'};
		expect(slotConcern({...slot, active: true}, undefined)).toBe('ok');
		expect(slotConcern({...slot, retainedWalBytes: 0}, undefined)).toBe('ok');
		expect(slotConcern(slot, undefined)).toBe('holding');
		expect(slotConcern(slot, {path: '/', usedBytes: 50, sizeBytes: 100})).toBe('holding');
		expect(slotConcern(slot, {path: '/', usedBytes: 95, sizeBytes: 100})).toBe('critical');
	});
});
