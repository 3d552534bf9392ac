import {randomInt} from 'node:crypto';
import type {BinlogEvent} from '@vlasky/zongji';
import {closeMysql, mysqlDriver} from '../sessions.js';
import type {ConnectionInfo} from '../types.js';
import {BinlogDecoder, binlogEvents, withKey} from './binlog.js';
import {ChangeFeed} from './feed.js';
import type {ChangeFilter, ChangeStream} from './types.js';

/**
 * Our replica server ids: random in a range of their own, so two `changes` at once (or a
 * connector, which usually takes a small id like Debezium's 184054) never share one; the server
 * ends the older of two dump sessions with the same id.
 */
export const serverIdRange = [1_900_000_000, 2_000_000_000] as const;

const stopTimeoutMs = 3000;

const primaryKeySql =
	'SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE ' +
	"WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION";

/**
 * MySQL's and MariaDB's change stream: a binlog client (zongji, on mysql2, so MySQL's
 * caching_sha2_password works) with a server id of its own, from the current end of the binary log
 * (`SHOW BINARY LOG STATUS`, or `SHOW MASTER STATUS` where that is the only one). Column names come
 * from information_schema (zongji reads them at each table map), primary keys likewise, once per
 * table. close() ends the dump session (zongji KILLs its thread), so no `Binlog Dump` is left.
 */
export async function openBinlogChanges(connection: ConnectionInfo, filter: ChangeFilter): Promise<ChangeStream> {
	const mysql = await mysqlDriver();
	const {default: ZongJi} = await import('@vlasky/zongji');
	const {host, port, user, password} = connection;
	const side = await mysql.createConnection({host, port, user, password, connectTimeout: 5000});
	const closeSide = async () => {
		await closeMysql(side);
	};
	let start: {File: string; Position: number};
	try {
		start = await binlogEnd(async sql => (await side.query(sql))[0] as Array<Record<string, unknown>>);
	} catch (error) {
		await closeSide();
		throw error;
	}

	const feed = new ChangeFeed(filter);
	const decoder = new BinlogDecoder(start.File);
	const keys = new Map<string, Promise<string[]>>();
	const keyColumns = async (table: string) => {
		let found = keys.get(table);
		if (!found) {
			const dot = table.indexOf('.');
			found = side.query(primaryKeySql, [table.slice(0, dot), table.slice(dot + 1)]).then(([rows]) => (rows as Array<{name: string}>).map(row => row.name));
			keys.set(table, found);
		}
		return found;
	};
	// Our session is zongji's control connection too (it KILLs its dump thread through it): one it
	// opens itself it drops with destroy() at stop(), and the server logs "Aborted connection" for
	// that in the log the user reads. Ours is closed with QUIT (closeSide).
	// mysql2's promise wrapper keeps its callback connection as `connection`; its types declare that
	// only for pool connections.
	const zongji = new ZongJi((side as unknown as {connection: import('mysql2').Connection}).connection);
	let queue = Promise.resolve();
	zongji.on('binlog', (event: BinlogEvent) => {
		const changes = decoder.take(event, new Date());
		if (changes.length === 0) return;
		// In order: a transaction waits for the previous one, and for its tables' keys (looked up once).
		queue = queue
			.then(async () => {
				for (const change of changes) feed.emit(withKey(change, await keyColumns(change.table)));
			})
			.catch((error: unknown) => feed.end(error as Error));
	});

	const stop = async () => {
		await new Promise<void>(resolve => {
			const timer = setTimeout(resolve, stopTimeoutMs);
			zongji.once('stopped', () => {
				clearTimeout(timer);
				resolve();
			});
			zongji.stop();
		});
		await closeSide();
	};
	try {
		await new Promise<void>((resolve, reject) => {
			zongji.once('ready', () => resolve());
			zongji.on('error', (error: Error) => {
				reject(error);
				feed.end(error);
			});
			zongji.start({serverId: randomInt(...serverIdRange), filename: start.File, position: start.Position, includeEvents: binlogEvents});
		});
	} catch (error) {
		await stop();
		throw error;
	}
	feed.setTeardown(stop);
	return feed;
}

/** Where the binary log ends now; MySQL 8.4 on has only the first statement, MariaDB and MySQL 8.0 only the second. */
export async function binlogEnd(query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<{File: string; Position: number}> {
	const rows = await query('SHOW BINARY LOG STATUS').catch(async () => query('SHOW MASTER STATUS'));
	const row = rows[0];
	if (!row || typeof row['File'] !== 'string') throw new Error('The server has no binary log (SHOW BINARY LOG STATUS is empty).');
	return {File: row['File'], Position: Number(row['Position'])};
}
