/**
 * SQL Server's data back to how it was created: its database dropped (other sessions rolled back
 * first) and made again, with CDC enabled on it again when the container has --cdc. Logins live in
 * master and stay. Unit-tested only: there is no SQL Server image on the machine we test on.
 */
export function sqlServerResetStatements(database: string, cdc: boolean): string[] {
	const literal = `N'${database.replaceAll("'", "''")}'`;
	const identifier = `[${database.replaceAll(']', ']]')}]`;
	return [
		`IF DB_ID(${literal}) IS NOT NULL BEGIN ALTER DATABASE ${identifier} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ${identifier}; END`,
		`CREATE DATABASE ${identifier}`,
		...(cdc ? [`USE ${identifier}; EXEC sys.sp_cdc_enable_db`] : []),
	];
}
