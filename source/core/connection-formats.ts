import type {ConnectionInfo, DatabaseKind} from './types.js';

/** The ways `env` can print a login: variables (as a .env or JSON), or one string a driver takes. */
export const settingsFormats = ['env', 'json', 'jdbc', 'dotnet', 'url'] as const;
export type SettingsFormat = (typeof settingsFormats)[number];

/** Names and values in the order they are printed and written. */
export type Variables = Array<[name: string, value: string]>;

/**
 * DATABASE_URL, then the variables the database's own command-line client reads, so that `psql`,
 * `mysql` or `sqlcmd` with no arguments lands in the database. MySQL's client reads no user or
 * database variable (MYSQL_USER and MYSQL_DATABASE are the server image's, where MYSQL_USER=root
 * even stops it from starting), so for MySQL and MariaDB those two are only in the URL.
 */
export function connectionVariables(database: DatabaseKind, info: ConnectionInfo): Variables {
	const {host, port, user, password, database: name, url} = info;
	const own: Record<DatabaseKind, Variables> = {
		postgres: [
			['PGHOST', host],
			['PGPORT', String(port)],
			['PGUSER', user],
			['PGPASSWORD', password],
			['PGDATABASE', name],
		],
		mysql: [
			['MYSQL_HOST', host],
			['MYSQL_TCP_PORT', String(port)],
			['MYSQL_PWD', password],
		],
		mariadb: [
			['MYSQL_HOST', host],
			['MYSQL_TCP_PORT', String(port)],
			['MYSQL_PWD', password],
		],
		// sqlcmd (both the ODBC one and go-sqlcmd) reads these; the server is "host,port".
		sqlserver: [
			['SQLCMDSERVER', `${host},${port}`],
			['SQLCMDUSER', user],
			['SQLCMDPASSWORD', password],
			['SQLCMDDBNAME', name],
		],
	};
	return [['DATABASE_URL', url], ...own[database]];
}

/** `ORDERS` or `ORDERS_` -> `ORDERS_DATABASE_URL`, for several databases in one file. */
export function withPrefix(variables: Variables, prefix: string | undefined): Variables {
	if (!prefix) return variables;
	const joined = prefix.endsWith('_') ? prefix : `${prefix}_`;
	return variables.map(([name, value]) => [`${joined}${name}`, value]);
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** A JDBC URL for the driver each database's users reach for (MariaDB's Connector/J takes jdbc:mariadb:). */
export function jdbcUrl(database: DatabaseKind, {host, port, user, password, database: name}: ConnectionInfo): string {
	const query = `user=${encodeURIComponent(user)}&password=${encodeURIComponent(password)}`;
	if (database === 'postgres') return `jdbc:postgresql://${urlHost(host)}:${port}/${encodeURIComponent(name)}?${query}`;
	if (database === 'mysql') return `jdbc:mysql://${urlHost(host)}:${port}/${encodeURIComponent(name)}?${query}`;
	if (database === 'mariadb') return `jdbc:mariadb://${urlHost(host)}:${port}/${encodeURIComponent(name)}?${query}`;
	// SQL Server's driver takes properties after semicolons; a value with ; { } = or spaces goes in braces.
	const value = (text: string) => (/[;{}=\s]/.test(text) ? `{${text.replaceAll('}', '}}')}}` : text);
	const properties = `databaseName=${value(name)};user=${value(user)};password=${value(password)};encrypt=true;trustServerCertificate=true`;
	return `jdbc:sqlserver://${urlHost(host)}:${port};${properties}`;
}

/** An ADO.NET connection string value: quoted (inner quotes doubled) when it holds ; ' " = or edge spaces. */
function dotnetValue(text: string): string {
	return /[;'"=]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The connection string of the usual .NET provider: Npgsql, MySqlConnector / MySql.Data, Microsoft.Data.SqlClient. */
export function dotnetConnectionString(database: DatabaseKind, {host, port, user, password, database: name}: ConnectionInfo): string {
	const pairs: Array<[string, string]> =
		database === 'postgres'
			? [
					['Host', host],
					['Port', String(port)],
					['Database', name],
					['Username', user],
					['Password', password],
				]
			: database === 'sqlserver'
				? [
						['Server', `${host},${port}`],
						['Database', name],
						['User ID', user],
						['Password', password],
						['Encrypt', 'True'],
						['TrustServerCertificate', 'True'],
					]
				: [
						['Server', host],
						['Port', String(port)],
						['Database', name],
						['User ID', user],
						['Password', password],
					];
	return pairs.map(([key, value]) => `${key}=${dotnetValue(value)}`).join(';');
}

/** The login as one string in a format that is one string (jdbc, dotnet, url). */
export function connectionString(format: 'jdbc' | 'dotnet' | 'url', database: DatabaseKind, info: ConnectionInfo): string {
	if (format === 'jdbc') return jdbcUrl(database, info);
	if (format === 'dotnet') return dotnetConnectionString(database, info);
	return info.url;
}
