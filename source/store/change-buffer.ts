import type {ChangeEvent, ChangeOperation} from '../core/changes/types.js';
import {matchesFilter} from '../core/changes/filter.js';
import type {DashboardStore} from './create-dashboard-store.js';
import {changeLimit, emptyChanges, type ChangeCounts, type ChangesFilter, type ChangesView} from './state.js';

/**
 * The Changes pane's side of the store: the change follower writes events into a ring buffer
 * with running counts; the keys change the filter. Like the log buffer, every write is for one
 * container, and a write for another one (a follow that has been replaced) is dropped.
 */

export const changeOperations: readonly ChangeOperation[] = ['insert', 'update', 'delete'];

/** A new stream (another database, a new run, the pane shown again) starts empty. */
export function resetChanges(store: DashboardStore, containerId: string | undefined, stream?: ChangesView['stream']): void {
	store.setState({changes: {...emptyChanges, containerId, stream}});
}

function addCounts(counts: ChangeCounts, events: readonly ChangeEvent[]): ChangeCounts {
	const next: Record<string, Record<ChangeOperation, number>> = {...counts};
	for (const {table, operation} of events) {
		const row = {...(next[table] ?? {insert: 0, update: 0, delete: 0})};
		row[operation] += 1;
		next[table] = row;
	}
	return next;
}

export function appendChanges(store: DashboardStore, containerId: string, events: readonly ChangeEvent[], lag: ChangesView['lag'], limit = changeLimit): void {
	const {changes} = store.getState();
	if (changes.containerId !== containerId || events.length === 0) return;
	const joined = [...changes.events, ...events];
	const overflow = Math.max(0, joined.length - limit);
	store.setState({
		changes: {
			...changes,
			events: overflow > 0 ? joined.slice(overflow) : joined,
			dropped: changes.dropped + overflow,
			counts: addCounts(changes.counts, events),
			lag: lag ?? changes.lag,
		},
	});
}

/** The stream's state and the line under the events that says why it is not open. */
export function setChangeStream(store: DashboardStore, containerId: string, stream: ChangesView['stream'], note?: string): void {
	const {changes} = store.getState();
	if (changes.containerId !== containerId || (changes.stream === stream && changes.note === note)) return;
	store.setState({changes: {...changes, stream, note}});
}

/** The middle value; for an even count, the mean of the two middle ones. Undefined for none. */
export function median(values: readonly number[]): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * `dbarena changes --table` semantics: `orders` matches that table in any schema (or MySQL
 * database), `public.orders` only that one.
 */
/** The pane's one-table, one-operation filter, by the command's rules (core/changes/filter.ts). */
export function matchesChangeFilter(event: Pick<ChangeEvent, 'operation' | 'table'>, filter: ChangesFilter): boolean {
	return matchesFilter(event, {
		...(filter.operation === undefined ? {} : {operations: [filter.operation]}),
		...(filter.table === undefined ? {} : {tables: [filter.table]}),
	});
}

/** The newest `count` events that pass the filter, oldest first. */
export function shownChanges(view: ChangesView, filter: ChangesFilter, count: number): ChangeEvent[] {
	const shown: ChangeEvent[] = [];
	for (let index = view.events.length - 1; index >= 0 && shown.length < count; index--) {
		const event = view.events[index]!;
		if (matchesChangeFilter(event, filter)) shown.unshift(event);
	}
	return shown;
}

/** Every operation, then each one alone, then every operation again. */
export function cycleChangeOperation(store: DashboardStore): ChangeOperation | undefined {
	const {operation} = store.getState().changesFilter;
	const next = operation === undefined ? changeOperations[0] : changeOperations[changeOperations.indexOf(operation) + 1];
	store.setState({changesFilter: {...store.getState().changesFilter, operation: next}});
	return next;
}

/**
 * Every table, then each table that has had a change (in the counts' order), then every table
 * again. A table filter kept from another database that has no such table starts the cycle over.
 */
export function cycleChangeTable(store: DashboardStore): string | undefined {
	const {changesFilter, changes} = store.getState();
	const tables = Object.keys(changes.counts).sort();
	const at = changesFilter.table === undefined ? -1 : tables.indexOf(changesFilter.table);
	const next = at + 1 < tables.length ? tables[at + 1] : undefined;
	store.setState({changesFilter: {...changesFilter, table: next}});
	return next;
}
