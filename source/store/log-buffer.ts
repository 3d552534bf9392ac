import type {DashboardStore} from './create-dashboard-store.js';
import {logLimit, type LogView} from './state.js';

/**
 * The selected container's log lines as a bounded ring buffer, plus where the view is: following
 * the end, or held at an absolute line position (paused, or scrolled back). Positions are absolute
 * so a held view keeps showing the same lines while new ones arrive.
 */

const total = (logs: LogView) => logs.dropped + logs.lines.length;

/** A new follow (another container, or the same one started again) starts an empty buffer. */
export function resetLogs(store: DashboardStore, containerId: string | undefined): void {
	store.setState({logs: {containerId, lines: [], dropped: 0, heldAt: undefined, note: undefined}});
}

/** Lines of a follow that is no longer the current one are dropped: they belong to another container. */
export function appendLogLines(store: DashboardStore, containerId: string, lines: readonly string[], limit = logLimit): void {
	const {logs} = store.getState();
	if (logs.containerId !== containerId || lines.length === 0) return;
	const joined = [...logs.lines, ...lines];
	const overflow = Math.max(0, joined.length - limit);
	store.setState({logs: {...logs, lines: overflow > 0 ? joined.slice(overflow) : joined, dropped: logs.dropped + overflow}});
}

export function endLogs(store: DashboardStore, containerId: string, note: string): void {
	const {logs} = store.getState();
	if (logs.containerId !== containerId || logs.note === note) return;
	store.setState({logs: {...logs, note}});
}

/**
 * Scrolls by `delta` lines (negative is up) for a pane `height` lines tall. Reaching the end
 * follows again, as in lazydocker; nothing happens when every line already fits.
 */
export function scrollLogs(store: DashboardStore, delta: number, height: number): void {
	const {logs} = store.getState();
	const end = total(logs);
	const top = logs.dropped + Math.min(height, logs.lines.length);
	if (top >= end) return;
	const next = (logs.heldAt ?? end) + delta;
	const heldAt = next >= end ? undefined : Math.max(top, next);
	if (heldAt !== logs.heldAt) store.setState({logs: {...logs, heldAt}});
}

export function scrollLogsToTop(store: DashboardStore, height: number): void {
	const {logs} = store.getState();
	scrollLogs(store, -total(logs), height);
}

export function followLogEnd(store: DashboardStore): void {
	const {logs} = store.getState();
	if (logs.heldAt !== undefined) store.setState({logs: {...logs, heldAt: undefined}});
}

/** Pause keeps the view where it is while lines keep arriving; unpause jumps back to the end. */
export function toggleLogPause(store: DashboardStore): void {
	const {logs} = store.getState();
	store.setState({logs: {...logs, heldAt: logs.heldAt === undefined ? total(logs) : undefined}});
}

export type LogWindow = {
	lines: readonly string[];
	following: boolean;
	/** Lines that arrived below a held view. */
	newBelow: number;
};

/** The lines a pane `height` lines tall shows. Pure, for the component and for tests. */
export function logWindow(logs: LogView, height: number): LogWindow {
	const end = total(logs);
	if (height <= 0) return {lines: [], following: logs.heldAt === undefined, newBelow: 0};
	// A held position whose lines fell off the ring is moved to the oldest lines still kept.
	const bottom = logs.heldAt === undefined ? end : Math.max(logs.heldAt, logs.dropped + Math.min(height, logs.lines.length));
	const from = Math.max(logs.dropped, bottom - height);
	return {
		lines: logs.lines.slice(from - logs.dropped, bottom - logs.dropped),
		following: logs.heldAt === undefined,
		newBelow: end - bottom,
	};
}
