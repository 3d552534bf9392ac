import type {CdcStatus} from '../../core/cdc.js';
import type {Stoppable} from '../../core/streams.js';
import type {ManagedContainer} from '../../core/types.js';
import {setCdcView} from '../container-actions.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import {selectSelectedEntry} from '../selectors.js';
import type {ContainerEntry, DashboardState} from '../state.js';
import {pollSelected} from './selected-poller.js';

export type CdcPollerOptions = {
	/** readCdcStatus (core/cdc.ts), or a fake. */
	read: (container: ManagedContainer) => Promise<CdcStatus | undefined>;
	/** At most one read per this many ms: the stats' cadence. */
	intervalMs?: number;
};

/** The selected container, when it is one whose CDC settings can be read now. */
function cdcTarget(state: DashboardState): ContainerEntry | undefined {
	const entry = selectSelectedEntry(state);
	if (!entry?.container.cdc || entry.container.state !== 'running' || entry.health === 'starting') return undefined;
	return entry;
}

/**
 * Reads the CDC settings (and PostgreSQL's replication slots) of the selected container while it
 * has --cdc and runs, one read at a time and at most one every `intervalMs`. Nothing runs, and no
 * timer is set, while the selection is anything else; a change of selection stops the reads and
 * drops the last result at once.
 */
export function startCdcPoller(store: DashboardStore, options: CdcPollerOptions): Stoppable {
	const {read, intervalMs = 2000} = options;
	return pollSelected(store, {
		target: cdcTarget,
		relevant: (state, previous) => state.selectedId !== previous.selectedId || state.containers !== previous.containers,
		intervalMs,
		read: async entry => read(entry.container),
		deliver(id, {value: status, error}) {
			setCdcView(store, {containerId: id, status, error: error ?? (status === undefined ? 'the server did not say' : undefined)});
		},
		retarget(entry, state) {
			// Keep what is shown for the same container (a restart), drop it for any other.
			if (state.cdc && state.cdc.containerId !== entry?.container.id) setCdcView(store, undefined);
		},
	});
}
