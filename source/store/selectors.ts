import type {ConnectionInfo} from '../core/types.js';
import type {ContainerEntry, DashboardState} from './state.js';

/**
 * Pure reads of the state, shared by the components (through useStore) and by the actions. A
 * selector that builds a new array must be wrapped in useShallow by its caller.
 */

const isRunning = (entry: ContainerEntry) => entry.container.state === 'running';

function matchesFilter(entry: ContainerEntry, filter: string): boolean {
	const wanted = filter.trim().toLowerCase();
	if (wanted === '') return true;
	const {name, database, version} = entry.container;
	return name.toLowerCase().includes(wanted) || database.includes(wanted) || `${database} ${version}`.includes(wanted);
}

/** Oldest first, like `dbarena list`: a new container appears at the bottom and rows don't jump. */
function byAge(a: ContainerEntry, b: ContainerEntry): number {
	return a.container.createdAt.getTime() - b.container.createdAt.getTime() || a.container.name.localeCompare(b.container.name);
}

/** The ids of the rows the table shows, in order. */
export function selectVisibleIds(state: Pick<DashboardState, 'containers' | 'filter' | 'showAll'>): string[] {
	return Object.values(state.containers)
		.filter(entry => (state.showAll || isRunning(entry)) && matchesFilter(entry, state.filter))
		.sort(byAge)
		.map(entry => entry.container.id);
}

/** The rows to draw: a window around the selection when there are more than fit. */
export function visibleWindow<T>(items: readonly T[], selectedIndex: number, size: number): T[] {
	if (items.length <= size) return [...items];
	const start = Math.max(0, Math.min(selectedIndex - Math.floor(size / 2), items.length - size));
	return items.slice(start, start + size);
}

/**
 * The ids of the rows on screen: the table's window around the selection, as ContainerTable
 * draws it. Every shown row when the screen has not said how many fit.
 */
export function selectShownIds(state: Pick<DashboardState, 'containers' | 'filter' | 'showAll' | 'selectedId' | 'tableRows'>): string[] {
	const ids = selectVisibleIds(state);
	if (state.tableRows === undefined) return ids;
	return visibleWindow(ids, state.selectedId === undefined ? 0 : ids.indexOf(state.selectedId), state.tableRows);
}

export function selectSelectedEntry(state: DashboardState): ContainerEntry | undefined {
	return state.selectedId === undefined ? undefined : state.containers[state.selectedId];
}

export type Counts = {running: number; stopped: number; shown: number; total: number};

export function selectCounts(state: DashboardState): Counts {
	const entries = Object.values(state.containers);
	const running = entries.filter(isRunning).length;
	return {running, stopped: entries.length - running, shown: selectVisibleIds(state).length, total: entries.length};
}

/** Creates whose container the engine has not reported yet: they get a provisional row. */
export function selectPendingCreateNames(state: DashboardState): string[] {
	const known = new Set(Object.values(state.containers).map(entry => entry.container.name));
	return Object.keys(state.creates)
		.filter(name => !known.has(name))
		.sort();
}

/**
 * Keeps the selection on a visible row. When the selected row goes away (destroyed, filtered out)
 * the row now at the same position is selected, so the cursor does not jump to the top.
 */
export function reconcileSelection(previous: DashboardState, next: DashboardState): string | undefined {
	const visible = selectVisibleIds(next);
	if (next.selectedId !== undefined && visible.includes(next.selectedId)) return next.selectedId;
	if (visible.length === 0) return undefined;
	const before = selectVisibleIds(previous);
	const index = previous.selectedId === undefined ? 0 : Math.max(0, before.indexOf(previous.selectedId));
	return visible[Math.min(index, visible.length - 1)];
}

/**
 * The URL that works from this machine: for a database on an ssh:// engine's own 127.0.0.1, the
 * local forward the dashboard keeps open; undefined until that forward is open.
 */
export function selectUrlFromHere(state: DashboardState, id: string, connection: ConnectionInfo): string | undefined {
	return connection.onEngineHost ? state.forwards[id]?.url : connection.url;
}
