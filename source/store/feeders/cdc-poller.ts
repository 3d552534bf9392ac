import type {CdcStatus} from '../../core/cdc.js';
import type {Stoppable} from '../../core/streams.js';
import type {ManagedContainer} from '../../core/types.js';
import {setCdcView} from '../container-actions.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import {describeError} from '../operation-runner.js';
import {selectSelectedEntry} from '../selectors.js';
import type {ContainerEntry, DashboardState} from '../state.js';
import {reconcileOnChange} from './reconcile-on-change.js';

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

/** A new run of the same container is a new target: its first read should not wait. */
const targetKey = (entry: ContainerEntry) => `${entry.container.id}@${entry.container.startedAt?.getTime() ?? ''}`;

/**
 * Reads the CDC settings (and PostgreSQL's replication slots) of the selected container while it
 * has --cdc and runs, one read at a time and at most one every `intervalMs`. Nothing runs, and no
 * timer is set, while the selection is anything else; a change of selection stops the reads and
 * drops the last result at once.
 */
export function startCdcPoller(store: DashboardStore, options: CdcPollerOptions): Stoppable {
	const {read, intervalMs = 2000} = options;
	let key: string | undefined;
	let generation = 0;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;

	const poll = async (run: number, id: string) => {
		timer = undefined;
		const entry = store.getState().containers[id];
		if (!entry || stopped || run !== generation) return;
		const began = performance.now();
		let status: CdcStatus | undefined;
		let error: string | undefined;
		try {
			status = await read(entry.container);
		} catch (caught) {
			error = describeError(caught);
		}
		// The selection moved on (or the dashboard closed) while the read ran: its answer is stale.
		if (stopped || run !== generation) return;
		setCdcView(store, {containerId: id, status, error: error ?? (status === undefined ? 'the server did not say' : undefined)});
		timer = setTimeout(
			() => {
				void poll(run, id);
			},
			Math.max(0, began + intervalMs - performance.now()),
		);
	};

	const reconcile = (state: DashboardState) => {
		const entry = cdcTarget(state);
		const next = entry ? targetKey(entry) : undefined;
		if (next === key) return;
		key = next;
		generation += 1;
		clearTimeout(timer);
		timer = undefined;
		// Keep what is shown for the same container (a restart), drop it for any other.
		if (state.cdc && state.cdc.containerId !== entry?.container.id) setCdcView(store, undefined);
		if (entry) void poll(generation, entry.container.id);
	};

	const unsubscribe = reconcileOnChange(
		store,
		(state, previous) => !stopped && (state.selectedId !== previous.selectedId || state.containers !== previous.containers),
		reconcile,
	);

	return {
		stop() {
			stopped = true;
			generation += 1;
			unsubscribe();
			clearTimeout(timer);
			timer = undefined;
		},
	};
}
