import type {DashboardStore} from './create-dashboard-store.js';
import {reconcileSelection} from './selectors.js';
import type {DashboardState} from './state.js';

/**
 * Applies a change and keeps the selection on a visible row in the same update, so no component
 * ever renders a selection that points at nothing. A recipe that returns undefined changes nothing
 * (and notifies nobody).
 */
export function applyChange(store: DashboardStore, recipe: (state: DashboardState) => Partial<DashboardState> | undefined): void {
	const previous = store.getState();
	const changes = recipe(previous);
	if (changes === undefined) return;
	const next = {...previous, ...changes};
	const selectedId = reconcileSelection(previous, next);
	store.setState(selectedId === next.selectedId ? changes : {...changes, selectedId});
}
