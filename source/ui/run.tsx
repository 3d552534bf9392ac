import type {ContainerManager} from '../core/lifecycle.js';
import type {EngineStreams} from '../core/streams.js';
import type {ChangeOpener} from '../store/feeders/change-follower.js';

export type RunDashboardOptions = {
	manager: ContainerManager;
	/** For tests; default to the process's own. */
	stdin?: NodeJS.ReadStream;
	stdout?: NodeJS.WriteStream;
	stderr?: NodeJS.WriteStream;
	feeds?: EngineStreams;
	/** The Changes pane's stream; for tests (the session's default is the core's opener). */
	openChangeStream?: ChangeOpener;
};

/**
 * The dashboard, full screen, until the user quits. Resolves with the process exit code: 0 after q
 * or Ctrl-C, 128+n after a signal, 1 after an error that escaped, 2 without a terminal. The
 * terminal is restored on every path. Containers keep running; creates still in progress are
 * cancelled and cleaned up.
 */
export async function runDashboard(options: RunDashboardOptions): Promise<number> {
	// React picks its development or production build when it is first loaded, and the
	// development build costs about a quarter more CPU per frame for checks only a React developer
	// reads. So React (through Ink) is loaded only now, after choosing, unless the caller chose.
	process.env['NODE_ENV'] ??= 'production';
	const {runSession} = await import('./dashboard-session.js');
	return runSession(options);
}
