import type {ChangeEvent, ChangeValues} from '../core/changes/types.js';
import {matchesChangeFilter} from '../store/change-buffer.js';
import type {ChangeCounts, ChangesFilter, ChangesView} from '../store/state.js';
import {fitText} from './format.js';

/**
 * The Changes pane's text, pure so the exact strings are tested: one line per change (time, op,
 * table, key/values, position), one per table's counts, and the line of lag and filters.
 */

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Wall-clock time with milliseconds, on this machine's clock: lag is read in milliseconds. */
export function clockTime(date: Date): string {
	return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A value as SQL people read it: strings quoted, NULL spelled out, the rest as JSON. */
function formatValue(value: unknown): string {
	if (value === null || value === undefined) return 'NULL';
	if (typeof value === 'string') return `'${value}'`;
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	return JSON.stringify(value) ?? String(value);
}

const assignments = (values: ChangeValues) => Object.entries(values).map(([column, value]) => `${column}=${formatValue(value)}`);

/**
 * What changed, as briefly as it can be said: an insert's new row; an update's key and, where the
 * engine gave the old row, only the columns that changed (old→new); a delete's key.
 */
export function describeChange(event: ChangeEvent): string {
	const {key, values, oldValues} = event;
	if (event.operation === 'update' && oldValues && values) {
		const changed = Object.keys(values)
			.filter(column => formatValue(values[column]) !== formatValue(oldValues[column]))
			.map(column => `${column}=${formatValue(oldValues[column])}→${formatValue(values[column])}`);
		return [...(key ? assignments(key) : []), ...changed].join(' ');
	}
	const shown = event.operation === 'delete' ? (key ?? oldValues) : (values ?? key);
	return shown ? assignments(shown).join(' ') : '';
}

/** One change in exactly `width` columns; the position keeps its place at the right when the values are cut. */
export function changeLine(event: ChangeEvent, width: number): string {
	const position = event.position;
	const body = [clockTime(event.commitTime ?? event.receivedAt), event.operation.padEnd(6), event.table, describeChange(event)].join(' ').trimEnd();
	if (position.length + 2 > width) return fitText(body, width);
	return `${fitText(body, width - position.length - 1)} ${position}`;
}

/** Counts of one table per line, the names in one column; `max` lines at most, the last saying what did not fit. */
export function countLines(counts: ChangeCounts, max: number): string[] {
	const tables = Object.keys(counts).sort();
	if (max <= 0 || tables.length === 0) return [];
	const shown = tables.length > max ? tables.slice(0, max - 1) : tables;
	const column = Math.min(40, Math.max(...shown.map(table => table.length)));
	const lines = shown.map(table => {
		const row = counts[table]!;
		return `${fitText(table, column)}  insert ${row.insert}  update ${row.update}  delete ${row.delete}`;
	});
	if (shown.length < tables.length) lines.push(`… and ${tables.length - shown.length} more tables (t filters by table)`);
	return lines;
}

export function formatLagMs(ms: number): string {
	return Math.abs(ms) >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** The line under the title: lag from commit, how many changes, and the filters with their keys. */
export function summaryLine(view: ChangesView, filter: ChangesFilter): string {
	const lag = view.lag ? `lag ${formatLagMs(view.lag.lastMs)} (median ${formatLagMs(view.lag.medianMs)})` : 'lag –';
	const received = view.dropped + view.events.length;
	const filtered = filter.operation !== undefined || filter.table !== undefined;
	const count = filtered ? `${matchingCount(view.counts, filter)} of ${received} changes` : `${received} ${received === 1 ? 'change' : 'changes'}`;
	return `${lag} · ${count} · o op: ${filter.operation ?? 'all'} · t table: ${filter.table ?? 'all'}`;
}

/** Changes received that pass the filter, from the counts: exact even when old ones fell off the ring. */
export function matchingCount(counts: ChangeCounts, filter: ChangesFilter): number {
	let total = 0;
	for (const [table, row] of Object.entries(counts)) {
		if (!matchesChangeFilter({table, operation: filter.operation ?? 'insert'}, {table: filter.table})) continue;
		total += filter.operation === undefined ? row.insert + row.update + row.delete : row[filter.operation];
	}
	return total;
}
