import type {CdcStatus} from '../core/cdc.js';
import type {ContainerManager, CreateOptions, CreatePlan, ResetResult} from '../core/lifecycle.js';
import {describeSlots} from '../core/wal-floor.js';
import type {ManagedContainer} from '../core/types.js';
import {removeContainer, setHealth, upsertContainer} from './container-actions.js';
import {createLoadControl, type LoadCore} from './load-control.js';
import {createOperationRunner, describeError, provisionalRow} from './operation-runner.js';
import type {DashboardStore} from './create-dashboard-store.js';
import {selectSelectedEntry} from './selectors.js';
import type {ContainerEntry} from './state.js';
import {terminalOperations} from './terminal-operations.js';
import {closeOverlay, openOverlay, selectContainer, setMessage} from './view-actions.js';

/**
 * The part of the core the dashboard uses (bindCore builds it from a ContainerManager); tests
 * hand in a fake.
 */
export type DashboardCore = Pick<ContainerManager, 'plan' | 'create' | 'start' | 'stop' | 'restart' | 'destroy' | 'reset' | 'resetData'> & {
	/** takeSnapshot (core/snapshots.ts). */
	snapshot(name: string, options?: {tag?: string}): Promise<{tag: string; ms: number; pausedMs: number}>;
	/** readCdcStatus (core/cdc.ts): the CDC settings read back from the server. */
	readCdcStatus(container: ManagedContainer): Promise<CdcStatus | undefined>;
} & LoadCore;

/**
 * What only the terminal can do, which the dashboard session provides: lend the terminal to a
 * database's client and take it back, and put text on the terminal's clipboard. Tests hand in a fake.
 */
export type DashboardTerminal = {
	/** The database's own client on the terminal until it exits (the dashboard steps aside meanwhile); its exit code. */
	runShell(container: ManagedContainer): Promise<number>;
	/** Copy text to the clipboard of the terminal the dashboard runs in; says how, or why it cannot. */
	copy(text: string): Promise<{copied: true; via: string} | {copied: false; why: string}>;
};

/**
 * What the keys do to containers. Every operation runs in the background: the key returns at once,
 * the row shows what is going on, and the status line gets the result or the error. Nothing here
 * throws into the UI.
 */
export type DashboardOperations = {
	/** Checks the options at once and returns why they are wrong, for the form to show; otherwise the create runs in the background. */
	create(options: CreateOptions): string | undefined;
	/** s: stop a running container, start a stopped one. */
	toggleStartStop(): void;
	restart(): void;
	/** d: asks first (the confirm-destroy overlay). */
	requestDestroy(): void;
	/** The answer to "destroy it?": for a container with a volume this leads to the second question. */
	confirmDestroy(): void;
	/** The answer to the volume question; only `true` removes the data. */
	chooseVolumeRemoval(remove: boolean): void;
	cancelDestroy(): void;
	/** R: asks first (the confirm-reset overlay), saying so when the data in a volume goes too. */
	requestReset(): void;
	/** The y to "reset it?": only this passes confirmVolumeRemoval for a container with a volume. */
	confirmReset(): void;
	/** The d to "reset it?": the data only, inside the running server (container, roles and slots stay). */
	confirmDataReset(): void;
	cancelReset(): void;
	/** S: a snapshot of the selected running container. */
	snapshot(): void;
	/** u: the selected container's connection URL in the status line. */
	showUrl(): void;
	/** e: the selected running database's own client (psql, mysql, sqlcmd) on the terminal; back to the dashboard when it exits. */
	openShell(): void;
	/** y: the selected container's connection URL to the terminal's clipboard (OSC 52). */
	copyUrl(): void;
	/** w: start a write load (50/s, the command's defaults) on the selected running database, or stop its load. */
	toggleLoad(): void;
	/** Settles when every operation started so far has settled. */
	settled(): Promise<void>;
	/** Aborts what still runs (a create then removes what it made, loads stop) and waits for that, at most timeoutMs. */
	shutdown(timeoutMs?: number): Promise<void>;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What a reset took with it that a CDC connector may notice: slots it dropped, a WAL position it could not carry. */
function resetNotes({droppedSlots, walPosition}: ResetResult): string {
	const slots = droppedSlots.length > 0 ? `; dropped replication slots ${describeSlots(droppedSlots)}` : '';
	const wal = walPosition && !walPosition.carried ? `; WAL position not carried over (${walPosition.reason ?? 'unknown'})` : '';
	return slots + wal;
}

export function createDashboardOperations(store: DashboardStore, core: DashboardCore, terminal?: DashboardTerminal): DashboardOperations {
	const {run, settled, shutdown} = createOperationRunner(store);
	const loads = createLoadControl(store, core);

	/** The selected container, if a key may act on it now; otherwise says why not and returns undefined. */
	const actionable = (options: {allowBusy?: boolean} = {}): ContainerEntry | undefined => {
		const state = store.getState();
		const entry = selectSelectedEntry(state);
		if (!entry) {
			setMessage(store, Object.keys(state.containers).length === 0 ? 'No containers yet — press c to create one' : 'No container selected');
			return undefined;
		}
		const busy = state.operations[entry.container.name];
		if (busy && !options.allowBusy) {
			setMessage(store, `${entry.container.name} is busy (${busy}); wait for it to finish`);
			return undefined;
		}
		return entry;
	};

	const markReady = (result: {container: Parameters<typeof upsertContainer>[1]}) => {
		upsertContainer(store, result.container);
		setHealth(store, result.container.id, result.container.startedAt, 'healthy');
	};

	const operations: DashboardOperations = {
		create(options) {
			let plan: CreatePlan;
			try {
				plan = core.plan(options);
			} catch (error) {
				return describeError(error);
			}
			const {name} = plan;
			const state = store.getState();
			if (state.creates[name] || Object.values(state.containers).some(entry => entry.container.name === name)) {
				return `A container named "${name}" already exists; choose another name.`;
			}
			closeOverlay(store);
			const row = provisionalRow(store, {name, database: plan.preset.kind, version: plan.version.version, phase: 'preparing'}, 'Creating');
			run(name, 'creating', `Creating ${name}…`, async signal => {
				try {
					const result = await core.create(plan, {signal, onProgress: row.onProgress});
					markReady(result);
					selectContainer(store, result.container.id);
					return `${name} is ready (${seconds(result.totalMs)}): ${result.connection.url}`;
				} finally {
					row.clear();
				}
			});
			return undefined;
		},

		toggleStartStop() {
			const entry = actionable();
			if (!entry) return;
			const {name, state} = entry.container;
			if (state === 'running') {
				run(name, 'stopping', `Stopping ${name}…`, async () => {
					upsertContainer(store, await core.stop(name));
					return `Stopped ${name}`;
				});
				return;
			}
			run(name, 'starting', `Starting ${name}…`, async signal => {
				const result = await core.start(name, {signal});
				markReady(result);
				return `Started ${name}, ready in ${seconds(result.readyMs)}`;
			});
		},

		restart() {
			const entry = actionable();
			if (!entry) return;
			const {name, state} = entry.container;
			if (state !== 'running') {
				setMessage(store, `${name} is not running; press s to start it`);
				return;
			}
			run(name, 'restarting', `Restarting ${name}…`, async signal => {
				const result = await core.restart(name, {signal});
				markReady(result);
				return `Restarted ${name}, ready in ${seconds(result.readyMs)}`;
			});
		},

		requestDestroy() {
			const entry = actionable();
			if (!entry) return;
			openOverlay(store, {kind: 'confirm-destroy', name: entry.container.name, volume: entry.container.volume, step: 'container'});
		},

		confirmDestroy() {
			const {overlay} = store.getState();
			if (overlay?.kind !== 'confirm-destroy') return;
			if (overlay.volume !== undefined && overlay.step === 'container') {
				openOverlay(store, {...overlay, step: 'volume'});
				return;
			}
			operations.chooseVolumeRemoval(false);
		},

		chooseVolumeRemoval(remove) {
			const {overlay} = store.getState();
			if (overlay?.kind !== 'confirm-destroy') return;
			closeOverlay(store);
			const {name} = overlay;
			run(name, 'destroying', `Destroying ${name}…`, async () => {
				// The volume goes only after this second, explicit choice: it holds the data.
				const result = await core.destroy(name, remove ? {removeVolume: true, confirmVolumeRemoval: true} : {});
				if (result.volumeRemoved) return `Destroyed ${name} and its volume ${result.volumeRemoved}`;
				if (result.volumeKept) return `Destroyed ${name}; volume ${result.volumeKept} kept`;
				return `Destroyed ${name}`;
			});
		},

		cancelDestroy() {
			const {overlay} = store.getState();
			if (overlay?.kind !== 'confirm-destroy') return;
			closeOverlay(store);
			setMessage(store, `Kept ${overlay.name}`);
		},

		requestReset() {
			const entry = actionable();
			if (!entry) return;
			openOverlay(store, {kind: 'confirm-reset', name: entry.container.name, volume: entry.container.volume, running: entry.container.state === 'running'});
		},

		confirmReset() {
			const state = store.getState();
			const {overlay} = state;
			if (overlay?.kind !== 'confirm-reset') return;
			closeOverlay(store);
			const {name, volume} = overlay;
			const previous = Object.values(state.containers).find(entry => entry.container.name === name)?.container;
			// The old container goes before the new one exists: a provisional row keeps its place.
			const row = provisionalRow(store, {name, database: previous?.database ?? '', version: previous?.version ?? '', phase: 'resetting'}, 'Resetting');
			run(name, 'resetting', volume ? `Resetting ${name} (deleting the data in volume ${volume})…` : `Resetting ${name}…`, async signal => {
				try {
					const result = await core.reset(name, {
						signal,
						onProgress: row.onProgress,
						// Only after the explicit y to a question that said the volume's data goes.
						...(volume === undefined ? {} : {confirmVolumeRemoval: true}),
					});
					markReady(result);
					selectContainer(store, result.container.id);
					if (previous && previous.id !== result.container.id) removeContainer(store, previous.id);
					return `Reset ${name}: fresh data, ready in ${seconds(result.readyMs)}${resetNotes(result)}`;
				} finally {
					row.clear();
				}
			});
		},

		confirmDataReset() {
			const {overlay} = store.getState();
			if (overlay?.kind !== 'confirm-reset') return;
			closeOverlay(store);
			const {name, volume} = overlay;
			run(name, 'resetting', `Resetting ${name}'s data…`, async () => {
				const result = await core.resetData(name, volume === undefined ? {} : {confirmVolumeRemoval: true});
				const slots = result.kept.slots.length > 0 ? `; kept slots ${result.kept.slots.join(', ')}` : '';
				return `Reset ${name}'s data in ${result.ms} ms: ${result.reset.tables} table${result.reset.tables === 1 ? '' : 's'} dropped${slots}`;
			});
		},

		cancelReset() {
			const {overlay} = store.getState();
			if (overlay?.kind !== 'confirm-reset') return;
			closeOverlay(store);
			setMessage(store, `Kept ${overlay.name} as it is`);
		},

		snapshot() {
			const entry = actionable();
			if (!entry) return;
			const {name, state} = entry.container;
			if (state !== 'running') {
				setMessage(store, `S does not apply: ${name} is not running (a snapshot needs a running container; s starts it)`);
				return;
			}
			run(name, 'snapshotting', `Taking a snapshot of ${name}…`, async () => {
				const result = await core.snapshot(name);
				return `Snapshot ${result.tag} taken in ${seconds(result.ms)} (${name} paused ${seconds(result.pausedMs)})`;
			});
		},

		...terminalOperations(store, actionable, terminal),

		toggleLoad() {
			// Stopping a load is always allowed, even while the container is busy.
			const entry = actionable({allowBusy: true});
			if (!entry) return;
			loads.toggle(entry.container);
		},

		settled,
		async shutdown(timeoutMs) {
			await Promise.all([shutdown(timeoutMs), loads.shutdown(timeoutMs)]);
		},
	};
	return operations;
}
