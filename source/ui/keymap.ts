import {moveSelection, openOverlay, startFilter, toggleDetails, toggleShowAll} from '../store/view-actions.js';
import {scrollLogs} from '../store/log-buffer.js';
import {
	cycleChangesOperation,
	cycleChangesTable,
	focusLogs,
	focusTable,
	followLogs,
	pauseOrFollowLogs,
	remindOfFilter,
	scrollLogPage,
	scrollLogsToOldest,
	toggleChanges,
	type KeyHandler,
} from './key-actions.js';
import type {KeyName} from './key-names.js';

/**
 * Where a key is heard. The main keys listen while no overlay or prompt has the keyboard: 'table'
 * and 'logs' say which pane has focus. 'always' keys are heard even under an overlay.
 */
export type KeyContext = 'table' | 'logs' | 'always';

export type KeyAction = {
	on: readonly KeyName[];
	/** Only in this context; left out, in both panes (but not under an overlay). */
	when?: KeyContext;
	handler: KeyHandler;
};

/**
 * One line of the help. `keys` is written as people read it ("↑ ↓  j k") rather than joined from
 * `actions`, which pair keys by what they do; every key it names is one of theirs (tested), and
 * the only key they add unnamed is tab, which has always been a quiet twin of l.
 */
export type KeyBinding = {
	keys: string;
	description: string;
	/** The hint line's short form; left out of the hint line when undefined. */
	hint?: string;
	actions: readonly KeyAction[];
};

/**
 * Every key, once: dispatch looks keys up here, the help overlay lists these lines and the hint
 * line shows their short forms, so none of them can name a key the others do not know.
 */
export const keyBindings: readonly KeyBinding[] = [
	{
		keys: '↑ ↓  j k',
		description: 'select a container (scroll when the logs have focus)',
		hint: '↑↓ select',
		actions: [
			{on: ['↑', 'k'], when: 'table', handler: ({store}) => moveSelection(store, -1)},
			{on: ['↓', 'j'], when: 'table', handler: ({store}) => moveSelection(store, 1)},
			{on: ['↑', 'k'], when: 'logs', handler: ({store, pageSize}) => scrollLogs(store, -1, pageSize)},
			{on: ['↓', 'j'], when: 'logs', handler: ({store, pageSize}) => scrollLogs(store, 1, pageSize)},
		],
	},
	{keys: 'enter', description: 'show or hide the details panel', hint: 'enter details', actions: [{on: ['enter'], handler: ({store}) => toggleDetails(store)}]},
	{
		keys: 'c',
		description: 'create a database (runs in the background)',
		hint: 'c create',
		actions: [{on: ['c'], handler: ({store}) => openOverlay(store, {kind: 'create'})}],
	},
	{
		keys: 's',
		description: 'start or stop the selected container',
		hint: 's start/stop',
		actions: [{on: ['s'], handler: ({operations}) => operations.toggleStartStop()}],
	},
	{keys: 'r', description: 'restart the selected container', hint: 'r restart', actions: [{on: ['r'], handler: ({operations}) => operations.restart()}]},
	{
		keys: 'R',
		description: 'reset it: y recreates it, d resets only the data (asks first)',
		hint: 'R reset',
		actions: [{on: ['R'], handler: ({operations}) => operations.requestReset()}],
	},
	{
		keys: 'S',
		description: 'take a snapshot of the selected running container',
		hint: 'S snapshot',
		actions: [{on: ['S'], handler: ({operations}) => operations.snapshot()}],
	},
	{
		keys: 'd',
		description: 'destroy it (asks first; removing its volume is a second choice)',
		hint: 'd destroy',
		actions: [{on: ['d'], handler: ({operations}) => operations.requestDestroy()}],
	},
	{
		keys: 'l',
		description: 'focus the log pane (l or esc goes back to the table)',
		hint: 'l logs',
		actions: [
			{on: ['l', 'tab'], when: 'table', handler: focusLogs},
			{on: ['l', 'tab', 'esc'], when: 'logs', handler: focusTable},
		],
	},
	{
		keys: 'C',
		description: 'show changes (--cdc) or the logs',
		hint: 'C changes',
		actions: [{on: ['C'], handler: toggleChanges}],
	},
	{
		keys: 'o t',
		description: 'changes: cycle operation / table',
		actions: [
			{on: ['o'], handler: cycleChangesOperation},
			{on: ['t'], handler: cycleChangesTable},
		],
	},
	{
		keys: 'PgUp PgDn',
		description: 'scroll the logs a page',
		actions: [
			{on: ['PgUp'], handler: scrollLogPage(-1)},
			{on: ['PgDn'], handler: scrollLogPage(1)},
		],
	},
	{keys: 'p', description: 'pause or resume following the logs', actions: [{on: ['p'], handler: pauseOrFollowLogs}]},
	{
		// Home and End reach the logs from the table too, as PgUp and PgDn do; g and G need the log pane focused.
		keys: 'g G  Home End',
		description: 'logs: oldest line / follow the end again (log pane focused)',
		actions: [
			{on: ['Home'], handler: scrollLogsToOldest},
			{on: ['End'], handler: followLogs},
			{on: ['g'], when: 'logs', handler: scrollLogsToOldest},
			{on: ['G'], when: 'logs', handler: followLogs},
		],
	},
	{
		keys: 'u',
		description: 'show the connection URL in the status line',
		hint: 'u url',
		actions: [{on: ['u'], handler: ({operations}) => operations.showUrl()}],
	},
	{
		keys: 'y',
		description: 'copy the connection URL to the clipboard (OSC 52; inside tmux, its buffer too)',
		hint: 'y copy url',
		actions: [{on: ['y'], handler: ({operations}) => operations.copyUrl()}],
	},
	{
		keys: 'e',
		description: "open the database's own client (psql, mysql); quit it to come back",
		hint: 'e shell',
		actions: [{on: ['e'], handler: ({operations}) => operations.openShell()}],
	},
	{
		keys: 'w',
		description: 'start or stop a write load (50/s into dbarena_load_1) on it',
		hint: 'w load',
		actions: [{on: ['w'], handler: ({operations}) => operations.toggleLoad()}],
	},
	{keys: 'a', description: 'show all containers, or running ones only', hint: 'a all', actions: [{on: ['a'], handler: ({store}) => toggleShowAll(store)}]},
	{
		keys: '/',
		description: 'filter by name or database (enter keeps it, esc clears it)',
		hint: '/ filter',
		actions: [
			{on: ['/'], handler: ({store}) => startFilter(store)},
			{on: ['esc'], when: 'table', handler: remindOfFilter},
		],
	},
	{keys: '?', description: 'show or hide this help', hint: '? help', actions: [{on: ['?'], handler: ({store}) => openOverlay(store, {kind: 'help'})}]},
	{
		keys: 'q  Ctrl-C',
		description: 'quit (containers keep running)',
		hint: 'q quit',
		actions: [
			{on: ['q'], handler: ({quit}) => quit()},
			// Even from a form or a dialog: there must always be a way out.
			{on: ['Ctrl-C'], when: 'always', handler: ({quit}) => quit()},
		],
	},
];

function appliesIn(action: KeyAction, context: KeyContext): boolean {
	return action.when === context || (action.when === undefined && context !== 'always');
}

/** The action `key` runs in `context`; a test makes sure no two actions claim the same key there. */
export function findKeyAction(key: KeyName, context: KeyContext): KeyAction | undefined {
	for (const binding of keyBindings) {
		const action = binding.actions.find(candidate => candidate.on.includes(key) && appliesIn(candidate, context));
		if (action) return action;
	}
	return undefined;
}
