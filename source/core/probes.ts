import type {ConnectionInfo} from './types.js';
import type {ProbeKind} from './presets/preset.js';
import {withSession, type Query} from './sessions.js';

/**
 * Probes that log in from the host through the published port with the printed credentials and
 * run SELECT 1 on the printed database: exactly what "ready" promises the user. The drivers are
 * imported lazily so commands that never probe do not pay for loading them.
 */
export type HostProbe = (connection: ConnectionInfo) => Promise<void>;

const selectOne = async (query: Query) => {
	await query('SELECT 1');
};

const postgresProbe: HostProbe = async connection => withSession('postgres', connection, selectOne);
const mysqlProbe: HostProbe = async connection => withSession('mysql', connection, selectOne);

export function hostProbe(kind: ProbeKind): HostProbe | undefined {
	if (kind === 'postgres') return postgresProbe;
	if (kind === 'mysql') return mysqlProbe;
	// SQL Server is probed with sqlcmd inside the container (lifecycle), as no TDS driver ships with us.
	return undefined;
}

/**
 * The sqlcmd invocations to try in order: mssql-tools18 (needs -C for the self-signed cert), then
 * mssql-tools. The password travels in the exec's environment (SQLCMDPASSWORD, read by both),
 * never as -P: a process in a container is a process on the host, and its argv is in every `ps`.
 */
export function sqlcmdCommands(password: string, query: string): {commands: string[][]; env: string[]} {
	const args = ['-S', 'localhost', '-U', 'sa', '-b', '-Q', query];
	return {
		commands: [
			['/opt/mssql-tools18/bin/sqlcmd', '-C', ...args],
			['/opt/mssql-tools/bin/sqlcmd', ...args],
		],
		env: [`SQLCMDPASSWORD=${password}`],
	};
}

/**
 * Whether an exec of sqlcmd failed because that sqlcmd is not in the image (then the older path
 * is tried), rather than because sqlcmd ran and failed: its ODBC errors ("Server is not found or
 * not accessible") are the server not being ready yet, not a missing binary.
 */
export function sqlcmdMissing(result: {exitCode: number; stdout: string; stderr: string}): boolean {
	if (result.exitCode === 126 || result.exitCode === 127) return true;
	return /OCI runtime exec failed|exec: "[^"]*": (?:stat [^:]*: )?no such file or directory|executable file not found/i.test(result.stderr + result.stdout);
}

/**
 * Ask the server to write its dirty pages before a snapshot pauses it, so recovery on the copy
 * has little to replay. Best effort: the pause alone already gives a crash-consistent copy.
 */
export async function quiesce(kind: ProbeKind, connection: ConnectionInfo): Promise<void> {
	if (kind === 'sqlserver') return;
	await withSession(kind, connection, async query => query(kind === 'postgres' ? 'CHECKPOINT' : 'FLUSH TABLES'));
}
