import {tracePhase} from './trace.js';
import {ContainerExitedError, InterruptedError, ReadinessTimeoutError, type ContainerEnd} from './errors.js';
import type {Health} from './types.js';

/**
 * The health state machine: starting -> healthy | unhealthy, and stopped.
 *
 * Ready means a real login and query succeeded (the probe), never "a process answers on a
 * socket": the official images run a socket-only temporary server during their first start, and
 * anything that trusts it reports ready seconds too early.
 */
export type ReadinessOptions = {
	name: string;
	/** Resolves when a client can log in and run SELECT 1; rejects with why not. */
	probe: () => Promise<void>;
	/** Whether the container still runs; an exit during start-up is reported at once. */
	containerState: () => Promise<ContainerEnd>;
	/** The container's last log lines, for the error when it exits or times out. */
	logTail: () => Promise<string[]>;
	intervalMs?: number;
	timeoutMs?: number;
	signal?: AbortSignal;
	/**
	 * Lets a caller wake the loop early (e.g. on every new log line, since "ready to accept
	 * connections" is usually the moment things change), so detection lag is not bound by the
	 * poll interval. Returns an unsubscribe function.
	 */
	subscribeWake?: (wake: () => void) => () => void;
	onState?: (state: Health, detail: {elapsedMs: number; lastError?: string}) => void;
	now?: () => number;
};

export const defaultIntervalMs = 250;
export const defaultTimeoutMs = 60_000;

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * At most this many probes at once. A probe's connect can hang until its timeout (a login accepted
 * by a server still forking its backend under load, a proxy that takes the connection): a second
 * probe started on the next tick notices readiness meanwhile. Two bounds what a database sees from
 * us while it starts.
 */
const maxProbesInFlight = 2;

/** Resolves with the milliseconds it took to become healthy; rejects with a typed error otherwise. */
export async function waitUntilReady(options: ReadinessOptions): Promise<number> {
	const {name, probe, containerState, logTail, signal, onState} = options;
	const intervalMs = options.intervalMs ?? defaultIntervalMs;
	const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
	const now = options.now ?? Date.now;
	const started = now();

	/*
	 * Probes, the check that the container still runs, and the clock run side by side rather than
	 * one after another: each is a call that can be slow for its own reasons (an engine under load
	 * answered an inspect 2-3 s late on Podman in CI), and none may hold back noticing that a login
	 * works, nor an exit.
	 */
	return new Promise<number>((resolve, reject) => {
		let settled = false;
		let lastError: string | undefined;
		let attempts = 0;
		let probesInFlight = 0;
		let stateInFlight = false;
		// A wake that found every probe slot taken: PostgreSQL logs five lines in a few ms as it
		// comes up, and the line that matters ("ready to accept connections") is the last.
		let probeOwed = false;
		let timer: NodeJS.Timeout | undefined;
		let unsubscribe: (() => void) | undefined;

		const settle = (finish: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
			unsubscribe?.();
			finish();
		};
		const fail = (health: Health | undefined, error: () => Promise<Error>) => {
			if (settled) return;
			if (health) onState?.(health, {elapsedMs: now() - started, ...(lastError === undefined ? {} : {lastError})});
			settle(() => {
				error().then(reject, reject);
			});
		};
		function onAbort() {
			fail(undefined, async () => new InterruptedError(`Waiting for ${name} to be ready`));
		}

		const startProbe = () => {
			const attempt = ++attempts;
			probesInFlight++;
			probe().then(
				() => {
					probesInFlight--;
					if (settled) return;
					tracePhase(`probe ${attempt} logged in`);
					const elapsedMs = now() - started;
					onState?.('healthy', {elapsedMs});
					settle(() => {
						resolve(elapsedMs);
					});
				},
				(error: unknown) => {
					probesInFlight--;
					if (settled) return;
					lastError = describe(error);
					tracePhase(`probe ${attempt} failed: ${lastError}`);
					if (probeOwed) {
						probeOwed = false;
						startProbe();
					}
				},
			);
		};

		const checkState = () => {
			stateInFlight = true;
			containerState().then(
				state => {
					stateInFlight = false;
					if (!state.running) fail('unhealthy', async () => new ContainerExitedError(name, state, await logTail()));
				},
				() => {
					// The engine did not answer this time: the next tick asks again, and the timeout still holds.
					stateInFlight = false;
				},
			);
		};

		const tick = () => {
			if (settled) return;
			clearTimeout(timer);
			const elapsedMs = now() - started;
			if (elapsedMs >= timeoutMs) {
				fail('unhealthy', async () => new ReadinessTimeoutError(name, Math.round(timeoutMs / 1000), lastError, await logTail()));
				return;
			}
			if (attempts > 0) onState?.('starting', {elapsedMs, ...(lastError === undefined ? {} : {lastError})});
			if (probesInFlight < maxProbesInFlight) startProbe();
			else probeOwed = true;
			if (!stateInFlight) checkState();
			timer = setTimeout(tick, Math.min(intervalMs, timeoutMs - elapsedMs));
		};

		if (signal?.aborted) {
			onAbort();
			return;
		}
		signal?.addEventListener('abort', onAbort, {once: true});
		onState?.('starting', {elapsedMs: 0});
		unsubscribe = options.subscribeWake?.(tick);
		tick();
	});
}
