import {useInput, type Key} from 'ink';
import {followLogEnd, scrollLogs, scrollLogsToTop, toggleLogPause} from '../../store/log-buffer.js';
import {
	moveSelection, openOverlay, setFocus, setMessage, startFilter, toggleDetails, toggleShowAll,
} from '../../store/view-actions.js';
import {eachKey} from '../typed-input.js';
import {useDashboardContext} from './use-dashboard.js';

export type DashboardKeysOptions = {
	/** Lines the log pane shows: a page for PgUp/PgDn. */
	pageSize: number;
	/** Off while an overlay or the filter prompt has the keyboard. */
	isActive: boolean;
	onQuit: () => void;
};

/**
 * The main keys (lazydocker's vocabulary). Keys only call actions; what they do to containers runs
 * in the background and reports in the status line, so no key ever blocks the screen.
 */
export function useDashboardKeys({pageSize, isActive, onQuit}: DashboardKeysOptions): void {
	const {store, operations} = useDashboardContext();

	useInput((chunk, chunkKey) => {
		eachKey(chunk, chunkKey, handleKey);
	}, {isActive});

	function handleKey(input: string, key: Key): void {
		const state = store.getState();
		// A chunk of keys may open an overlay or the filter prompt halfway: the keys after that are
		// dropped rather than taken as main keys (the overlay was not listening yet).
		if (state.overlay !== undefined || state.filterEditing) return;
		const inLogs = state.focus === 'logs';
		const page = Math.max(1, pageSize - 1);

		if (key.upArrow || input === 'k') {
			if (inLogs) scrollLogs(store, -1, pageSize);
			else moveSelection(store, -1);
		} else if (key.downArrow || input === 'j') {
			if (inLogs) scrollLogs(store, 1, pageSize);
			else moveSelection(store, 1);
		} else if (key.pageUp) {
			scrollLogs(store, -page, pageSize);
		} else if (key.pageDown) {
			scrollLogs(store, page, pageSize);
		} else if (key.home || (inLogs && input === 'g')) {
			scrollLogsToTop(store, pageSize);
		} else if (key.end || (inLogs && input === 'G')) {
			followLogEnd(store);
		} else if (key.escape) {
			if (inLogs) setFocus(store, 'table');
			else if (state.filter) setMessage(store, `Filter "${state.filter}" is on: press / then esc to clear it`);
		} else if (key.return) {
			toggleDetails(store);
		} else if (key.tab || input === 'l') {
			if (inLogs) {
				setFocus(store, 'table');
			} else if (state.selectedId === undefined) {
				setMessage(store, 'No container selected, so there are no logs to focus');
			} else {
				setFocus(store, 'logs');
				setMessage(store, 'Logs: ↑↓ j k scroll · PgUp PgDn page · g G oldest/newest · p pause · esc or l back');
			}
		} else if (input === 'c') {
			openOverlay(store, {kind: 'create'});
		} else if (input === 's') {
			operations.toggleStartStop();
		} else if (input === 'r') {
			operations.restart();
		} else if (input === 'R') {
			operations.requestReset();
		} else if (input === 'S') {
			operations.snapshot();
		} else if (input === 'd') {
			operations.requestDestroy();
		} else if (input === 'u') {
			operations.showUrl();
		} else if (input === 'p') {
			if (state.logs.containerId === undefined) {
				setMessage(store, 'No logs to pause: select a container first');
			} else {
				toggleLogPause(store);
				setMessage(store, store.getState().logs.heldAt === undefined ? 'Following the logs' : 'Logs paused: p or End follows again');
			}
		} else if (input === 'a') {
			toggleShowAll(store);
		} else if (input === '/') {
			startFilter(store);
		} else if (input === '?') {
			openOverlay(store, {kind: 'help'});
		} else if (input === 'q') {
			onQuit();
		} else if (input !== '' && !key.ctrl && !key.meta) {
			setMessage(store, `"${input}" does nothing here; press ? for the keys`);
		}
	}
}
