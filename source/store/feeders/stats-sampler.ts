import type {EngineStreams, StatsFollower, Stoppable} from '../../core/streams.js';
import {clearStats, setStats} from '../container-actions.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import {selectShownIds} from '../selectors.js';
import type {ContainerStats, DashboardState} from '../state.js';
import {reconcileOnChange} from './reconcile-on-change.js';

export type StatsSamplerOptions = {
	feeds: Pick<EngineStreams, 'followStats'>;
	/**
	 * At most one store update per this many ms, for all containers together, and at most one
	 * sample per container in that time. Two seconds rather than the engine's one: every update
	 * repaints the whole screen (Ink has no partial repaint, about 20 ms of CPU at 120x40).
	 */
	minIntervalMs?: number;
	/**
	 * The rows on screen other than the selected one are asked this often: their figures are
	 * averages over a longer window, and thirty idle rows then cost the engine and the dashboard a
	 * fifth of the work (issue 19: the idle dashboard, engine included, within 1 % of a core).
	 */
	rowIntervalMs?: number;
	/**
	 * Small changes (an idle database's flicker, see statsChanged) are written only this often;
	 * meaningful ones at the next flush.
	 */
	refreshMs?: number;
	/** Wait before following again a running container whose stream ended by itself. */
	retryMs?: number;
};

/**
 * Stats for each running container on screen (the table's rows, and the selected one), asked once
 * per interval (FollowStatsOptions.poll: the selected one every minIntervalMs, the other rows every
 * rowIntervalMs) and stopped as soon as it stops or scrolls out of view: a stream per running
 * container made the engine read and send thirty idle databases' cgroups every second, 2.35 % of a
 * core (issue 19). Rows off screen are not sampled at all, and their figures
 * are cleared so a row that scrolls back shows "-" until it is sampled rather than an old figure.
 * Samples of all rows are gathered and written in one update per interval, so ten containers cost
 * one render, not ten.
 */
export function startStatsSampler(store: DashboardStore, options: StatsSamplerOptions): Stoppable {
	const {feeds, minIntervalMs = 2000, rowIntervalMs = 10_000, refreshMs = 30_000, retryMs = 2000} = options;
	const followers = new Map<string, StatsFollower>();
	let selectedId = store.getState().selectedId;
	const pending = new Map<string, ContainerStats>();
	const retries = new Map<string, NodeJS.Timeout>();
	let flushTimer: NodeJS.Timeout | undefined;
	let lastFlush = Number.NEGATIVE_INFINITY;
	let stopped = false;

	let lastRefresh = Date.now();

	const flush = () => {
		flushTimer = undefined;
		if (stopped || pending.size === 0) return;
		lastFlush = Date.now();
		const force = lastFlush - lastRefresh >= refreshMs;
		if (force) lastRefresh = lastFlush;
		const samples = new Map(pending);
		pending.clear();
		setStats(store, samples, {force});
	};

	const offer = (id: string, sample: ContainerStats) => {
		pending.set(id, sample);
		if (flushTimer !== undefined) return;
		const wait = lastFlush + minIntervalMs - Date.now();
		if (wait <= 0) flush();
		else flushTimer = setTimeout(flush, wait);
	};

	const isRunning = (state: DashboardState, id: string) => state.containers[id]?.container.state === 'running';
	/** The running containers whose figures are on screen. */
	const wanted = (state: DashboardState) => {
		const ids = new Set(selectShownIds(state));
		if (state.selectedId !== undefined) ids.add(state.selectedId);
		return new Set([...ids].filter(id => isRunning(state, id)));
	};

	const follow = (id: string) => {
		const follower = feeds.followStats(
			id,
			sample => {
				offer(id, {cpuPercent: sample.cpuPercent, memoryUsedBytes: sample.memoryUsedBytes, memoryLimitBytes: sample.memoryLimitBytes});
			},
			{
				minIntervalMs,
				// One answer per interval: a stream would make the engine read and send every second.
				poll: true,
				nextAskMs: () => (id === selectedId ? minIntervalMs : rowIntervalMs),
				onEnd() {
					// Ended by itself: the container stopped or went away, or the engine did. The store
					// says which; if it still runs, try again a little later rather than in a tight loop.
					if (followers.get(id) !== follower) return;
					followers.delete(id);
					pending.delete(id);
					if (stopped || !wanted(store.getState()).has(id)) return;
					retries.set(
						id,
						setTimeout(() => {
							retries.delete(id);
							reconcile(store.getState());
						}, retryMs),
					);
				},
			},
		);
		followers.set(id, follower);
	};

	const reconcile = (state: DashboardState) => {
		if (state.selectedId !== selectedId) {
			selectedId = state.selectedId;
			if (selectedId !== undefined) followers.get(selectedId)?.soon();
		}
		const ids = wanted(state);
		for (const [id, follower] of followers) {
			if (ids.has(id)) continue;
			follower.stop();
			followers.delete(id);
			pending.delete(id);
			clearStats(store, id);
		}
		for (const [id, timer] of retries) {
			if (ids.has(id)) continue;
			clearTimeout(timer);
			retries.delete(id);
		}
		for (const id of ids) {
			if (!followers.has(id) && !retries.has(id)) follow(id);
		}
	};

	const unsubscribe = reconcileOnChange(
		store,
		(state, previous) =>
			!stopped &&
			(state.containers !== previous.containers ||
				state.selectedId !== previous.selectedId ||
				state.tableRows !== previous.tableRows ||
				state.filter !== previous.filter ||
				state.showAll !== previous.showAll),
		reconcile,
	);

	return {
		stop() {
			stopped = true;
			unsubscribe();
			clearTimeout(flushTimer);
			for (const timer of retries.values()) clearTimeout(timer);
			for (const follower of followers.values()) follower.stop();
			followers.clear();
		},
	};
}
