import {describe, expect, it} from 'vitest';
import {planCreate} from '../../source/core/create/plan.js';
import {sqlServerResetStatements} from '../../source/core/data-reset/sqlserver.js';
import {sqlcmdCommands, sqlcmdMissing} from '../../source/core/probes.js';

const missingExec =
	'OCI runtime exec failed: exec failed: unable to start container process: ' +
	'exec: "/opt/mssql-tools18/bin/sqlcmd": stat /opt/mssql-tools18/bin/sqlcmd: no such file or directory';

describe('SQL Server (no image here: the parts around the server)', () => {
	it('falls back to the older sqlcmd only when this one is not in the image', () => {
		expect(sqlcmdMissing({exitCode: 127, stdout: '', stderr: ''})).toBe(true);
		expect(sqlcmdMissing({exitCode: 126, stdout: '', stderr: ''})).toBe(true);
		expect(
			sqlcmdMissing({
				exitCode: 1,
				stdout: '',
				stderr: missingExec,
			}),
		).toBe(true);
		// sqlcmd ran: the server is not reachable yet. That is "not ready", not "sqlcmd missing".
		const odbc = 'Sqlcmd: Error: Microsoft ODBC Driver 18 for SQL Server : Login timeout expired.\nServer is not found or not accessible.';
		expect(sqlcmdMissing({exitCode: 1, stdout: odbc, stderr: ''})).toBe(false);
		expect(sqlcmdMissing({exitCode: 1, stdout: '', stderr: "Login failed for user 'sa'."})).toBe(false);
	});

	it('refuses a user other than sa: the URL would name a login that does not exist', () => {
		expect(() => planCreate({database: 'sqlserver', user: 'alice'}, {})).toThrow('SQL Server containers log in as sa; a user "alice" would not exist');
		expect(planCreate({database: 'sqlserver', user: 'sa'}, {}).credentials.user).toBe('sa');
	});

	it('passes the password to sqlcmd in its environment, never in its argv (a container process is in the host ps)', () => {
		const {commands, env} = sqlcmdCommands('S3cret!Pass', 'SELECT 1');
		expect(commands).toHaveLength(2);
		for (const command of commands) {
			expect(command.join(' ')).not.toContain('S3cret!Pass');
			expect(command).not.toContain('-P');
		}
		expect(env).toEqual(['SQLCMDPASSWORD=S3cret!Pass']);
	});

	it('reset --data drops and makes the database again (other sessions rolled back), with CDC enabled again under --cdc', () => {
		expect(sqlServerResetStatements("it's]db", true)).toEqual([
			"IF DB_ID(N'it''s]db') IS NOT NULL BEGIN ALTER DATABASE [it's]]db] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [it's]]db]; END",
			"CREATE DATABASE [it's]]db]",
			"USE [it's]]db]; EXEC sys.sp_cdc_enable_db",
		]);
		expect(sqlServerResetStatements('testdb', false)).toHaveLength(2);
	});
});
