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

/** Resolves with the milliseconds it took to become healthy; rejects with a typed error otherwise. */
export async function waitUntilReady(options: ReadinessOptions): Promise<number> {
	const {name, probe, containerState, logTail, signal, onState} = options;
	const intervalMs = options.intervalMs ?? defaultIntervalMs;
	const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
	const now = options.now ?? Date.now;
	const started = now();
	let lastError: string | undefined;
	let wakeCurrent: (() => void) | undefined;
	let woken = false;
	const unsubscribe = options.subscribeWake?.(() => {
		woken = true;
		wakeCurrent?.();
	});

	const pause = async (ms: number) =>
		new Promise<void>(resolve => {
			if (woken || signal?.aborted) {
				resolve();
				return;
			}
			const done = () => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', done);
				wakeCurrent = undefined;
				resolve();
			};
			const timer = setTimeout(done, ms);
			wakeCurrent = done;
			signal?.addEventListener('abort', done, {once: true});
		});

	onState?.('starting', {elapsedMs: 0});
	let attempts = 0;
	try {
		for (;;) {
			if (signal?.aborted) throw new InterruptedError(`Waiting for ${name} to be ready`);
			woken = false;
			attempts++;
			try {
				await probe();
				tracePhase(`probe ${attempts} logged in`);
				const elapsedMs = now() - started;
				onState?.('healthy', {elapsedMs});
				return elapsedMs;
			} catch (error) {
				lastError = describe(error);
				tracePhase(`probe ${attempts} failed: ${lastError}`);
			}
			const state = await containerState();
			if (!state.running) {
				onState?.('unhealthy', {elapsedMs: now() - started, lastError});
				throw new ContainerExitedError(name, state, await logTail());
			}
			const elapsedMs = now() - started;
			if (elapsedMs >= timeoutMs) {
				onState?.('unhealthy', {elapsedMs, lastError});
				throw new ReadinessTimeoutError(name, Math.round(timeoutMs / 1000), lastError, await logTail());
			}
			onState?.('starting', {elapsedMs, lastError});
			await pause(Math.min(intervalMs, timeoutMs - elapsedMs));
		}
	} finally {
		unsubscribe?.();
	}
}
