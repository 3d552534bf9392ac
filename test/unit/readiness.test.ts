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
