import {render} from 'ink';
import {engineStreams} from '../core/streams.js';
import {createDashboardStore} from '../store/create-dashboard-store.js';
import {bindCore} from '../store/bind-core.js';
import {startFeeders} from '../store/feeders/start-feeders.js';
import {describeError} from '../store/operation-runner.js';
import {createDashboardOperations} from '../store/operations.js';
import {setMessage} from '../store/view-actions.js';
import {alternateScreen} from './alternate-screen.js';
import {App} from './components/App.js';
import type {RunDashboardOptions} from './run.js';

/** 128 + the signal number, as shells report a process ended by a signal. */
const signalCodes = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129} as const;
type HandledSignal = keyof typeof signalCodes;

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
	const operations = createDashboardOperations(store, bindCore(manager));
	const feeders = startFeeders(store, {
		manager,
		feeds: options.feeds ?? engineStreams(manager.engine),
		readCdcStatus: async container => manager.cdcStatus(container),
		// Databases on an ssh:// engine's 127.0.0.1 get a local port while the dashboard runs.
		openForward: async container => {
			const tunnel = await manager.localForward(container);
			return tunnel && {url: tunnel.local.url, close: tunnel.close};
		},
	});
	const screen = alternateScreen(stdout);

	let exitCode = 0;
	let failure: unknown;
	let instance: ReturnType<typeof render> | undefined;
	const quitWith = (code: number, error?: unknown) => {
		exitCode = code;
		failure = error;
		instance?.unmount();
	};

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
