import type {Preset, Setup} from './preset.js';
import {enc, gib, initLoop, mib, sqlKeeping} from './preset.js';
import type {Mode} from '../types.js';

/**
 * MySQL and MariaDB share the server flags, the probe and the URL; they differ in images, in the
 * names of their environment variables and in what fits their memory limit.
 */
export function mysqlFamilyCommand(mode: Mode): string[] {
	if (mode === 'durable') return [];
	return [
		// The binary log costs time at every commit and is not needed for a throwaway database.
		'--skip-log-bin',
		'--innodb-flush-log-at-trx-commit=2',
		// Not every container filesystem (overlay on older kernels, tmpfs) has O_DIRECT or native AIO.
		'--innodb-use-native-aio=0',
		'--innodb-flush-method=fsync',
	];
}

/** Binary log on, row based and complete, with a server id; what a binlog connector reads. */
export function mysqlFamilyCdcCommand(flags: string[], gtid: boolean): string[] {
	return [
		// Fast mode skips the binary log for speed; CDC cannot do without it.
		...flags.filter(flag => flag !== '--skip-log-bin'),
		'--log-bin=binlog',
		// loose-: binlog_format is deprecated in newer MySQL and must not stop the server starting.
		'--loose-binlog-format=ROW',
		'--binlog-row-image=FULL',
		'--server-id=1',
		// MariaDB always has GTIDs; MySQL needs them switched on, and refuses statements that
		// cannot be logged with one. Not --loose-: without GTIDs the server must not start at all.
		...(gtid ? ['--gtid-mode=ON', '--enforce-gtid-consistency=ON'] : []),
		// Speed stays where it does not cost CDC anything: the OS flushes the binary log.
		...(flags.includes('--skip-log-bin') ? ['--sync-binlog=0'] : []),
	];
}

export function mysqlFamilyAfterReady({password}: {password: string}, {cdc}: {cdc: boolean}): Setup | undefined {
	if (!cdc) return undefined;
	const literal = `'${password.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
	return {
		done: "SELECT COUNT(*) > 0 AS done FROM mysql.user WHERE User = 'cdc' AND Host = '%'",
		statements: [
			// Not into the binary log a connector reads: it would see dbarena's DDL, and the password.
			'SET SESSION sql_log_bin = 0',
			`CREATE USER IF NOT EXISTS 'cdc'@'%' IDENTIFIED BY ${literal}`,
			// What Debezium's MySQL connector documents as needed.
			"GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'cdc'@'%'",
		],
	};
}

export const mysqlFamily = {
	containerPort: 3306,
	memoryBytes: {fast: 512 * mib, persistent: 512 * mib, durable: 1 * gib},
	defaultCredentials: {user: 'root', password: 'dbarena', database: 'testdb'},
	probe: 'mysql',
	dataMount: () => '/var/lib/mysql',
	dataDir: () => '/var/lib/mysql',
	// The official images take the data directory as a server flag (--datadir), not from the environment.
	dataEnv: [],
	init: {
		rerun: {
			user: 'mysql',
			// As the official entrypoints' init step: root over the socket, into the container's
			// database; both spellings of the variables, as the entrypoints accept either.
			script: `set -Eeo pipefail
exec >/dev/null
for name in ROOT_PASSWORD DATABASE USER PASSWORD; do
	m=MYSQL_$name; d=MARIADB_$name
	if [ -z "\${!d:-}" ] && [ -n "\${!m:-}" ]; then export "$d=\${!m}"; fi
	if [ -z "\${!m:-}" ] && [ -n "\${!d:-}" ]; then export "$m=\${!d}"; fi
done
client=$(command -v mariadb || command -v mysql)
# --force: past errors; sql_keeping decides which of them fail the file.
docker_process_sql() {
	MYSQL_PWD=$MARIADB_ROOT_PASSWORD "$client" --force --protocol=socket -uroot \${MARIADB_DATABASE:+"--database=$MARIADB_DATABASE"} "$@"
}
${sqlKeeping({kept: '^ERROR (1396 \\([0-9A-Z]+\\)( at line [0-9]+)?: Operation CREATE (USER|ROLE) failed|1007 )', failed: '^ERROR '})}
${initLoop({file: 'sql_keeping docker_process_sql <"$f"', stdin: 'sql_keeping docker_process_sql'})}`,
		},
	},
	template: {
		dataPath: '/var/lib/dbarena/mysql',
		environment: () => ({}),
		// The official entrypoints read datadir from the server's arguments.
		args: dataPath => [`--datadir=${dataPath}`],
		// MariaDB 11 images ship only `mariadb`, MySQL images only `mysql`; TCP skips the temporary server.
		probe: ({user, password, database}) => ({
			command: [
				'sh',
				'-c',
				'if command -v mariadb >/dev/null; then exec mariadb "$@"; else exec mysql "$@"; fi',
				'probe',
				'-h127.0.0.1',
				'--protocol=tcp',
				`-u${user}`,
				database,
				'-e',
				'SELECT 1',
			],
			env: [`MYSQL_PWD=${password}`],
		}),
	},
	url: ({host, port, user, password, database}) => `mysql://${enc(user)}:${enc(password)}@${host}:${port}/${enc(database)}`,
	// Without a terminal the client is in batch mode by itself, and a script stops at its first error (exit 1).
	client: ({user, password, database}) => ({
		command: [...chooseBinary('mariadb', 'mysql', []), ...loginFlags(user), '--default-character-set=utf8mb4', `--database=${database}`],
		env: [`MYSQL_PWD=${password}`],
	}),
	dump: ({user, password, database}, scope) => ({
		command: [
			// MySQL's mysqldump writes the server's GTIDs as SET @@GLOBAL.GTID_PURGED, which fails on a server
			// with GTIDs of its own (every --cdc one); mariadb-dump has no such statement and no such flag.
			...chooseBinary('mariadb-dump', 'mysqldump', ['--set-gtid-purged=OFF']),
			...loginFlags(user),
			// One consistent snapshot of InnoDB tables, without locking them.
			'--single-transaction',
			...(scope === 'data' ? ['--no-create-info', '--skip-triggers'] : ['--routines']),
			...(scope === 'schema' ? ['--no-data'] : []),
			'--',
			database,
		],
		env: [`MYSQL_PWD=${password}`],
	}),
} satisfies Partial<Preset>;

/**
 * Run `preferred` if the image has it, else `fallback` with its own extra flags: MariaDB 11 images
 * ship only the mariadb-named tools, MySQL images only the mysql-named ones.
 */
function chooseBinary(preferred: string, fallback: string, fallbackFlags: string[]): string[] {
	const extra = fallbackFlags.join(' ');
	return [
		'sh',
		'-c',
		`if command -v ${preferred} >/dev/null; then exec ${preferred} "$@"; else exec ${fallback}${extra ? ` ${extra}` : ''} "$@"; fi`,
		fallback,
	];
}

/** Over TCP, as clients on the host log in: the same account ('user'@'%'), not one of the socket's @localhost ones. */
function loginFlags(user: string): string[] {
	return ['--host=127.0.0.1', '--protocol=tcp', `--user=${user}`];
}

/** Root is the only user the images can create with a chosen name and full rights. */
export function mysqlUserEnvironment(prefix: 'MYSQL' | 'MARIADB', user: string, password: string): Record<string, string> {
	if (user === 'root') return {[`${prefix}_ROOT_PASSWORD`]: password};
	// A non-root user also needs a root password; give root the same one so nothing is unknown.
	return {[`${prefix}_ROOT_PASSWORD`]: password, [`${prefix}_USER`]: user, [`${prefix}_PASSWORD`]: password};
}
