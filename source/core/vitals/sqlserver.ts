import {OperationError} from '../errors.js';
import type {Vitals} from './types.js';

/**
 * One row of numbers through sqlcmd (no SQL Server driver ships with dbarena): user sessions
 * running and sleeping, the connection limit, the transaction counter, the buffer cache's hit
 * counter and its base, and the database's files in bytes (pages of 8 KiB).
 */
export function sqlserverVitalsSql(database: string): string {
	return [
		'SET NOCOUNT ON;',
		`USE [${database.replaceAll(']', ']]')}];`,
		'SELECT',
		"(SELECT COUNT(*) FROM sys.dm_exec_sessions WHERE is_user_process = 1 AND status IN ('running', 'runnable')),",
		"(SELECT COUNT(*) FROM sys.dm_exec_sessions WHERE is_user_process = 1 AND status = 'sleeping'),",
		'@@MAX_CONNECTIONS,',
		"(SELECT cntr_value FROM sys.dm_os_performance_counters WHERE RTRIM(counter_name) = 'Transactions/sec' AND RTRIM(instance_name) = '_Total'),",
		"(SELECT cntr_value FROM sys.dm_os_performance_counters WHERE RTRIM(counter_name) = 'Buffer cache hit ratio'),",
		"(SELECT cntr_value FROM sys.dm_os_performance_counters WHERE RTRIM(counter_name) = 'Buffer cache hit ratio base'),",
		'(SELECT SUM(CAST(size AS bigint)) * 8192 FROM sys.database_files)',
	].join(' ');
}

/** sqlcmd's flags for that row: no headers, no padding, fields split by |. */
export const sqlserverOutputFlags = ['-h', '-1', '-W', '-s', '|'];

/** The last line of sqlcmd's output holds the row. */
export function parseSqlserverVitals(output: string, takenAt: number): Vitals {
	const line = output
		.split(/\r?\n/)
		.map(text => text.trim())
		.filter(text => text !== '')
		.at(-1);
	const fields = line?.split('|').map(field => (field === 'NULL' ? Number.NaN : Number(field))) ?? [];
	if (fields.length !== 7 || fields.some((field, index) => Number.isNaN(field) && index !== 4 && index !== 5)) {
		throw new OperationError(`SQL Server's answer was not the expected row: ${line ?? '(nothing)'}`);
	}
	const [active = 0, idle = 0, max = 0, transactions = 0, hits = Number.NaN, base = Number.NaN, bytes = 0] = fields;
	return {
		takenAt,
		connections: {active, idle, max},
		commits: transactions,
		// The counter pair is a ratio already (hits of base lookups); no base yet means no reads yet.
		cacheHitRatio: Number.isNaN(hits) || Number.isNaN(base) || base <= 0 ? null : hits / base,
		databaseBytes: bytes,
	};
}
