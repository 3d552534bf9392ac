import type {EngineStreams, Stoppable} from '../../core/streams.js';
import {appendLogLines, endLogs, resetLogs} from '../log-buffer.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import type {DashboardState} from '../state.js';
import {createBatch, type Batch} from './batch.js';
import {reconcileOnChange} from './reconcile-on-change.js';

export type LogFollowerOptions = {
	feeds: Pick<EngineStreams, 'followLogs'>;
	/** Lines of history to show when a container is selected. */
	tail?: number;
	/** Lines are gathered and written at most this often: a database at start-up logs hundreds at once. */
	flushMs?: number;
};

// CSI and OSC sequences, then the remaining C0/C1 controls: a log line must not move the cursor
// or recolour the rest of the screen.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these patterns match terminal control sequences on purpose
const escapes = /\u001B\[[\d;?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-Z\\-_]|[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** What a log line looks like once it is safe to draw in a fixed-size pane. */
export function sanitizeLogLine(line: string): string {
	return line.replaceAll('\t', '    ').replace(escapes, '');
}

type Follow = {key: string; id: string; follower: Stoppable; ended: boolean; lines: Batch<string>};

/**
 * Follows the logs of the selected container only, into the store's ring buffer. It starts again
 * when the selection changes or the selected container starts a new run (its old stream ended
 * when it stopped), and after the engine comes back if its stream was cut.
 */
export function startLogFollower(store: DashboardStore, options: LogFollowerOptions): Stoppable {
	const {feeds, tail = 200, flushMs = 100} = options;
	let current: Follow | undefined;
	let stopped = false;

	/** A stopped container keeps its run's key: its ended stream already holds all there is. */
	const keyOf = (state: DashboardState): string | undefined => {
		const id = state.selectedId;
		const container = id === undefined ? undefined : state.containers[id]?.container;
		if (!id || !container) return undefined;
		if (container.state !== 'running') return current?.id === id ? current.key : `${id}@stopped`;
		return `${id}@${container.startedAt?.getTime() ?? 0}`;
	};

	const stopCurrent = () => {
		current?.lines.flush();
		current?.follower.stop();
		current = undefined;
	};

	const start = (key: string, id: string) => {
		stopCurrent();
		resetLogs(store, id);
		const follow: Follow = {key, id, ended: false, follower: {stop() {}}, lines: createBatch(flushMs, lines => appendLogLines(store, id, lines))};
		current = follow;
		follow.follower = feeds.followLogs(id, {
			tail,
			onLine(line) {
				if (current !== follow) return;
				follow.lines.add(sanitizeLogLine(line));
			},
			onEnd(error) {
				if (current !== follow) return;
				follow.lines.flush();
				follow.ended = true;
				endLogs(store, id, error ? `log stream lost: ${error.message}` : 'end of log: the container is not running');
			},
		});
	};

	const reconcile = (state: DashboardState, previous?: DashboardState) => {
		const key = keyOf(state);
		if (key === undefined) {
			if (current) {
				stopCurrent();
				resetLogs(store, undefined);
			}
			return;
		}
		const reconnected = previous !== undefined && state.engine.state === 'connected' && previous.engine.state !== 'connected';
		if (key !== current?.key || (reconnected && current.ended && state.containers[current.id]?.container.state === 'running')) {
			start(key, state.selectedId!);
		}
	};

	const unsubscribe = reconcileOnChange(
		store,
		(state, previous) => !stopped && (state.selectedId !== previous.selectedId || state.containers !== previous.containers || state.engine !== previous.engine),
		reconcile,
	);

	return {
		stop() {
			stopped = true;
			unsubscribe();
			stopCurrent();
		},
	};
}
