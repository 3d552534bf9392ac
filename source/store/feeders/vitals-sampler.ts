import type {Stoppable} from '../../core/streams.js';
import type {ManagedContainer} from '../../core/types.js';
import {commitRate, type DiskVitals, type Vitals, type VitalsReader, type VitalsSample} from '../../core/vitals/read-vitals.js';
import {setVitalsView} from '../container-actions.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import {selectSelectedEntry} from '../selectors.js';
import type {ContainerEntry, DashboardState} from '../state.js';
import {pollSelected} from './selected-poller.js';

export type VitalsSamplerOptions = {
	/**
	 * A reader of one database's vitals (openVitalsReader, core/vitals/read-vitals.ts, through the
	 * manager), or a fake. It keeps its SQL session between samples; the sampler closes it when the
	 * database is no longer the one on screen.
	 */
	open: (container: ManagedContainer) => Pick<VitalsReader, 'read' | 'close'>;
	/** One sample per this many ms at most: the stats' cadence. */
	intervalMs?: number;
	/** The disk is asked by an exec in the container, dearer than a query: this rarely. */
	diskIntervalMs?: number;
};

/**
 * The database whose vitals are on screen: the selected one, running and past its start-up, with
 * the details panel showing (an overlay takes its place, and `enter` hides it).
 */
function vitalsTarget(state: DashboardState): ContainerEntry | undefined {
	if (!state.showDetails || state.overlay !== undefined) return undefined;
	const entry = selectSelectedEntry(state);
	if (entry?.container.state !== 'running' || entry.health !== 'healthy') return undefined;
	return entry;
}

/**
 * Samples the vitals of the database on screen, one read at a time and at most one every
 * `intervalMs`; nothing for any other, and no timer at all while there is none. Commits per
 * second come from the last two samples of the same run, without the sampler's own commits.
 */
export function startVitalsSampler(store: DashboardStore, options: VitalsSamplerOptions): Stoppable {
	const {open, intervalMs = 2000, diskIntervalMs = 30_000} = options;
	let reader: Pick<VitalsReader, 'read' | 'close'> | undefined;
	const closeReader = () => {
		void reader?.close().catch(() => undefined);
		reader = undefined;
	};
	let previous: VitalsSample | undefined;
	/** The sampler's own commits the server has not counted yet (commitRate). */
	let owed = 0;
	let disk: {at: number; value: DiskVitals | null} | undefined;

	return pollSelected(store, {
		target: vitalsTarget,
		relevant: (state, before) =>
			state.selectedId !== before.selectedId ||
			state.containers !== before.containers ||
			state.showDetails !== before.showDetails ||
			state.overlay !== before.overlay,
		intervalMs,
		async read(entry) {
			const askDisk = disk === undefined || Date.now() - disk.at >= diskIntervalMs;
			reader ??= open(entry.container);
			return {answer: await reader.read({disk: askDisk}), askDisk};
		},
		deliver(id, {value, error}) {
			if (value) {
				const {answer, askDisk} = value;
				if (askDisk) disk = {at: Date.now(), value: answer.vitals.disk ?? null};
				const vitals: Vitals = {...answer.vitals, ...(disk ? {disk: disk.value} : {})};
				const rate = commitRate(previous?.vitals, vitals, owed + (previous?.ownCommits ?? 0));
				owed = rate.owed;
				previous = {vitals, ownCommits: answer.ownCommits};
				setVitalsView(store, {containerId: id, vitals, commitsPerSecond: rate.perSecond, error: undefined});
				return;
			}
			// A rate across a gap would mix two stories: start over.
			previous = undefined;
			owed = 0;
			setVitalsView(store, {containerId: id, vitals: undefined, commitsPerSecond: null, error: error ?? 'no answer'});
		},
		retarget(_entry, state) {
			previous = undefined;
			owed = 0;
			disk = undefined;
			closeReader();
			if (state.vitals) setVitalsView(store, undefined);
		},
		stopped: closeReader,
	});
}
