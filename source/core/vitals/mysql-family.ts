import {hitRatio} from './postgres.js';
import type {BinlogVitals, Vitals} from './types.js';

/** The server, its limits and the database's size, in one round trip. */
export const mysqlServerSql =
	'SELECT VERSION() AS version, @@GLOBAL.max_connections AS max_connections, @@GLOBAL.log_bin AS log_bin, @@GLOBAL.datadir AS datadir, ' +
	'(SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.TABLES WHERE table_schema = DATABASE()) AS database_bytes';

/**
 * The counters. Read first and last in a sample: what moves between the two is the sample's own
 * work, which the rate leaves out (Handler_commit counts every autocommit statement on a
 * transactional table, information_schema's too on MySQL 8).
 */
export const mysqlStatusSql =
	"SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_connected', 'Threads_running', 'Handler_commit', " +
	"'Innodb_buffer_pool_reads', 'Innodb_buffer_pool_read_requests')";

export const isMariadb = (version: string) => /mariadb/i.test(version);

/** SHOW MASTER STATUS is gone from MySQL 8.4; its successor came in 8.2. MariaDB keeps the old name. */
export function binlogStatusSql(version: string): string {
	if (isMariadb(version)) return 'SHOW MASTER STATUS';
	const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
	return major > 8 || (major === 8 && minor >= 2) ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS';
}

export function gtidSql(version: string): string {
	return isMariadb(version) ? 'SELECT @@GLOBAL.gtid_binlog_pos AS gtid' : 'SELECT @@GLOBAL.gtid_executed AS gtid';
}

export const binaryLogsSql = 'SHOW BINARY LOGS';

type Row = Record<string, unknown>;

const count = (value: unknown) => {
	const number = Number(value ?? 0);
	return Number.isFinite(number) ? number : 0;
};

const statusValues = (rows: Row[]) => Object.fromEntries(rows.map(row => [String(row['Variable_name']), count(row['Value'])]));

export type MysqlAnswers = {
	server: Row;
	/** mysqlStatusSql at the start of the session. */
	status: Row[];
	/** And again at its end. */
	statusAfter: Row[];
	/** Only with binary logging on. */
	binlogStatus?: Row[];
	gtid?: Row[];
	binaryLogs?: Row[];
};

/** The answers to the queries above as mysql2 returns them; ownCommits is what the sample's own statements committed. */
export function parseMysqlVitals(answers: MysqlAnswers, takenAt: number): {vitals: Vitals; ownCommits: number; dataDirectory: string | undefined} {
	const status = statusValues(answers.status);
	const after = statusValues(answers.statusAfter);
	const connected = status['Threads_connected'] ?? 0;
	const running = status['Threads_running'] ?? 0;
	const commits = status['Handler_commit'] ?? 0;
	const requests = status['Innodb_buffer_pool_read_requests'] ?? 0;
	const reads = status['Innodb_buffer_pool_reads'] ?? 0;
	const logBin = Number(answers.server['log_bin']) === 1 || answers.server['log_bin'] === 'ON';
	let binlog: BinlogVitals | null = null;
	const position = answers.binlogStatus?.[0];
	if (logBin && position) {
		binlog = {
			file: String(position['File'] ?? ''),
			position: count(position['Position']),
			gtidSet: String(answers.gtid?.[0]?.['gtid'] ?? position['Executed_Gtid_Set'] ?? '').replaceAll('\n', ''),
			totalBytes: (answers.binaryLogs ?? []).reduce((sum, row) => sum + count(row['File_size']), 0),
		};
	}
	const directory = answers.server['datadir'];
	return {
		vitals: {
			takenAt,
			// Threads_running counts this sample's own session, which is running the statement.
			connections: {active: running, idle: Math.max(0, connected - running), max: count(answers.server['max_connections'])},
			commits,
			// Requests are all reads, reads those the buffer pool could not serve. Loading the pool at
			// start-up reads without requests, so until the requests outnumber them there is no ratio.
			cacheHitRatio: requests > reads ? hitRatio(requests - reads, reads) : null,
			databaseBytes: count(answers.server['database_bytes']),
			binlog,
		},
		ownCommits: Math.max(0, (after['Handler_commit'] ?? commits) - commits),
		dataDirectory: typeof directory === 'string' && directory !== '' ? directory : undefined,
	};
}
