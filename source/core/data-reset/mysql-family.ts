import type {Query} from '../sessions.js';

/**
 * MySQL's and MariaDB's data back to how it was created: the container's database dropped and
 * made again with its own character set and collation. Users and their grants live in the mysql
 * schema and name the database, so they apply again to the new one; the binary log keeps going
 * (the DROP and CREATE are in it, so a connector sees the data go), and so do GTIDs.
 */
export type MysqlResetFacts = {tables: number; terminated: number};

const identifier = (name: string) => `\`${name.replaceAll('`', '``')}\``;

export async function resetMysqlData(query: Query, database: string): Promise<MysqlResetFacts> {
	const literal = `'${database.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
	const [schema] = await query(
		`SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation, ` +
			`(SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${literal}) AS tables ` +
			`FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${literal}`,
	);
	// Sessions using the database would hold metadata locks the DROP waits on; a binlog
	// connector's dump thread is not one of them and keeps streaming.
	const sessions = await query(
		`SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ${literal} AND ID <> CONNECTION_ID() AND COMMAND NOT LIKE 'Binlog Dump%'`,
	);
	for (const session of sessions) await query(`KILL ${Number(session['id'])}`).catch(() => undefined);
	await query('SET SESSION lock_wait_timeout = 5');
	await query(`DROP DATABASE IF EXISTS ${identifier(database)}`);
	const charset = schema?.['charset'] ? ` CHARACTER SET ${String(schema['charset'])}` : '';
	const collation = schema?.['collation'] ? ` COLLATE ${String(schema['collation'])}` : '';
	await query(`CREATE DATABASE ${identifier(database)}${charset}${collation}`);
	return {tables: Number(schema?.['tables'] ?? 0), terminated: sessions.length};
}
