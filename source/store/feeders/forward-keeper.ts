import type {Stoppable} from '../../core/streams.js';
import type {ManagedContainer} from '../../core/types.js';
import {setForward} from '../container-actions.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import {describeError} from '../operation-runner.js';
import type {ContainerEntry, DashboardState} from '../state.js';
import {reconcileOnChange} from './reconcile-on-change.js';

/** An open forward: the URL a client here uses, and how to end it. */
export type OpenedForward = {url: string; close(): Promise<void>};

export type ForwardKeeperOptions = {
	/**
	 * Open a local forward to the container's database; undefined when this machine reaches it
	 * directly (a local engine). ContainerManager.localForward, or a fake.
	 */
	open: (container: ManagedContainer) => Promise<OpenedForward | undefined>;
};

type Kept = {run: string; forward?: OpenedForward; closed: boolean};

/** A new run of the same container (a restart) gets a forward of its own: its port may differ. */
const runKey = (entry: ContainerEntry) => `${entry.container.startedAt?.getTime() ?? ''}:${entry.container.hostPort ?? ''}`;

/**
 * Keeps a forward open for every healthy database that this machine cannot reach directly (on an
 * ssh:// engine's host), and writes its local URL into the store for the details panel. A forward
 * is closed when its container stops, goes, or the dashboard closes. For a local engine `open`
 * answers undefined at once and nothing is kept.
 */
export function startForwardKeeper(store: DashboardStore, options: ForwardKeeperOptions): Stoppable {
	const kept = new Map<string, Kept>();
	let stopped = false;

	const release = (id: string) => {
		const entry = kept.get(id);
		if (!entry) return;
		kept.delete(id);
		entry.closed = true;
		void entry.forward?.close().catch(() => undefined);
		setForward(store, id, undefined);
	};

	const open = (id: string, entry: ContainerEntry) => {
		const keep: Kept = {run: runKey(entry), closed: false};
		kept.set(id, keep);
		options.open(entry.container).then(
			forward => {
				if (keep.closed || stopped) {
					void forward?.close().catch(() => undefined);
					return;
				}
				keep.forward = forward;
				if (forward) setForward(store, id, {url: forward.url});
			},
			(error: unknown) => {
				if (!keep.closed && !stopped) setForward(store, id, {error: describeError(error)});
			},
		);
	};

	const reconcile = (state: DashboardState) => {
		for (const [id, keep] of kept) {
			const entry = state.containers[id];
			if (entry?.container.state !== 'running' || runKey(entry) !== keep.run) release(id);
		}
		for (const [id, entry] of Object.entries(state.containers)) {
			if (kept.has(id) || entry.container.state !== 'running' || entry.health !== 'healthy' || !entry.container.connection) continue;
			open(id, entry);
		}
	};

	const unsubscribe = reconcileOnChange(store, (state, previous) => !stopped && state.containers !== previous.containers, reconcile);

	return {
		stop() {
			stopped = true;
			unsubscribe();
			for (const id of [...kept.keys()]) release(id);
		},
	};
}
