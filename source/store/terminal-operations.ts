import type {ConnectionInfo} from '../core/types.js';
import type {DashboardStore} from './create-dashboard-store.js';
import {describeError} from './operation-runner.js';
import {selectUrlFromHere} from './selectors.js';
import type {DashboardOperations, DashboardTerminal} from './operations.js';
import type {ContainerEntry} from './state.js';
import {setMessage} from './view-actions.js';

/** What u shows: the URL that works from here, or while a forward is not open yet the one on the engine's host, said as such. */
function urlShownIn(store: DashboardStore, id: string, connection: ConnectionInfo): string {
	return selectUrlFromHere(store.getState(), id, connection) ?? `${connection.url} (on ${connection.onEngineHost}; the local forward is not open yet)`;
}

/**
 * The keys whose result is for the terminal rather than the engine: the URL shown (u) or copied
 * (y), and the database's own client (e). `actionable` is the operations' own check of the
 * selected container.
 */
export function terminalOperations(
	store: DashboardStore,
	actionable: (options?: {allowBusy?: boolean}) => ContainerEntry | undefined,
	terminal: DashboardTerminal | undefined,
): Pick<DashboardOperations, 'showUrl' | 'openShell' | 'copyUrl'> {
	return {
		showUrl() {
			const entry = actionable({allowBusy: true});
			if (!entry) return;
			const {name, connection, state} = entry.container;
			if (!connection) {
				setMessage(store, `${name} has no published port, so it has no URL`);
				return;
			}
			setMessage(store, `${urlShownIn(store, entry.container.id, connection)}${state === 'running' ? '' : `  (${name} is ${state})`}`);
		},

		openShell() {
			const entry = actionable();
			if (!entry) return;
			const {container} = entry;
			if (container.state !== 'running') {
				setMessage(store, `e does not apply: ${container.name} is not running (s starts it)`);
				return;
			}
			if (!terminal) {
				setMessage(store, 'e needs the terminal, which this dashboard does not own', 'error');
				return;
			}
			setMessage(store, `Opening a shell on ${container.name}…`, 'progress');
			terminal.runShell(container).then(
				code => {
					setMessage(store, `Back from the shell on ${container.name} (exit code ${code})`, code === 0 ? 'success' : 'info');
				},
				(error: unknown) => {
					setMessage(store, describeError(error), 'error');
				},
			);
		},

		copyUrl() {
			const entry = actionable({allowBusy: true});
			if (!entry) return;
			const {name, connection} = entry.container;
			if (!connection) {
				setMessage(store, `${name} has no published port, so it has no URL`);
				return;
			}
			if (!terminal) {
				setMessage(store, 'y needs the terminal, which this dashboard does not own', 'error');
				return;
			}
			// Before the forward opens there is no URL that works here, and the text u shows then is no URL.
			const url = selectUrlFromHere(store.getState(), entry.container.id, connection);
			if (url === undefined) {
				setMessage(store, `The local forward to ${name} is not open yet: y copies its URL once it is (u shows the URL on ${connection.onEngineHost})`);
				return;
			}
			terminal.copy(url).then(
				outcome => {
					if (outcome.copied) setMessage(store, `Copied the URL (${outcome.via}): ${url}`, 'success');
					else setMessage(store, `Could not copy the URL of ${name}: ${outcome.why}`, 'error');
				},
				(error: unknown) => {
					setMessage(store, describeError(error), 'error');
				},
			);
		},
	};
}
