import type {ChangeEvent, ChangeFilter, ChangeStream} from '../../core/changes/types.js';
import type {Stoppable} from '../../core/streams.js';
import type {ManagedContainer} from '../../core/types.js';
import {appendChanges, median, resetChanges, setChangeStream} from '../change-buffer.js';
import type {DashboardStore} from '../create-dashboard-store.js';
import {describeError} from '../operation-runner.js';
import {selectSelectedEntry} from '../selectors.js';
import type {ContainerEntry, DashboardState} from '../state.js';
import {createBatch, type Batch} from './batch.js';
import {reconcileOnChange} from './reconcile-on-change.js';

/** Opens the change stream of a --cdc database (core/changes/open.ts once wired), or a fake in tests. */
export type ChangeOpener = (container: ManagedContainer, filter: ChangeFilter) => Promise<ChangeStream>;

/**
 * The opener until the dashboard is given the core's: the pane says so in its error line instead
 * of showing nothing. dashboard-session.tsx passes the real one to startFeeders.
 */
export const changeStreamNotAvailable: ChangeOpener = async () => {
	throw new Error('change stream not available');
};

export type ChangeFollowerOptions = {
	open: ChangeOpener;
	/** Events are gathered and written at most this often: a bulk insert delivers thousands at once. */
	flushMs?: number;
	/** Events the pane keeps (state.changeLimit unless a test says otherwise). */
	limit?: number;
	/** How many of the latest lags the median is taken over. */
	lagSamples?: number;
};

export type ChangeFollower = Stoppable & {
	/** Resolves once every stream closed so far has finished closing (its slot or binlog session gone). */
	drained(): Promise<void>;
};

type Follow = {
	key: string;
	id: string;
	stream?: ChangeStream;
	/** No longer wanted: a stream that opens after this is closed at once. */
	closed: boolean;
	events: Batch<ChangeEvent>;
	lags: number[];
	detach: Array<() => void>;
};

/** The selected database, when its change stream can be read now: --cdc, running and ready, the pane shown. */
function changeTarget(state: DashboardState): ContainerEntry | undefined {
	if (state.bottomPane !== 'changes') return undefined;
	const entry = selectSelectedEntry(state);
	if (!entry?.container.cdc || entry.container.state !== 'running' || entry.health !== 'healthy') return undefined;
	return entry;
}

/** A new run of the same container gets a stream of its own: the old one ended with the server. */
const targetKey = (entry: ContainerEntry) => `${entry.container.id}@${entry.container.startedAt?.getTime() ?? ''}`;

/**
 * Keeps one change stream open for the selected --cdc database while the Changes pane is shown,
 * and none otherwise: a stream holds a replication slot or a binlog session on the user's server.
 * It is closed when the selection moves, the pane is hidden, the container stops or restarts, and
 * when the dashboard closes; no timer runs while nothing arrives.
 */
export function startChangeFollower(store: DashboardStore, options: ChangeFollowerOptions): ChangeFollower {
	const {open, flushMs = 100, limit, lagSamples = 1000} = options;
	let current: Follow | undefined;
	let stopped = false;
	/** Opens and closes still under way: drained() waits for them, since each may hold a slot. */
	const inFlight = new Set<Promise<unknown>>();
	const track = (work: Promise<unknown>) => {
		inFlight.add(work);
		void work.finally(() => inFlight.delete(work));
	};

	const closeStream = (stream: ChangeStream) => {
		let done: Promise<void>;
		try {
			done = stream.close();
		} catch (error) {
			// A reader that throws instead of rejecting must not take the dashboard down with it.
			done = Promise.reject(error);
		}
		track(done.catch(() => undefined));
	};

	const closeCurrent = (options: {keepShown: boolean}) => {
		const follow = current;
		if (!follow) return;
		current = undefined;
		follow.closed = true;
		if (options.keepShown) follow.events.flush();
		else follow.events.cancel();
		for (const detach of follow.detach) detach();
		if (follow.stream) closeStream(follow.stream);
	};

	const write = (follow: Follow, events: ChangeEvent[]) => {
		for (const event of events) {
			if (event.commitTime === undefined) continue;
			follow.lags.push(event.receivedAt.getTime() - event.commitTime.getTime());
		}
		if (follow.lags.length > lagSamples) follow.lags.splice(0, follow.lags.length - lagSamples);
		const lastMs = follow.lags.at(-1);
		const lag = lastMs === undefined ? undefined : {lastMs, medianMs: median(follow.lags)!};
		appendChanges(store, follow.id, events, lag, limit);
	};

	const attach = (follow: Follow, stream: ChangeStream) => {
		follow.stream = stream;
		follow.detach.push(
			stream.onChange(event => {
				if (current === follow) follow.events.add(event);
			}),
			stream.onEnd(error => {
				if (current !== follow) return;
				follow.events.flush();
				setChangeStream(store, follow.id, 'ended', error ? `change stream lost: ${describeError(error)}` : 'change stream ended');
			}),
		);
		setChangeStream(store, follow.id, 'open');
	};

	const start = (entry: ContainerEntry) => {
		const id = entry.container.id;
		const follow: Follow = {key: targetKey(entry), id, closed: false, lags: [], detach: [], events: createBatch(flushMs, events => write(follow, events))};
		current = follow;
		resetChanges(store, id, 'opening');
		// No filter: the pane filters what it shows, so the counts cover every table and operation
		// and changing the filter does not cost a new slot (and the changes committed meanwhile).
		const opening = open(entry.container, {}).then(
			stream => {
				if (follow.closed) closeStream(stream);
				else attach(follow, stream);
			},
			(error: unknown) => {
				if (!follow.closed) setChangeStream(store, id, 'ended', `could not open the change stream: ${describeError(error)}`);
			},
		);
		track(opening);
	};

	const reconcile = (state: DashboardState) => {
		const entry = changeTarget(state);
		const key = entry ? targetKey(entry) : undefined;
		if (key === current?.key) return;
		const {changes} = state;
		const selected = selectSelectedEntry(state);
		// The same database stopped or restarting: keep what it sent, and say why nothing more comes.
		const sameDatabase = state.bottomPane === 'changes' && selected !== undefined && selected.container.id === changes.containerId;
		closeCurrent({keepShown: sameDatabase});
		if (entry) {
			start(entry);
		} else if (sameDatabase && changes.stream !== undefined && changes.stream !== 'ended') {
			const running = selected.container.state === 'running';
			setChangeStream(store, selected.container.id, 'ended', running ? 'waiting for the database to be ready' : 'the container is not running');
		} else if (!sameDatabase && changes.containerId !== undefined) {
			resetChanges(store, undefined);
		}
	};

	const unsubscribe = reconcileOnChange(
		store,
		(state, previous) =>
			!stopped && (state.selectedId !== previous.selectedId || state.containers !== previous.containers || state.bottomPane !== previous.bottomPane),
		reconcile,
	);

	return {
		stop() {
			stopped = true;
			unsubscribe();
			closeCurrent({keepShown: false});
		},
		async drained() {
			// A settled open may have just started a close: look again until nothing is under way.
			while (inFlight.size > 0) await Promise.all(inFlight);
		},
	};
}
