import type {Preset} from './preset.js';
import {enc, gib} from './preset.js';

/** SQL Server refuses to start (the container exits) with a password that breaks this rule. */
export function sqlServerPasswordProblem(password: string): string | undefined {
	const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z\d]/].filter(pattern => pattern.test(password)).length;
	if (password.length < 8 || classes < 3) {
		return 'SQL Server needs a password of at least 8 characters from 3 of: upper case, lower case, digits, symbols';
	}
	return undefined;
}

export const sqlserver: Preset = {
	kind: 'sqlserver',
	title: 'SQL Server',
	aliases: ['mssql', 'sql-server'],
	versions: ['2019', '2022', '2025'].map(year => ({
		version: year,
		image: `mcr.microsoft.com/mssql/server:${year}-latest`,
		aliases: [`${year}-latest`],
	})),
	defaultVersion: '2022',
	containerPort: 1433,
	memoryBytes: {fast: 2 * gib, persistent: 2 * gib, durable: 2 * gib},
	defaultCredentials: {user: 'sa', password: 'Dbarena_Pass123!', database: 'testdb'},
	probe: 'sqlserver',
	// SQL Server needs O_DIRECT, which tmpfs lacks: in fast mode the data stays on the container layer.
	dataMount: () => '/var/opt/mssql',
	dataDir: () => '/var/opt/mssql',
	dataEnv: ['MSSQL_DATA_DIR'],
	environment: ({password}) => ({ACCEPT_EULA: 'Y', MSSQL_SA_PASSWORD: password, MSSQL_PID: 'Developer'}),
	command: () => [],
	url: ({host, port, user, password, database}) =>
		`sqlserver://${enc(user)}:${enc(password)}@${host}:${port}?database=${enc(database)}&encrypt=true&trustServerCertificate=true`,
	passwordProblem: sqlServerPasswordProblem,
	// The image creates no login of its own and every probe logs in as sa: another user would be
	// printed in the URL but never exist.
	userProblem: user => (user === 'sa' ? undefined : `SQL Server containers log in as sa; a user "${user}" would not exist. Leave the user out`),
	// The image has no variable that creates a database; CDC is switched on per database.
	afterReady({database}, {cdc}) {
		const literal = `N'${database.replaceAll("'", "''")}'`;
		const identifier = `[${database.replaceAll(']', ']]')}]`;
		// Each statement looks before it writes, and runs through sqlcmd in its own session.
		return {
			statements: [
				`IF DB_ID(${literal}) IS NULL CREATE DATABASE ${identifier}`,
				...(cdc ? [`USE ${identifier}; IF (SELECT is_cdc_enabled FROM sys.databases WHERE name = ${literal}) = 0 EXEC sys.sp_cdc_enable_db`] : []),
			],
		};
	},
	// sqlcmd from mssql-tools18 (which needs -C for the self-signed certificate), else mssql-tools.
	client: ({user, password, database}, {interactive}) => ({
		command: [
			'sh',
			'-c',
			'if [ -x /opt/mssql-tools18/bin/sqlcmd ]; then exec /opt/mssql-tools18/bin/sqlcmd -C "$@"; else exec /opt/mssql-tools/bin/sqlcmd "$@"; fi',
			'sqlcmd',
			'-S',
			'localhost',
			'-U',
			user,
			'-d',
			database,
			// A script stops at its first error with a non-zero exit, as psql and mysql are made to.
			...(interactive ? [] : ['-b']),
		],
		env: [`SQLCMDPASSWORD=${password}`],
	}),
	// The image has no dump tool (mssql-scripter and sqlpackage are not in it): no dump.
	cdc: {
		user: 'sa',
		// CDC capture and cleanup jobs run in the SQL Server Agent.
		command: flags => flags,
		environment: () => ({MSSQL_AGENT_ENABLED: 'true'}),
	},
};
