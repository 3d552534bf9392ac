import type {ChangeValues} from './types.js';

/**
 * One column value as the faces print it and JSON carries it: binary as `0x…` (as `query` prints
 * MySQL's), integers past what a JavaScript number holds as their digits, dates as they are
 * (JSON makes them ISO 8601). Everything else the driver decoded stays as decoded.
 */
export function plainValue(value: unknown): unknown {
	if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
	if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`;
	if (typeof value === 'bigint') return value.toString();
	return value;
}

export function plainValues(row: Record<string, unknown> | null | undefined): ChangeValues | undefined {
	if (!row) return undefined;
	return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, plainValue(value)]));
}

/** The key columns' values out of a row, in the key's order; undefined when a key column is missing. */
export function keyOf(row: ChangeValues | undefined, columns: readonly string[]): ChangeValues | undefined {
	if (!row || columns.length === 0) return undefined;
	if (columns.some(column => !(column in row))) return undefined;
	return Object.fromEntries(columns.map(column => [column, row[column]]));
}
