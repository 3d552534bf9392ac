import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {ContainerExitedError, InterruptedError, ReadinessTimeoutError} from '../../source/core/errors.js';
import {waitUntilReady, type ReadinessOptions} from '../../source/core/readiness.js';
import type {Health} from '../../source/core/types.js';

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

function harness(overrides: Partial<ReadinessOptions> & {readyAfterMs?: number; exitAfterMs?: number} = {}) {
	const states: Health[] = [];
	let probes = 0;
	const options: ReadinessOptions = {
		name: 'db',
		probe: async () => {
			probes++;
			if (overrides.readyAfterMs === undefined || Date.now() < overrides.readyAfterMs) throw new Error('connection refused');
		},
		containerState: async () => ({running: overrides.exitAfterMs === undefined || Date.now() < overrides.exitAfterMs, exitCode: 3}),
		logTail: async () => ['FATAL: bad config'],
		onState: state => states.push(state),
		...overrides,
	};
	return {options, states, probes: () => probes};
}

describe('readiness state machine', () => {
	it('starting -> healthy once a probe succeeds, polling every 250 ms by default', async () => {
		vi.setSystemTime(0);
		const {options, states, probes} = harness({readyAfterMs: 1000});
		const result = waitUntilReady(options);
		await vi.advanceTimersByTimeAsync(1000);
		await expect(result).resolves.toBe(1000);
		expect(probes()).toBe(5); // at 0, 250, 500, 750, 1000
		expect(states[0]).toBe('starting');
		expect(states.at(-1)).toBe('healthy');
	});

	it('honours a configured interval', async () => {
		vi.setSystemTime(0);
		const {options, probes} = harness({readyAfterMs: 1000, intervalMs: 500});
		const result = waitUntilReady(options);
		await vi.advanceTimersByTimeAsync(1000);
		await result;
		expect(probes()).toBe(3);
	});

	it('starting -> unhealthy after the timeout, with the last probe error and log tail', async () => {
		vi.setSystemTime(0);
		const {options, states} = harness({timeoutMs: 2000});
		const result = waitUntilReady(options);
		const assertion = expect(result).rejects.toThrow(ReadinessTimeoutError);
		await vi.advanceTimersByTimeAsync(2000);
		await assertion;
		await expect(result).rejects.toThrow('not ready after 2s (last probe: connection refused)');
		expect(states.at(-1)).toBe('unhealthy');
	});

	it('reports a container that exits during start-up at once, with its last log lines', async () => {
		vi.setSystemTime(0);
		const {options, states} = harness({exitAfterMs: 500, timeoutMs: 60_000});
		const result = waitUntilReady(options);
		const assertion = expect(result).rejects.toThrow(ContainerExitedError);
		await vi.advanceTimersByTimeAsync(500);
		await assertion;
		await expect(result).rejects.toThrow(/exited with code 3[\s\S]*FATAL: bad config/);
		expect(Date.now()).toBe(500); // not the 60 s timeout
		expect(states.at(-1)).toBe('unhealthy');
	});

	it('stops waiting when aborted', async () => {
		vi.setSystemTime(0);
		const controller = new AbortController();
		const {options} = harness({signal: controller.signal});
		const result = waitUntilReady(options);
		const assertion = expect(result).rejects.toThrow(InterruptedError);
		await vi.advanceTimersByTimeAsync(300);
		controller.abort();
		await vi.advanceTimersByTimeAsync(0);
		await assertion;
	});

	it('probes again at once when woken (e.g. a new log line), not at the next tick', async () => {
		vi.setSystemTime(0);
		let wake: (() => void) | undefined;
		const {options, probes} = harness({
			readyAfterMs: 100,
			intervalMs: 10_000,
			subscribeWake: fn => {
				wake = fn;
				return () => {
					wake = undefined;
				};
			},
		});
		const result = waitUntilReady(options);
		await vi.advanceTimersByTimeAsync(100);
		expect(probes()).toBe(1);
		wake!();
		await vi.advanceTimersByTimeAsync(0);
		await expect(result).resolves.toBe(100);
		expect(probes()).toBe(2);
		expect(wake).toBeUndefined(); // unsubscribed
	});
});

/**
 * A probe's login or an engine call can be slow for reasons that have nothing to do with the
 * server (a connect that hangs until its 2 s timeout, an engine under load answering an inspect
 * late): neither may hold back noticing that a login works. Found on Podman in CI, where dbarena
 * said ready 2962 ms after a host login first worked.
 */
describe('readiness is not held back by a slow call', () => {
	it('a probe that hangs does not delay the next one: ready is noticed within an interval', async () => {
		vi.setSystemTime(0);
		let probes = 0;
		const {options} = harness({
			probe: async () => {
				probes++;
				// The probe started at 750 ms hangs for 2 s (a connect timeout), then fails.
				if (Date.now() === 750)
					return new Promise<void>((_resolve, reject) => {
						setTimeout(() => {
							reject(new Error('timeout expired'));
						}, 2000);
					});
				if (Date.now() < 1000) throw new Error('connection refused');
			},
		});
		const result = waitUntilReady(options);
		await vi.advanceTimersByTimeAsync(1000);
		await expect(result).resolves.toBe(1000);
		expect(probes).toBe(5); // 0, 250, 500, 750 (hangs), 1000
	});

	it('never more than two probes at once, however long they hang', async () => {
		vi.setSystemTime(0);
		let inFlight = 0;
		let most = 0;
		const {options} = harness({
			timeoutMs: 5000,
			probe: async () => {
				inFlight++;
				most = Math.max(most, inFlight);
				await new Promise(resolve => setTimeout(resolve, 2000));
				inFlight--;
				throw new Error('timeout expired');
			},
		});
		const result = waitUntilReady(options);
		const assertion = expect(result).rejects.toThrow(ReadinessTimeoutError);
		await vi.advanceTimersByTimeAsync(5000);
		await assertion;
		expect(most).toBe(2);
	});

	it('a slow engine answering whether the container runs does not delay noticing ready', async () => {
		vi.setSystemTime(0);
		const {options} = harness({
			readyAfterMs: 1000,
			containerState: async () =>
				new Promise(resolve =>
					setTimeout(() => {
						resolve({running: true, exitCode: 0});
					}, 3000),
				),
		});
		const result = waitUntilReady(options);
		await vi.advanceTimersByTimeAsync(1000);
		await expect(result).resolves.toBe(1000);
	});

	it('an exit is still reported at once while a probe hangs', async () => {
		vi.setSystemTime(0);
		const {options} = harness({
			exitAfterMs: 500,
			probe: async () =>
				new Promise<void>((_resolve, reject) => {
					setTimeout(() => {
						reject(new Error('timeout expired'));
					}, 2000);
				}),
		});
		const result = waitUntilReady(options);
		const assertion = expect(result).rejects.toThrow(ContainerExitedError);
		await vi.advanceTimersByTimeAsync(500);
		await assertion;
		expect(Date.now()).toBe(500);
	});

	it('a wake while two probes are out is kept: a probe starts as soon as one of them fails', async () => {
		// PostgreSQL logs five lines in a few ms as it comes up ("listening on...", "ready to accept
		// connections"): the first two wakes start probes that fail, the last one must not be lost.
		vi.setSystemTime(0);
		let wake: (() => void) | undefined;
		const {options} = harness({
			intervalMs: 10_000,
			probe: async () => {
				if (Date.now() >= 105) return;
				await new Promise(resolve => setTimeout(resolve, 10));
				throw new Error('the database system is starting up');
			},
			subscribeWake: fn => {
				wake = fn;
				return () => undefined;
			},
		});
		const result = waitUntilReady(options);
		await vi.advanceTimersByTimeAsync(100);
		for (const at of [100, 101, 102]) {
			await vi.advanceTimersByTimeAsync(at - Date.now());
			wake!();
		}
		await vi.advanceTimersByTimeAsync(20);
		await expect(result).resolves.toBe(110);
	});
});
