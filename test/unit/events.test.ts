import {PassThrough} from 'node:stream';
import type Docker from 'dockerode';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {parseEvent, watchEvents, type ContainerEvent, type EventSource, type EventsState} from '../../source/core/docker/events.js';

const id = '34e5ede69ca78989075270c55293e7a093feb7e8e8332f9c5093a220b0520989';

// Copied from `docker events --format '{{json .}}'` on Engine 20.10. Labels of the image
// (dbarena.fixture*) are merged into the container's by the engine.
// biome-ignore lint/correctness/noPrecisionLoss: the engine sends timeNano as a JSON number past 2^53, as here
function engineEvent(action: string, extra: Record<string, string> = {}, timeNano = 1_795_686_301_177_915_452) {
	return {
		status: action,
		id,
		from: '127.0.0.1:5000/library/postgres:15-alpine',
		Type: 'container',
		Action: action,
		Actor: {
			ID: id,
			Attributes: {
				'dbarena.fixture': 'postgres-15',
				'dbarena.managed': 'true',
				'dbarena.test': 'probe',
				image: '127.0.0.1:5000/library/postgres:15-alpine',
				name: 'probe-ev',
				...extra,
			},
		},
		scope: 'local',
		time: Math.floor(timeNano / 1e9),
		timeNano,
	};
}

const labels = {'dbarena.fixture': 'postgres-15', 'dbarena.managed': 'true', 'dbarena.test': 'probe'};

describe('parseEvent', () => {
	it('parses a start event', () => {
		expect(parseEvent(engineEvent('start'))).toEqual({
			action: 'start',
			id,
			name: 'probe-ev',
			time: new Date(1_795_686_301_177),
			labels,
		});
	});

	it('parses a die event with its exit code', () => {
		const event = parseEvent(engineEvent('die', {exitCode: '137'}));
		expect(event).toMatchObject({action: 'die', exitCode: 137, labels});
		expect(event?.labels).not.toHaveProperty('exitCode');
	});

	it('turns health_status: healthy into the verb plus a health field', () => {
		expect(parseEvent(engineEvent('health_status: healthy'))).toMatchObject({action: 'health_status', health: 'healthy'});
		expect(parseEvent(engineEvent('health_status: unhealthy'))).toMatchObject({action: 'health_status', health: 'unhealthy'});
		expect(parseEvent(engineEvent('exec_start: /bin/sh -c true', {execID: 'e1'}))).toEqual(expect.objectContaining({action: 'exec_start', labels}));
	});

	it('falls back to time in seconds and ignores what is not a container event', () => {
		const {timeNano: _, ...withoutNano} = engineEvent('stop');
		expect(parseEvent(withoutNano)?.time).toEqual(new Date(1_795_686_301_000));
		expect(parseEvent({...engineEvent('create'), Type: 'network'})).toBeUndefined();
		expect(parseEvent({Type: 'container'})).toBeUndefined();
		expect(parseEvent('start')).toBeUndefined();
		expect(parseEvent(null)).toBeUndefined();
	});
});

type Deferred = {ms: number; resolve: () => void};

/** A fake engine: each getEvents call takes the next scripted answer. */
function fakeEngine(script: Array<() => Promise<PassThrough>>) {
	const calls: Docker.GetEventsOptions[] = [];
	const docker: EventSource = {
		async getEvents(options) {
			calls.push(options ?? {});
			const next = script.shift();
			if (!next) return new Promise<never>(() => undefined);
			return next();
		},
	};
	return {docker, calls};
}

function harness(docker: EventSource, since?: number) {
	const states: EventsState[] = [];
	const events: ContainerEvent[] = [];
	const sleeps: Deferred[] = [];
	const watcher = watchEvents(docker, {
		onEvent: event => events.push(event),
		onState: state => states.push(state),
		since,
		sleep: async ms =>
			new Promise<void>(resolve => {
				sleeps.push({ms, resolve});
			}),
	});
	return {states, events, sleeps, watcher};
}

const refused = async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), {code: 'ECONNREFUSED'}));

describe('watchEvents', () => {
	it('subscribes to managed containers and delivers parsed events, skipping exec noise', async () => {
		const stream = new PassThrough();
		const {docker, calls} = fakeEngine([async () => stream]);
		const {states, events, watcher} = harness(docker, 1_795_686_000);
		await vi.waitFor(() => {
			expect(states).toEqual(['connecting', 'connected']);
		});
		expect(calls[0]).toMatchObject({filters: {label: ['dbarena.managed=true'], type: ['container']}, since: 1_795_686_000});

		const start = JSON.stringify(engineEvent('start'));
		stream.write(start.slice(0, 50));
		stream.write(`${start.slice(50)}\n${JSON.stringify(engineEvent('exec_die', {exitCode: '0'}))}\n`);
		stream.write(`${JSON.stringify(engineEvent('die', {exitCode: '3'}))}\n`);
		await vi.waitFor(() => {
			expect(events.map(event => event.action)).toEqual(['start', 'die']);
		});
		expect(events[1]?.exitCode).toBe(3);

		watcher.stop();
		expect(stream.destroyed).toBe(true);
	});

	it('reconnects with backoff when the stream ends, then reports connected again', async () => {
		const first = new PassThrough();
		const second = new PassThrough();
		const {docker, calls} = fakeEngine([async () => first, refused, refused, async () => second]);
		const {states, sleeps, events, watcher} = harness(docker, 1_795_686_000);
		await vi.waitFor(() => {
			expect(states).toEqual(['connecting', 'connected']);
		});

		// The engine goes away.
		first.end();
		await vi.waitFor(() => {
			expect(states).toEqual(['connecting', 'connected', 'reconnecting']);
		});
		expect(sleeps.map(sleep => sleep.ms)).toEqual([250]);
		// Nothing is retried before the backoff has run out.
		expect(calls).toHaveLength(1);

		sleeps[0]?.resolve();
		await vi.waitFor(() => {
			expect(sleeps.map(sleep => sleep.ms)).toEqual([250, 500]);
		});
		expect(calls).toHaveLength(2);
		sleeps[1]?.resolve();
		await vi.waitFor(() => {
			expect(sleeps.map(sleep => sleep.ms)).toEqual([250, 500, 1000]);
		});
		expect(calls).toHaveLength(3);
		// Still failing: no repeated 'reconnecting' for every attempt.
		expect(states).toEqual(['connecting', 'connected', 'reconnecting']);

		sleeps[2]?.resolve();
		await vi.waitFor(() => {
			expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
		});
		expect(calls).toHaveLength(4);
		// Replaying from `since` again would duplicate events; the consumer resyncs instead.
		expect(calls[3]).not.toHaveProperty('since');

		second.write(`${JSON.stringify(engineEvent('start'))}\n`);
		await vi.waitFor(() => {
			expect(events).toHaveLength(1);
		});
		watcher.stop();
	});

	it('caps the backoff at 5 s and starts over after a successful connection', async () => {
		const stream = new PassThrough();
		const {docker} = fakeEngine([refused, refused, refused, refused, refused, refused, refused, async () => stream]);
		const {states, sleeps, watcher} = harness(docker);
		for (let index = 0; index < 7; index++) {
			await vi.waitFor(() => {
				expect(sleeps).toHaveLength(index + 1);
			});
			sleeps[index]?.resolve();
		}

		expect(sleeps.map(sleep => sleep.ms)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
		await vi.waitFor(() => {
			expect(states).toEqual(['connecting', 'reconnecting', 'connected']);
		});

		stream.destroy(new Error('socket hang up'));
		await vi.waitFor(() => {
			expect(sleeps).toHaveLength(8);
		});
		expect(sleeps[7]?.ms).toBe(250);
		expect(states).toEqual(['connecting', 'reconnecting', 'connected', 'reconnecting']);
		watcher.stop();
	});

	it('stops retrying and stays quiet after stop()', async () => {
		const {docker, calls} = fakeEngine([refused, refused]);
		const {states, sleeps, watcher} = harness(docker);
		await vi.waitFor(() => {
			expect(sleeps).toHaveLength(1);
		});
		watcher.stop();
		sleeps[0]?.resolve();
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(calls).toHaveLength(1);
		expect(states).toEqual(['connecting', 'reconnecting']);
	});

	describe('with the built-in timer', () => {
		afterEach(() => {
			vi.useRealTimers();
		});

		it('waits the backoff on a real timer, and stop() cancels the pending one', async () => {
			vi.useFakeTimers();
			const {docker, calls} = fakeEngine([refused, refused]);
			const states: EventsState[] = [];
			const watcher = watchEvents(docker, {onEvent: () => undefined, onState: state => states.push(state)});
			await vi.advanceTimersByTimeAsync(0);
			expect(states).toEqual(['connecting', 'reconnecting']);
			await vi.advanceTimersByTimeAsync(249);
			expect(calls).toHaveLength(1);
			await vi.advanceTimersByTimeAsync(1);
			expect(calls).toHaveLength(2);
			expect(vi.getTimerCount()).toBe(1);
			watcher.stop();
			expect(vi.getTimerCount()).toBe(0);
			await vi.advanceTimersByTimeAsync(10_000);
			expect(calls).toHaveLength(2);
		});
	});
});
