import type {Stoppable} from '../../core/streams.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import {describeError} from '../operation-runner.js';
import type {ContainerEntry, DashboardState} from '../state.js';
import {reconcileOnChange} from './reconcile-on-change.js';

/** What one kind of reading of the selected container needs (the CDC settings, the vitals). */
export type SelectedPoll<T> = {
	/** The container to read now, or none (nothing runs then, not even a timer). */
	target(state: DashboardState): ContainerEntry | undefined;
	/** Which changes of the store can change the target. */
	relevant(state: DashboardState, previous: DashboardState): boolean;
	/** One read at a time, and at most one per this many ms. */
	intervalMs: number;
	/** One read; a failure is delivered as its words. */
	read(entry: ContainerEntry): Promise<T>;
	/** An answer, only while the container it was read from is still the target. */
	deliver(id: string, outcome: {value: T; error?: undefined} | {value?: undefined; error: string}): void;
	/** The target changed (to `entry`, or to none): drop what belonged to the old one. */
	retarget(entry: ContainerEntry | undefined, state: DashboardState): void;
	/** The poller stopped (the dashboard is closing). */
	stopped?(): void;
};

/** A new run of the same container is a new target: its first read should not wait, its counters start over. */
const targetKey = (entry: ContainerEntry) => `${entry.container.id}@${entry.container.startedAt?.getTime() ?? ''}`;

/**
 * Reads something of the selected container again and again while it is the target: one read at
 * a time, the next `intervalMs` after the last one began. A change of target stops the reads at
 * once, and an answer that comes back after it (or after stop) is dropped as stale.
 */
export function pollSelected<T>(store: DashboardStore, poll: SelectedPoll<T>): Stoppable {
	let key: string | undefined;
	let generation = 0;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;

	const once = async (run: number, id: string) => {
		timer = undefined;
		const entry = store.getState().containers[id];
		if (!entry || stopped || run !== generation) return;
		const began = performance.now();
		let outcome: {value: T} | {error: string};
		try {
			outcome = {value: await poll.read(entry)};
		} catch (caught) {
			outcome = {error: describeError(caught)};
		}
		if (stopped || run !== generation) return;
		poll.deliver(id, outcome);
		timer = setTimeout(
			() => {
				void once(run, id);
			},
			Math.max(0, began + poll.intervalMs - performance.now()),
		);
	};

	const reconcile = (state: DashboardState) => {
		const entry = poll.target(state);
		const next = entry ? targetKey(entry) : undefined;
		if (next === key) return;
		key = next;
		generation += 1;
		clearTimeout(timer);
		timer = undefined;
		poll.retarget(entry, state);
		if (entry) void once(generation, entry.container.id);
	};

	const unsubscribe = reconcileOnChange(store, (state, previous) => !stopped && poll.relevant(state, previous), reconcile);

	return {
		stop() {
			stopped = true;
			generation += 1;
			unsubscribe();
			clearTimeout(timer);
			timer = undefined;
			poll.stopped?.();
		},
	};
}
