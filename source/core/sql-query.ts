import {DbarenaError, OperationError, UsageError} from './errors.js';
import {presets} from './presets/catalog.js';
import {closeMysql, connectMysql, postgresDriver} from './sessions.js';
import type {ConnectionInfo, DatabaseKind} from './types.js';

/**
 * A value as `query` prints it. Integers that a JavaScript number holds exactly, floats, booleans
 * and JSON come typed; everything else comes as the server wrote it (numeric/decimal, 64-bit
 * integers beyond 2^53, dates and times in the server's own form, so no time zone is applied on
 * the way); binary data as 0x and hex digits.
 */
export type SqlValue = string | number | boolean | null | Record<string, unknown> | unknown[];

/**
 * The result of the last statement of the SQL text (as psql -c shows it): its columns and rows,
 * or for a statement that returns no rows its command tag (PostgreSQL) and the rows it affected.
 */
export type SqlResult = {columns: string[]; rows: SqlValue[][]; command: string | null; rowCount: number | null};

/** The server refused the SQL; its message, with the SQLSTATE (and MySQL's error number). */
export class QueryError extends DbarenaError {
	constructor(message: string) {
		super(message, 'query_failed');
	}
}

const connectTimeoutMs = 5000;

function integer(text: string): number | string {
	const value = Number(text);
	return Number.isSafeInteger(value) ? value : text;
}

function float(text: string): number | string {
	const value = Number(text);
	// NaN and Infinity have no JSON form: the server's words stay.
	return Number.isFinite(value) ? value : text;
}

/** PostgreSQL type oids read into typed values; every other type stays the server's text. */
const postgresValue: Record<number, (text: string) => SqlValue> = {
	16: text => text === 't',
	20: integer,
	21: integer,
	23: integer,
	26: integer,
	700: float,
	701: float,
	114: text => JSON.parse(text) as SqlValue,
	3802: text => JSON.parse(text) as SqlValue,
};

type PgField = {name: string; dataTypeID: number};
type PgResult = {command: string | null; rowCount: number | null; fields: PgField[]; rows: Array<Array<string | null>>};

async function postgresQuery({host, port, user, password, database}: ConnectionInfo, sql: string): Promise<SqlResult> {
	const pg = await postgresDriver();
	// Every value as the server's text (no parser at all), typed below by its column's type.
	const types = {getTypeParser: () => (text: string) => text};
	const client = new pg.Client({host, port, user, password, database, connectionTimeoutMillis: connectTimeoutMs, types});
	client.on('error', () => {});
	try {
		await client.connect();
		// Several statements answer with one result each; like psql -c, show the last.
		const answer = (await client.query({text: sql, rowMode: 'array'})) as unknown as PgResult | PgResult[];
		const last = Array.isArray(answer) ? answer.at(-1) : answer;
		if (!last) return {columns: [], rows: [], command: null, rowCount: null};
		const readers = last.fields.map(field => postgresValue[field.dataTypeID]);
		return {
			columns: last.fields.map(field => field.name),
			rows: last.rows.map(row => row.map((value, index) => (value === null ? null : (readers[index]?.(value) ?? value)))),
			command: last.command,
			rowCount: last.rowCount,
		};
	} finally {
		await client.end().catch(() => {});
	}
}

type MysqlField = {name: string};
type MysqlHeader = {affectedRows: number};

function mysqlValue(value: unknown): SqlValue {
	if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
	return value as SqlValue;
}

async function mysqlQuery(info: ConnectionInfo, sql: string): Promise<SqlResult> {
	const connection = await connectMysql(info, {
		connectTimeout: connectTimeoutMs,
		// A script of several statements, as the user wrote it; the last one's result is shown.
		multipleStatements: true,
		// 64-bit integers as numbers when exact, else as strings; DECIMAL stays a string (the default).
		supportBigNumbers: true,
		// Dates as the server wrote them: no conversion into this machine's time zone.
		dateStrings: true,
	});
	try {
		const [answer, fieldSets] = (await connection.query({sql, rowsAsArray: true})) as unknown as [unknown, unknown];
		// With several statements, both come as one entry per statement.
		const several = Array.isArray(fieldSets) && fieldSets.some(entry => entry === undefined || Array.isArray(entry));
		const result = several ? (answer as unknown[]).at(-1) : answer;
		const fields = (several ? (fieldSets as unknown[]).at(-1) : fieldSets) as MysqlField[] | undefined;
		if (!Array.isArray(result) || !fields) {
			return {columns: [], rows: [], command: null, rowCount: (result as MysqlHeader | undefined)?.affectedRows ?? null};
		}
		return {columns: fields.map(field => field.name), rows: (result as unknown[][]).map(row => row.map(mysqlValue)), command: null, rowCount: null};
	} finally {
		await closeMysql(connection);
	}
}

type ServerError = {message?: string; code?: string; severity?: string; sqlState?: string; errno?: number; sqlMessage?: string};

/** A server's refusal in its own words; a failure to reach it is another matter (exit 1 either way). */
function described(kind: 'postgres' | 'mysql', error: unknown): Error {
	const {message = String(error), code, severity, sqlState, errno, sqlMessage} = (error ?? {}) as ServerError;
	if (kind === 'postgres' && severity !== undefined) return new QueryError(`${message} (SQLSTATE ${code ?? '?'})`);
	if (kind === 'mysql' && sqlState !== undefined) return new QueryError(`${sqlMessage ?? message} (error ${errno ?? '?'}, SQLSTATE ${sqlState})`);
	return new OperationError(`Could not run the query: ${message}`, {cause: error});
}

/**
 * Run SQL through the host driver, logged in as a client on this machine would be (the printed
 * URL's credentials, through the published port). SQL Server has no driver here.
 */
export async function runSql(database: DatabaseKind, connection: ConnectionInfo, sql: string): Promise<SqlResult> {
	const kind = presets[database].probe;
	if (kind === 'sqlserver') {
		throw new UsageError('query is not available for SQL Server (dbarena has no SQL Server driver); use "dbarena shell" with sqlcmd.', 'unsupported');
	}
	try {
		return kind === 'postgres' ? await postgresQuery(connection, sql) : await mysqlQuery(connection, sql);
	} catch (error) {
		throw described(kind, error);
	}
}
