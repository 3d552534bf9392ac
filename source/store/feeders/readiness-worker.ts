import type {ContainerManager} from '../../core/lifecycle.js';
import type {Stoppable} from '../../core/streams.js';
import {setHealth} from '../container-actions.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import type {DashboardState} from '../state.js';
import {reconcileOnChange} from './reconcile-on-change.js';

export type ReadinessWorkerOptions = {
	manager: Pick<ContainerManager, 'health'>;
	/** Between probes of a starting container: the same cadence as `dbarena create` waits with. */
	intervalMs?: number;
	/**
	 * Between probes of an unhealthy one. It may still come up (a slow first start), but it is not
	 * worth a probe four times a second.
	 */
	unhealthyIntervalMs?: number;
};

type Worker = {run: number | undefined; cancelled: boolean; timer?: NodeJS.Timeout};

const runOf = (state: DashboardState, id: string) => state.containers[id]?.container.startedAt?.getTime();

/**
 * Proves readiness with a real login for every running container that is not known to be healthy:
 * a new one, one just (re)started (the store sets those back to 'starting'), one unhealthy. When
 * every container is healthy or stopped nothing runs at all.
 */
export function startReadinessWorker(store: DashboardStore, options: ReadinessWorkerOptions): Stoppable {
	const {manager, intervalMs = 250, unhealthyIntervalMs = 5000} = options;
	const workers = new Map<string, Worker>();
	let stopped = false;

	const cancel = (id: string) => {
		const worker = workers.get(id);
		if (!worker) return;
		worker.cancelled = true;
		clearTimeout(worker.timer);
		workers.delete(id);
	};

	const loop = async (id: string, worker: Worker) => {
		while (!worker.cancelled) {
			const entry = store.getState().containers[id];
			if (!entry || entry.container.startedAt?.getTime() !== worker.run) return;
			// health() never throws for a failed probe; anything else counts as still starting.
			const health = await manager.health(entry.container).catch(() => 'starting' as const);
			if (worker.cancelled) return;
			// Healthy or stopped ends this worker through the subscription below.
			setHealth(store, id, entry.container.startedAt, health);
			if (health === 'healthy' || health === 'stopped') return;
			await new Promise<void>(resolve => {
				worker.timer = setTimeout(resolve, health === 'unhealthy' ? unhealthyIntervalMs : intervalMs);
			});
		}
	};

	const reconcile = (state: DashboardState) => {
		for (const id of workers.keys()) {
			const entry = state.containers[id];
			if (entry?.container.state !== 'running' || entry.health === 'healthy' || runOf(state, id) !== workers.get(id)?.run) cancel(id);
		}
		for (const [id, entry] of Object.entries(state.containers)) {
			if (workers.has(id) || entry.container.state !== 'running' || entry.health === 'healthy' || entry.health === 'stopped') continue;
			const worker: Worker = {run: runOf(state, id), cancelled: false};
			workers.set(id, worker);
			void loop(id, worker).finally(() => {
				if (workers.get(id) === worker) workers.delete(id);
			});
		}
	};

	const unsubscribe = reconcileOnChange(store, (state, previous) => !stopped && state.containers !== previous.containers, reconcile);

	return {
		stop() {
			stopped = true;
			unsubscribe();
			for (const id of [...workers.keys()]) cancel(id);
		},
	};
}
