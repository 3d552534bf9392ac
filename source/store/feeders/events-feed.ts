import type {ContainerManager} from '../../core/lifecycle.js';
import {NotFoundError} from '../../core/errors.js';
import type {ContainerEvent, EngineStreams, EventsState, Stoppable} from '../../core/streams.js';
import {removeContainer, replaceContainers, setEngineProduct, setEngineState, upsertContainer} from '../container-actions.js';
import type {DashboardStore} from '../create-dashboard-store.js';

export type EventsFeedOptions = {
	manager: Pick<ContainerManager, 'list' | 'find' | 'engineIdentity'>;
	feeds: Pick<EngineStreams, 'watchEvents'>;
	/** How long the stream may stay down before the engine counts as unreachable rather than reconnecting. */
	unreachableAfterMs?: number;
	/** How long to wait before trying a failed resync again while the stream is up. */
	resyncRetryMs?: number;
};

/**
 * Keeps the store's containers equal to the engine's, driven by the event stream instead of
 * polling: a full list on every (re)connection (events were missed meanwhile), then one inspect
 * per event for the container it names. Runs until stop(), across engine restarts.
 */
export function startEventsFeed(store: DashboardStore, options: EventsFeedOptions): Stoppable {
	const {manager, feeds, unreachableAfterMs = 2000, resyncRetryMs = 2000} = options;
	let stopped = false;
	let connected = false;
	let unreachableTimer: NodeJS.Timeout | undefined;
	let retryTimer: NodeJS.Timeout | undefined;
	/** Bumped per event, so a resync knows which containers changed while it was listing. */
	let sequence = 0;
	const lastEvent = new Map<string, number>();
	/** Ids never come back once destroyed; an inspect that answers late must not resurrect one. */
	const destroyed = new Set<string>();
	const inFlight = new Set<string>();
	const dirty = new Set<string>();

	const refresh = async (id: string): Promise<void> => {
		// One inspect per container at a time; events arriving meanwhile ask for one more after it.
		if (inFlight.has(id)) {
			dirty.add(id);
			return;
		}
		inFlight.add(id);
		try {
			const container = await manager.find(id);
			if (!stopped && !destroyed.has(id)) upsertContainer(store, container);
		} catch (error) {
			// Gone between the event and the inspect. Any other failure (engine going away) is
			// repaired by the resync that follows the reconnection.
			if (!stopped && error instanceof NotFoundError) removeContainer(store, id);
		} finally {
			inFlight.delete(id);
			if (dirty.delete(id) && !stopped) void refresh(id);
		}
	};

	const resync = async (): Promise<void> => {
		clearTimeout(retryTimer);
		const startedAt = sequence;
		try {
			const list = await manager.list({all: true});
			if (stopped || !connected) return;
			const newer = new Set([...lastEvent].filter(([, at]) => at > startedAt).map(([id]) => id));
			replaceContainers(
				store,
				list.filter(container => !destroyed.has(container.id)),
				newer,
			);
			// What happened before the list is in the list now; only newer bookkeeping is still needed.
			for (const [id, at] of lastEvent) {
				if (at > startedAt) continue;
				lastEvent.delete(id);
				destroyed.delete(id);
			}
		} catch {
			if (!stopped && connected) retryTimer = setTimeout(() => void resync(), resyncRetryMs);
		}
	};

	const onEvent = (event: ContainerEvent) => {
		lastEvent.set(event.id, ++sequence);
		if (event.action === 'destroy') {
			destroyed.add(event.id);
			removeContainer(store, event.id);
			return;
		}
		void refresh(event.id);
	};

	const onState = (state: EventsState) => {
		clearTimeout(unreachableTimer);
		connected = state === 'connected';
		if (state === 'connected') {
			setEngineState(store, 'connected');
			void resync();
			// Asked on every connection: what answers at the address after a restart may be another
			// engine or version. An engine that does not say leaves the name out; nothing else needs it.
			manager.engineIdentity().then(
				({product, version}) => {
					if (!stopped) setEngineProduct(store, `${product} ${version}`);
				},
				() => undefined,
			);
			return;
		}
		setEngineState(store, state);
		// The watcher retries forever; after a while of failing, say what it most likely means.
		unreachableTimer = setTimeout(() => {
			if (!stopped) setEngineState(store, 'unreachable');
		}, unreachableAfterMs);
	};

	const watcher = feeds.watchEvents({onEvent, onState});

	return {
		stop() {
			stopped = true;
			clearTimeout(unreachableTimer);
			clearTimeout(retryTimer);
			watcher.stop();
		},
	};
}
