import type {DashboardStore} from '../store/create-dashboard-store.js';
import {followLogEnd, scrollLogs, scrollLogsToTop, toggleLogPause} from '../store/log-buffer.js';
import type {DashboardOperations} from '../store/operations.js';
import {cycleChangeOperation, cycleChangeTable} from '../store/change-buffer.js';
import {setFocus, setMessage, toggleChangesPane} from '../store/view-actions.js';

/** What a key's handler works with: the store and operations, and what only the screen knows. */
export type KeyActionContext = {
	store: DashboardStore;
	operations: DashboardOperations;
	/** Lines the log pane shows: a page for PgUp/PgDn. */
	pageSize: number;
	quit: () => void;
};

/**
 * Handlers only call actions: what they do to containers runs in the background and reports in
 * the status line, so no key ever blocks the screen.
 */
export type KeyHandler = (context: KeyActionContext) => void;

// The handlers that decide something; the one-call ones are written in the keymap itself.

/** A page keeps one line of the last one on screen, so the eye has somewhere to continue from. */
export function scrollLogPage(direction: -1 | 1): KeyHandler {
	return ({store, pageSize}) => {
		scrollLogs(store, direction * Math.max(1, pageSize - 1), pageSize);
	};
}

export const scrollLogsToOldest: KeyHandler = ({store, pageSize}) => {
	scrollLogsToTop(store, pageSize);
};

export const followLogs: KeyHandler = ({store}) => {
	followLogEnd(store);
};

export const focusLogs: KeyHandler = ({store}) => {
	if (store.getState().bottomPane === 'changes') {
		setMessage(store, 'The Changes pane follows the newest changes; C shows the logs again');
		return;
	}
	if (store.getState().selectedId === undefined) {
		setMessage(store, 'No container selected, so there are no logs to focus');
		return;
	}
	setFocus(store, 'logs');
	// The log pane's keys are not on the hint line, which is for the table.
	setMessage(store, 'Logs: ↑↓ j k scroll · PgUp PgDn page · g G oldest/newest · p pause · esc or l back');
};

export const focusTable: KeyHandler = ({store}) => {
	setFocus(store, 'table');
};

export const pauseOrFollowLogs: KeyHandler = ({store}) => {
	if (store.getState().logs.containerId === undefined) {
		setMessage(store, 'No logs to pause: select a container first');
		return;
	}
	toggleLogPause(store);
	setMessage(store, store.getState().logs.heldAt === undefined ? 'Following the logs' : 'Logs paused: p or End follows again');
};

/** esc on the table clears nothing: the filter's own prompt does that, so say where it is. */
export const remindOfFilter: KeyHandler = ({store}) => {
	const {filter} = store.getState();
	if (filter) setMessage(store, `Filter "${filter}" is on: press / then esc to clear it`);
};

export const toggleChanges: KeyHandler = ({store}) => {
	toggleChangesPane(store);
	// Its keys are not on the hint line, which is for the table: say them once, as l does for the logs.
	if (store.getState().bottomPane === 'changes') setMessage(store, 'Changes: o cycles the operation · t cycles the table · C back to the logs');
	else setMessage(store, 'Logs (C shows the changes again)');
};

/** o and t do nothing to a pane that is not shown: say where they work instead of changing an unseen filter. */
function changesShown(store: KeyActionContext['store']): boolean {
	if (store.getState().bottomPane === 'changes') return true;
	setMessage(store, 'o and t filter the Changes pane: press C to show it');
	return false;
}

export const cycleChangesOperation: KeyHandler = ({store}) => {
	if (!changesShown(store)) return;
	const operation = cycleChangeOperation(store);
	setMessage(store, operation ? `Changes: only ${operation}s (o: next operation)` : 'Changes: every operation');
};

export const cycleChangesTable: KeyHandler = ({store}) => {
	if (!changesShown(store)) return;
	if (Object.keys(store.getState().changes.counts).length === 0 && store.getState().changesFilter.table === undefined) {
		setMessage(store, 'No table has changed yet: t cycles through the tables that have');
		return;
	}
	const table = cycleChangeTable(store);
	setMessage(store, table ? `Changes: only ${table} (t: next table)` : 'Changes: every table');
};
