import {UsageError} from '../errors.js';
import type {ChangeEvent, ChangeFilter, ChangeOperation} from './types.js';

const operations: readonly ChangeOperation[] = ['insert', 'update', 'delete'];

/** Values as given (repeated flags, comma lists, or both), split, trimmed, empty parts dropped. */
function splitList(values: readonly string[]): string[] {
	return values.flatMap(value => value.split(',')).map(part => part.trim());
}

/**
 * The user's filter, validated once here for both faces: table names (`orders`, `public.orders`)
 * and operations (`insert,update,delete`). An unknown operation or an empty name is refused.
 */
export function parseChangeFilter({tables = [], operations: ops = []}: {tables?: readonly string[]; operations?: readonly string[]}): ChangeFilter {
	const filter: ChangeFilter = {};
	const names = splitList(tables);
	if (names.some(name => name === '' || name.startsWith('.') || name.endsWith('.')))
		throw new UsageError(`Invalid table "${tables.join(',')}": name tables as "orders" or "schema.orders", separated by commas.`, 'invalid_value');
	if (names.length > 0) filter.tables = [...new Set(names)];
	const asked = splitList(ops).map(op => op.toLowerCase());
	const unknown = asked.filter(op => !operations.includes(op as ChangeOperation));
	if (unknown.length > 0 || (ops.length > 0 && asked.length === 0))
		throw new UsageError(`Invalid operation "${unknown[0] ?? ops.join(',')}": use insert, update or delete (comma-separated).`, 'invalid_value');
	if (asked.length > 0) filter.operations = [...new Set(asked as ChangeOperation[])];
	return filter;
}

/**
 * Whether one name the user gave picks this table. A name with a dot compares in full; without
 * one it picks the table of that name in any schema (or database). Compared without regard to
 * case, as neither a PostgreSQL user nor a MySQL one usually writes names in mixed case.
 */
function tableMatches(given: string, table: string): boolean {
	const wanted = given.toLowerCase();
	const actual = table.toLowerCase();
	if (wanted.includes('.')) return wanted === actual;
	return actual.slice(actual.indexOf('.') + 1) === wanted;
}

export function matchesFilter(event: Pick<ChangeEvent, 'operation' | 'table'>, filter: ChangeFilter): boolean {
	if (filter.operations && !filter.operations.includes(event.operation)) return false;
	if (filter.tables && !filter.tables.some(given => tableMatches(given, event.table))) return false;
	return true;
}
