import type {DashboardStore} from '../create-dashboard-store.js';
import type {DashboardState} from '../state.js';

/**
 * The feeders' common wiring: bring Docker's side in line with the store now, and again after
 * every update that `changed` says concerns this feeder. Returns the unsubscribe function.
 */
export function reconcileOnChange(
	store: DashboardStore,
	changed: (state: DashboardState, previous: DashboardState) => boolean,
	reconcile: (state: DashboardState, previous?: DashboardState) => void,
): () => void {
	const unsubscribe = store.subscribe((state, previous) => {
		if (changed(state, previous)) reconcile(state, previous);
	});
	reconcile(store.getState());
	return unsubscribe;
}
