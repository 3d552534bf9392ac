import {render} from 'ink';
import {openChangeStream} from '../core/changes/open.js';
import {openShell} from '../core/database-client.js';
import {engineStreams} from '../core/streams.js';
import type {ManagedContainer} from '../core/types.js';
import {createDashboardStore} from '../store/create-dashboard-store.js';
import {bindCore} from '../store/bind-core.js';
import {startFeeders} from '../store/feeders/start-feeders.js';
import {describeError} from '../store/operation-runner.js';
import {createDashboardOperations, type DashboardTerminal} from '../store/operations.js';
import {setMessage} from '../store/view-actions.js';
import {alternateScreen} from './alternate-screen.js';
import {copyToClipboard} from './clipboard.js';
import {App} from './components/App.js';
import {lendTerminal} from './raw-terminal.js';
import type {RunDashboardOptions} from './run.js';

/** 128 + the signal number, as shells report a process ended by a signal. */
const signalCodes = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129} as const;
type HandledSignal = keyof typeof signalCodes;
/** How long quitting waits for the Changes pane's stream to close. */
const changeStreamCloseMs = 3000;

/**
 * The dashboard session proper; runDashboard (run.tsx) documents the contract and loads this
 * module only once it has chosen React's build.
 */
export async function runSession(options: RunDashboardOptions): Promise<number> {
	const {manager, stdin = process.stdin, stdout = process.stdout, stderr = process.stderr} = options;
	if (!stdin.isTTY || !stdout.isTTY) {
		stderr.write('dbarena: the dashboard needs a terminal; use "dbarena list" instead.\n');
		return 2;
	}

	const {foundBy, source} = manager.location;
	// DOCKER_HOST and the default socket need no explanation; a context or a found socket does.
	const store = createDashboardStore({address: manager.address, ...(source === 'DOCKER_HOST' || source === 'default-socket' ? {} : {foundBy})});
	const screen = alternateScreen(stdout);

	let exitCode = 0;
	let failure: unknown;
	let quitting = false;
	let instance: ReturnType<typeof render> | undefined;
	// The shell that e asked for: run once Ink has given up the terminal, then the dashboard comes back.
	let lent: {container: ManagedContainer; done: (outcome: Promise<number>) => void} | undefined;
	const shellAbort = new AbortController();
	const quitWith = (code: number, error?: unknown) => {
		exitCode = code;
		failure = error;
		quitting = true;
		// A signal while a shell has the terminal: end the shell, then nothing is drawn again.
		shellAbort.abort();
		instance?.unmount();
	};

	const terminal: DashboardTerminal = {
		async runShell(container) {
			// A second e before Ink has stepped aside (keys typed fast): one shell at a time.
			if (lent) throw new Error(`A shell on ${lent.container.name} is already opening`);
			return new Promise<number>((resolve, reject) => {
				lent = {container, done: outcome => outcome.then(resolve, reject)};
				// Not from inside Ink's input handler, which is still reading the chunk that held the e.
				setImmediate(() => instance?.unmount());
			});
		},
		async copy(text) {
			return copyToClipboard(text, data => stdout.write(data));
		},
	};
	const operations = createDashboardOperations(store, bindCore(manager), terminal);
	// Not tied to Ink: the store stays live while a shell has the terminal.
	const feeders = startFeeders(store, {
		manager,
		feeds: options.feeds ?? engineStreams(manager.engine),
		readCdcStatus: async container => manager.cdcStatus(container),
		openVitals: container => manager.vitalsReader(container),
		// Databases on an ssh:// engine's 127.0.0.1 get a local port while the dashboard runs.
		openForward: async container => {
			const tunnel = await manager.localForward(container);
			return tunnel && {url: tunnel.local.url, close: tunnel.close};
		},
		// The Changes pane's stream: the same reader as `dbarena changes` (its own temporary slot or binlog session).
		openChangeStream: options.openChangeStream ?? (async (container, filter) => openChangeStream(manager.engine, container, filter)),
	});

	const onSignal = (signal: HandledSignal) => {
		quitWith(signalCodes[signal]);
	};
	const onUncaught = (error: unknown) => {
		// Nothing can be trusted after this; restore the terminal before anything else can fail.
		screen.leave();
		quitWith(1, error);
	};
	// A stray rejection is a bug somewhere in a background task, not a reason to lose the screen.
	const onRejection = (reason: unknown) => {
		setMessage(store, `Internal error: ${describeError(reason)}`, 'error');
	};
	const onExit = () => {
		screen.leave();
	};
	const signals = Object.keys(signalCodes) as HandledSignal[];
	for (const signal of signals) process.on(signal, onSignal);
	process.on('uncaughtException', onUncaught);
	process.on('unhandledRejection', onRejection);
	process.on('exit', onExit);

	screen.enter();
	try {
		for (;;) {
			instance = render(<App store={store} operations={operations} />, {
				stdin,
				stdout,
				stderr,
				// q and Ctrl-C go through the app, so both take the same way out.
				exitOnCtrlC: false,
				// Not incrementalRendering: in Ink 6.8 it loses track of the cursor by one line when the
				// frame ends in a newline (as ours does, see layout.ts) and paints rows twice.
			});
			await instance.waitUntilExit();
			const shell = lent;
			lent = undefined;
			if (!shell) break;
			if (quitting) {
				shell.done(Promise.resolve(exitCode));
				break;
			}
			// Ink has restored cooked mode and let go of stdin; the shell runs on the normal screen,
			// where the user's scrollback is, and the dashboard takes the alternate screen back after.
			screen.leave();
			stdout.write(`dbarena: a shell on ${shell.container.name}; quit it (\\q, exit, Ctrl-D) to return to the dashboard.\n`);
			const outcome = lendTerminal({stdin, stdout, stderr}, async io => openShell(manager.engine, shell.container, io), shellAbort.signal);
			await outcome.catch(() => undefined);
			shell.done(outcome);
			if (quitting) break;
			screen.enter();
		}
	} catch (error) {
		exitCode = 1;
		failure ??= error;
	} finally {
		feeders.stop();
		screen.leave();
		for (const signal of signals) process.off(signal, onSignal);
		process.off('uncaughtException', onUncaught);
		process.off('unhandledRejection', onRejection);
		process.off('exit', onExit);
	}

	// The Changes pane's stream holds a replication slot or a binlog session until it is closed;
	// wait for that (but not for ever: a server that does not answer must not keep the user here).
	await Promise.race([feeders.drained(), new Promise(resolve => setTimeout(resolve, changeStreamCloseMs).unref())]);
	const unfinished = Object.entries(store.getState().operations);
	if (unfinished.length > 0) {
		stderr.write(`dbarena: cancelling ${unfinished.map(([name, operation]) => `${operation} ${name}`).join(', ')}…\n`);
	}
	await operations.shutdown();
	if (failure !== undefined) {
		stderr.write(`dbarena: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`);
	}
	return exitCode;
}
