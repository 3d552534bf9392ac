import type {SqlResult, SqlValue} from '../core/sql-query.js';
import {layoutTable, type Column} from './table.js';

/** A value as text: JSON for JSON, the server's words for the rest. */
function text(value: Exclude<SqlValue, null>): string {
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, with quotes
 * doubled. NULL is an empty field and an empty string a quoted one (""), as psql --csv writes
 * them, so a reader can tell them apart.
 */
export function csvField(value: SqlValue): string {
	if (value === null) return '';
	const written = text(value);
	return written === '' || /[",\r\n]/.test(written) ? `"${written.replaceAll('"', '""')}"` : written;
}

/** The result as CSV: a header line of column names, then a line per row ("\n" ends each). */
export function csvLines(result: SqlResult): string[] {
	if (result.columns.length === 0) return [];
	return [result.columns.map(csvField).join(','), ...result.rows.map(row => row.map(csvField).join(','))];
}

/** Column names as JSON keys: a name given twice (SELECT 1, 1) gets _2, _3 rather than losing a value. */
export function uniqueColumns(columns: readonly string[]): string[] {
	const used = new Set<string>();
	return columns.map(name => {
		let key = name;
		for (let count = 2; used.has(key); count++) key = `${name}_${count}`;
		used.add(key);
		return key;
	});
}

/** The --json document: rows as objects keyed by column. */
export function queryJson(name: string, result: SqlResult): Record<string, unknown> {
	const columns = uniqueColumns(result.columns);
	return {
		name,
		columns,
		rows: result.rows.map(row => Object.fromEntries(columns.map((column, index) => [column, row[index] ?? null]))),
		rowCount: result.columns.length > 0 ? result.rows.length : result.rowCount,
		command: result.command,
	};
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The result for a person: a table (numbers to the right, NULL spelled out, line breaks shown as
 * \n so a row stays one line) and the row count; or, for a statement without rows, what it did.
 */
export function queryText(result: SqlResult, maxWidth?: number): string[] {
	if (result.columns.length === 0) {
		const affected = result.rowCount === null ? '' : ` (${plural(result.rowCount, 'row')} affected)`;
		return [`${result.command ?? 'OK'}${affected}`];
	}
	const cell = (value: SqlValue) => (value === null ? 'NULL' : text(value).replaceAll('\n', '\\n').replaceAll('\r', '\\r').replaceAll('\t', '\\t'));
	const columns: Column[] = result.columns.map((header, index) => ({
		header,
		shrink: true,
		...(result.rows.length > 0 && result.rows.every(row => row[index] === null || typeof row[index] === 'number') ? {align: 'right' as const} : {}),
	}));
	return [
		...layoutTable(
			columns,
			result.rows.map(row => row.map(cell)),
			maxWidth,
		),
		`(${plural(result.rows.length, 'row')})`,
	];
}
