import type {Preset} from './preset.js';
import {mysqlFamily, mysqlFamilyAfterReady, mysqlFamilyCdcCommand, mysqlFamilyCommand, mysqlUserEnvironment} from './mysql-family.js';

// The official images that exist in 2026: 8.4 and 9.7 (LTS) are current; 8.0 is end of life but
// its tags can still be pulled. None of them has a -debian variant any more.
/**
 * The official mysql image pastes the root password unescaped into SQL and into an option file:
 * a quote or a backslash breaks its first start or stores another password.
 */
export function mysqlPasswordProblem(password: string): string | undefined {
	return /['"\\]/.test(password) ? 'A MySQL password cannot contain \' " or \\: the official mysql image pastes it into SQL unescaped' : undefined;
}

/**
 * Real MySQL (9.7, measured) with its defaults and a 256 MB buffer pool idles at about 490 MiB and
 * is OOM-killed in 512 MiB while its first start loads the time zone tables. performance_schema
 * alone takes 230 MiB, 85 MiB of it in the statement digest and history tables. It stays on (tools
 * and tests read it), with those two tables smaller, MySQL's own 128 MB buffer pool and 8.0's
 * 16 MB log buffer (8.4 on: 64 MB): idle about 350 MiB, about 410 MiB under 50 writing clients
 * (420 with --cdc). Around 140 writing connections need more (README, "MySQL in 512 MB").
 * No innodb_log_file_size: MySQL 9 removed it (MariaDB still takes it).
 */
const mysqlMemoryFlags = [
	'--innodb-buffer-pool-size=128M',
	'--innodb-log-buffer-size=16M',
	'--performance-schema-digests-size=1000',
	'--performance-schema-events-statements-history-long-size=1000',
];

export const mysql: Preset = {
	...mysqlFamily,
	kind: 'mysql',
	title: 'MySQL',
	aliases: ['my'],
	versions: [
		{version: '8.0', image: 'mysql:8.0'},
		{version: '8.4', image: 'mysql:8.4', aliases: ['8.4-lts', 'lts']},
		{version: '9.7', image: 'mysql:9.7'},
	],
	defaultVersion: '8.4',
	environment: ({user, password, database}) => ({
		...mysqlUserEnvironment('MYSQL', user, password),
		MYSQL_DATABASE: database,
	}),
	command: mode => (mode === 'durable' ? [] : [...mysqlFamilyCommand(mode), ...mysqlMemoryFlags]),
	cdc: {user: 'cdc', command: flags => mysqlFamilyCdcCommand(flags, true)},
	afterReady: mysqlFamilyAfterReady,
	passwordProblem: mysqlPasswordProblem,
};
