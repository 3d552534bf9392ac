import type {CdcStatus} from '../core/cdc.js';
import type {ChangeEvent, ChangeOperation} from '../core/changes/types.js';
import type {Health, ManagedContainer} from '../core/types.js';
import type {Vitals} from '../core/vitals/read-vitals.js';

/**
 * Everything the dashboard shows, in one place. Feeders write the Docker side (containers,
 * health, stats, logs, engine state); keys write the view side (selection, filter, overlays).
 * Components read it through narrow selectors and never hold a copy of the truth.
 */

/** connecting: first contact; reconnecting: the event stream dropped and is being retried;
 * unreachable: it has stayed down for a while (the engine is most likely gone). */
export type EngineState = 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

export type ContainerEntry = {
	container: ManagedContainer;
	/** dbarena's readiness (a real login), not the engine's health check. */
	health: Health;
};

/** Kept apart from the entries so a stats sample (every second) does not look like a lifecycle change. */
export type ContainerStats = {
	cpuPercent: number;
	memoryUsedBytes: number;
	memoryLimitBytes: number;
};

/** An action the user started on a container and that has not finished yet. */
export type Operation = 'creating' | 'starting' | 'stopping' | 'restarting' | 'destroying' | 'resetting' | 'snapshotting';

/** A create in progress, shown as a row of its own until the engine knows the container. */
export type CreateProgress = {
	name: string;
	database: string;
	version: string;
	/** What it is doing right now, in the command line's words (core/progress-words.ts): "Waiting for healthy... (2.1s)". */
	phase: string;
};

/**
 * The log lines of the selected container: a ring buffer of at most `logLimit` lines. Positions
 * are absolute (counted since the follow began) so that a held view stays on the same lines while
 * new ones arrive and old ones fall off the front.
 */
export type LogView = {
	containerId: string | undefined;
	lines: readonly string[];
	/** How many lines fell off the front: the absolute position of lines[0]. */
	dropped: number;
	/** Undefined while following; otherwise the absolute position just below the last line shown. */
	heldAt: number | undefined;
	/** Why the stream ended ("container stopped", an error), shown under the last line. */
	note: string | undefined;
};

export type StatusTone = 'info' | 'success' | 'error' | 'progress';

export type StatusMessage = {
	text: string;
	tone: StatusTone;
};

export type Overlay =
	| {kind: 'help'}
	| {kind: 'create'}
	/** step container: "destroy it?"; step volume: the separate choice about its data. */
	| {kind: 'confirm-destroy'; name: string; volume: string | undefined; step: 'container' | 'volume'}
	/** R: "reset it?"; with a volume the question says its data will be deleted. */
	| {kind: 'confirm-reset'; name: string; volume: string | undefined; running: boolean};

/**
 * The CDC settings of the selected --cdc container, as the server reports them (the CDC poller
 * reads them only for that one container, only while it runs).
 */
export type CdcView = {
	containerId: string;
	/** Undefined until the first read answers, or when the read failed. */
	status: CdcStatus | undefined;
	/** Why the last read failed. */
	error: string | undefined;
};

/**
 * The database's own vitals (connections, commits, cache, size, slots or binlog), sampled by the
 * vitals sampler only for the selected running database while its details are on screen.
 */
export type VitalsView = {
	containerId: string;
	/** The last sample; undefined before the first answer and after a failed one. */
	vitals: Vitals | undefined;
	/** From the last two samples of the same run; null until there are two. */
	commitsPerSecond: number | null;
	/** Why the last sample failed ("vitals unavailable: …"). */
	error: string | undefined;
};

/**
 * A local port forwarded to a healthy database on an ssh:// engine's host, kept while the
 * dashboard runs: the URL a client on this machine uses, or why the forward could not be opened.
 */
export type ForwardView = {url: string; error?: undefined} | {url?: undefined; error: string};

/**
 * A write load the dashboard runs on a container (w): how it is going, refreshed about once a
 * second while it runs, gone when it stops.
 */
export type LoadView = {name: string; rate: number; ops: number; achievedRate: number};

export type Focus = 'table' | 'logs';

/** What the pane beside the details shows: the selected container's log, or its change stream (C). */
export type BottomPane = 'logs' | 'changes';

/** Events of each operation, per table. */
export type ChangeCounts = Readonly<Record<string, Readonly<Record<ChangeOperation, number>>>>;

/**
 * The change stream of the selected --cdc container while the Changes pane is shown: the last
 * `changeLimit` events as a ring buffer, and counts and lag over everything since the stream
 * opened (not only what is still in the ring).
 */
export type ChangesView = {
	containerId: string | undefined;
	events: readonly ChangeEvent[];
	/** How many events fell off the front of the ring. */
	dropped: number;
	counts: ChangeCounts;
	/** Commit to receipt (receivedAt - commitTime) of the last event that had a commit time, and the median of the recent ones. */
	lag: {lastMs: number; medianMs: number} | undefined;
	/** opening: the opener has not answered yet; open: events may come; ended: the stream is closed or failed (see note). */
	stream: 'opening' | 'open' | 'ended' | undefined;
	/** Why the stream ended or could not open, shown as the pane's last line. */
	note: string | undefined;
};

/** The Changes pane's filter, like `dbarena changes --op/--table`; applied to what is shown, not to what is counted. */
export type ChangesFilter = {operation?: ChangeOperation; table?: string};

export type DashboardState = {
	/**
	 * foundBy: how the engine was found when it was not DOCKER_HOST (a docker context, Podman's socket…);
	 * product: which engine answered at the last connection, with its version ("Podman 4.3.1").
	 */
	engine: {state: EngineState; address: string; foundBy?: string; product?: string};
	/** By container id. */
	containers: Readonly<Record<string, ContainerEntry>>;
	/** By container id; only running containers have stats. */
	stats: Readonly<Record<string, ContainerStats>>;
	/** By container name: ids are not known before a create has made the container. */
	operations: Readonly<Record<string, Operation>>;
	/** By container name. */
	creates: Readonly<Record<string, CreateProgress>>;
	selectedId: string | undefined;
	filter: string;
	/** The filter prompt has the keyboard. */
	filterEditing: boolean;
	/** Stopped and exited containers too (the default), or running ones only. */
	showAll: boolean;
	showDetails: boolean;
	focus: Focus;
	bottomPane: BottomPane;
	logs: LogView;
	changes: ChangesView;
	/** Kept across selections: a developer watching one table keeps watching it on the next database. */
	changesFilter: ChangesFilter;
	message: StatusMessage | undefined;
	overlay: Overlay | undefined;
	/** Only ever for the selected container; undefined when it has no CDC or is not running. */
	cdc: CdcView | undefined;
	/** By container id: forwards to databases this machine cannot reach directly (remote engines only). */
	forwards: Readonly<Record<string, ForwardView>>;
	/** By container id: the write loads running (w starts and stops one on the selected container). */
	loads: Readonly<Record<string, LoadView>>;
	/** Only ever for the selected container, while its details are on screen. */
	vitals: VitalsView | undefined;
	/**
	 * How many rows the table has room for, set by the screen's layout; undefined before the first
	 * frame (and without a screen), when every row counts as shown. The stats sampler follows only
	 * the rows on screen.
	 */
	tableRows: number | undefined;
};

/** Enough to scroll back through a database's start-up, small enough to copy on every flush. */
export const logLimit = 1000;

/** Events the Changes pane keeps: far more than a screen, few enough to copy on every flush under a steady load. */
export const changeLimit = 1000;

export const emptyChanges: ChangesView = {
	containerId: undefined,
	events: [],
	dropped: 0,
	counts: {},
	lag: undefined,
	stream: undefined,
	note: undefined,
};

export function initialState(address: string, foundBy?: string): DashboardState {
	return {
		engine: {state: 'connecting', address, ...(foundBy ? {foundBy} : {})},
		containers: {},
		stats: {},
		operations: {},
		creates: {},
		selectedId: undefined,
		filter: '',
		filterEditing: false,
		showAll: true,
		showDetails: true,
		focus: 'table',
		bottomPane: 'logs',
		logs: {containerId: undefined, lines: [], dropped: 0, heldAt: undefined, note: undefined},
		changes: emptyChanges,
		changesFilter: {},
		message: undefined,
		overlay: undefined,
		cdc: undefined,
		forwards: {},
		loads: {},
		vitals: undefined,
		tableRows: undefined,
	};
}
