import {applyChange} from './apply-change.js';
import type {DashboardStore} from './create-dashboard-store.js';
import {selectVisibleIds} from './selectors.js';
import type {Focus, Overlay, StatusMessage, StatusTone} from './state.js';

/** What the keys change about the view. None of these touch Docker. */

/** Moves the cursor by `delta` rows, stopping at the first and last row. */
export function moveSelection(store: DashboardStore, delta: number): void {
	applyChange(store, state => {
		const visible = selectVisibleIds(state);
		if (visible.length === 0) return undefined;
		const current = state.selectedId === undefined ? -1 : visible.indexOf(state.selectedId);
		const index = Math.min(visible.length - 1, Math.max(0, current + delta));
		return visible[index] === state.selectedId ? undefined : {selectedId: visible[index]};
	});
}

export function selectContainer(store: DashboardStore, id: string): void {
	applyChange(store, state => (state.selectedId === id || !(id in state.containers) ? undefined : {selectedId: id}));
}

/** The screen's layout says how many table rows fit (it changes with the terminal's size and the row count). */
export function setTableRows(store: DashboardStore, rows: number): void {
	applyChange(store, state => (state.tableRows === rows ? undefined : {tableRows: rows}));
}

export function setMessage(store: DashboardStore, text: string, tone: StatusTone = 'info'): void {
	const message: StatusMessage = {text, tone};
	store.setState({message});
}

export function toggleShowAll(store: DashboardStore): void {
	applyChange(store, state => ({
		showAll: !state.showAll,
		message: {text: state.showAll ? 'Showing running containers only (a: show all)' : 'Showing all containers (a: running only)', tone: 'info'},
	}));
}

export function toggleDetails(store: DashboardStore): void {
	applyChange(store, state => ({showDetails: !state.showDetails}));
}

export function setFocus(store: DashboardStore, focus: Focus): void {
	applyChange(store, state => (state.focus === focus ? undefined : {focus}));
}

export function openOverlay(store: DashboardStore, overlay: Overlay): void {
	store.setState({overlay});
}

export function closeOverlay(store: DashboardStore): void {
	if (store.getState().overlay !== undefined) store.setState({overlay: undefined});
}

/** `/` opens the prompt with the current filter, so a second `/` refines rather than restarts. */
export function startFilter(store: DashboardStore): void {
	store.setState({filterEditing: true});
}

/** The filter applies as it is typed: the table narrows with every key. */
export function setFilter(store: DashboardStore, filter: string): void {
	applyChange(store, state => (state.filter === filter ? undefined : {filter}));
}

/** enter keeps the filter; escape clears it. */
export function endFilter(store: DashboardStore, keep: boolean): void {
	applyChange(store, state => ({filterEditing: false, filter: keep ? state.filter.trim() : ''}));
}

/**
 * C: the Changes pane in the log pane's place, or the logs back. The table takes the focus: the
 * Changes pane follows the newest changes and has no keys of its own to scroll.
 */
export function toggleChangesPane(store: DashboardStore): void {
	applyChange(store, state => ({bottomPane: state.bottomPane === 'logs' ? 'changes' : 'logs', focus: 'table'}));
}
