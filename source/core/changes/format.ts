import type {ChangeEvent, ChangeValues} from './types.js';

const two = (value: number) => String(value).padStart(2, '0');

/** Local wall-clock time to the millisecond: a change stream is read as it happens, so the date is noise. */
function clock(date: Date): string {
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** A value as it reads in one line: strings bare unless they hold a space or nothing, the rest as JSON. */
function shown(value: unknown): string {
	if (typeof value === 'string') return value === '' || /[\s=,{}"]/.test(value) ? JSON.stringify(value) : value;
	if (value instanceof Date) return value.toISOString();
	return JSON.stringify(value) ?? String(value);
}

function pairs(values: ChangeValues): string {
	return Object.entries(values)
		.map(([column, value]) => `${column}=${shown(value)}`)
		.join(' ');
}

/** The columns an update changed, when the old row is known; otherwise every new value. */
function changedColumns(event: ChangeEvent): {now: ChangeValues; was?: ChangeValues} {
	const now = event.values ?? {};
	const old = event.oldValues;
	if (!old) return {now};
	const changed = Object.keys(now).filter(column => JSON.stringify(now[column]) !== JSON.stringify(old[column]));
	return {now: Object.fromEntries(changed.map(column => [column, now[column]])), was: Object.fromEntries(changed.map(column => [column, old[column]]))};
}

/**
 * One change as one line of text: time, operation, table, key, values, position. An insert shows
 * the new row, an update what changed (and what it was, where the engine says), a delete the key
 * and the old row when known.
 */
export function changeLine(event: ChangeEvent): string {
	const parts = [clock(event.commitTime ?? event.receivedAt), event.operation.padEnd(6), event.table];
	parts.push(event.key ? `[${pairs(event.key)}]` : '[no key]');
	if (event.operation === 'insert') parts.push(pairs(event.values ?? {}));
	else if (event.operation === 'update') {
		const {now, was} = changedColumns(event);
		parts.push(pairs(now) || '(no column changed)');
		if (was && Object.keys(was).length > 0) parts.push(`(was ${pairs(was)})`);
	} else if (event.oldValues) parts.push(`(was ${pairs(event.oldValues)})`);
	parts.push(`@ ${event.position}`);
	return parts.join(' ');
}

/** The JSON object of one change: every key always present, absent values null, times ISO 8601. */
export function changeJson(event: ChangeEvent): Record<string, unknown> {
	return {
		operation: event.operation,
		table: event.table,
		key: event.key ?? null,
		values: event.values ?? null,
		oldValues: event.oldValues ?? null,
		transaction: event.transaction ?? null,
		commitTime: event.commitTime?.toISOString() ?? null,
		position: event.position,
		receivedAt: event.receivedAt.toISOString(),
	};
}
