import {defaultLoadOptions} from '../core/load/options.js';
import type {LoadProgress, LoadSummary} from '../core/load/run.js';
import type {ManagedContainer} from '../core/types.js';
import {applyChange} from './apply-change.js';
import {withoutKey} from './container-actions.js';
import type {DashboardStore} from './create-dashboard-store.js';
import {describeError} from './operation-runner.js';
import {setMessage} from './view-actions.js';

/** What the dashboard's loads need of the core: a load on a container (core/load/container-load.ts). */
export type LoadCore = {
	load(container: ManagedContainer, control: {signal: AbortSignal; onProgress: (progress: LoadProgress) => void}): Promise<LoadSummary>;
};

export type LoadControl = {
	/** w: a load (the command's defaults) on this running container, or stop the one it has. */
	toggle(container: ManagedContainer): void;
	/** Stop every load and wait for them to end (at most timeoutMs): the dashboard is quitting. */
	shutdown(timeoutMs?: number): Promise<void>;
};

/** The store is told at most this often how a load goes: the rate hardly moves faster, and redraws cost. */
const refreshEveryMs = 1000;

const ms = (value: number) => `${value.toFixed(1)} ms`;

function summaryWords(name: string, summary: LoadSummary, why: string): string {
	const latency = summary.latencyMs ? `, commit p50 ${ms(summary.latencyMs.p50)} p99 ${ms(summary.latencyMs.p99)}` : '';
	return `Load on ${name} ${why}: ${summary.ops.total} writes in ${summary.elapsedSeconds.toFixed(1)} s, ${summary.achievedRate.toFixed(1)}/s${latency}`;
}

/**
 * The dashboard's write loads, one at most per container. A load stops by the key, when its
 * container stops or goes away (the store says so), or when the dashboard quits; its summary (or
 * its error) goes to the status line.
 */
export function createLoadControl(store: DashboardStore, core: LoadCore): LoadControl {
	const running = new Map<string, {controller: AbortController; done: Promise<void>; why: string}>();

	const set = (id: string, view: LoadProgress | undefined, name: string) => {
		applyChange(store, state => {
			if (view === undefined) return id in state.loads ? {loads: withoutKey(state.loads, id)} : undefined;
			return {loads: {...state.loads, [id]: {name, rate: defaultLoadOptions.rate, ops: view.ops, achievedRate: view.achievedRate}}};
		});
	};

	const stop = (id: string, why: string) => {
		const load = running.get(id);
		if (!load || load.controller.signal.aborted) return;
		load.why = why;
		load.controller.abort();
	};

	// A container that stopped, went away or was replaced takes its load with it; so does one that
	// is about to (s, r, R, d from this dashboard), before its server goes and the writes fail.
	const unsubscribe = store.subscribe(state => {
		for (const id of running.keys()) {
			const entry = state.containers[id];
			const busy = entry ? state.operations[entry.container.name] : undefined;
			if (!entry) stop(id, 'stopped: the container is gone');
			else if (entry.container.state !== 'running') stop(id, `stopped: the container is ${entry.container.state}`);
			else if (busy !== undefined && busy !== 'snapshotting') stop(id, `stopped: the container is ${busy}`);
		}
	});

	return {
		toggle(container) {
			const {id, name} = container;
			if (running.has(id)) {
				stop(id, 'stopped');
				return;
			}
			if (container.state !== 'running') {
				setMessage(store, `w does not apply: ${name} is not running (s starts it)`);
				return;
			}
			const controller = new AbortController();
			let refreshed = Number.NEGATIVE_INFINITY;
			set(id, {ops: 0, elapsedMs: 0, achievedRate: 0}, name);
			setMessage(store, `Load on ${name}: ${defaultLoadOptions.rate} writes/s into dbarena_load_1 (w stops it)`, 'progress');
			const load = {controller, why: 'stopped', done: Promise.resolve()};
			load.done = core
				.load(container, {
					signal: controller.signal,
					onProgress(progress) {
						if (progress.elapsedMs - refreshed < refreshEveryMs) return;
						refreshed = progress.elapsedMs;
						set(id, progress, name);
					},
				})
				.then(
					summary => ({words: summaryWords(name, summary, load.why), kind: 'success' as const}),
					(error: unknown) => {
						// A load stopped because its container stopped may see the server go first: that is no failure.
						const quiet = controller.signal.aborted && load.why !== 'stopped';
						return quiet
							? {words: `Load on ${name} ${load.why}`, kind: 'info' as const}
							: {words: `Load on ${name} failed: ${describeError(error)}`, kind: 'error' as const};
					},
				)
				.then(({words, kind}) => {
					// The running load leaves the status line before its summary is in it: a frame with
					// both would show a load that has already ended.
					running.delete(id);
					set(id, undefined, name);
					setMessage(store, words, kind);
				});
			running.set(id, load);
		},

		async shutdown(timeoutMs = 5000) {
			unsubscribe();
			for (const id of running.keys()) stop(id, 'stopped');
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				Promise.allSettled([...running.values()].map(async load => load.done)),
				new Promise<void>(resolve => {
					timer = setTimeout(resolve, timeoutMs);
				}),
			]);
			clearTimeout(timer);
		},
	};
}
