import type Docker from 'dockerode';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {watchEvents, type ContainerEvent, type EventsState} from '../../source/core/docker/events.js';
import {followLogs, readLogs, type StreamName} from '../../source/core/docker/logs.js';
import {followStats, pollStats, type ContainerStatsSample} from '../../source/core/docker/stats.js';
import {docker, ensureImage, registry, waitFor} from '../helpers/docker.js';

// The streaming endpoints (logs, events, stats) against the real engine. The containers run
// small bash scripts from the PostgreSQL fixture image instead of a database, so what is tested
// is the plumbing, not how long a server takes to start.

const image = `${registry}/library/postgres:15-alpine`;
const labels = {'dbarena.managed': 'true', 'dbarena.test': 'streams'};
const mebibytes64 = 64 * 1024 * 1024;

async function startScript(purpose: string, script: string, options: {tty?: boolean; hostConfig?: Docker.HostConfig} = {}): Promise<Docker.Container> {
	const container = await docker.createContainer({
		name: `dbarena-streams-${purpose}-${process.pid}`,
		Image: image,
		Entrypoint: ['bash', '-c', script],
		Tty: options.tty ?? false,
		Labels: labels,
		HostConfig: options.hostConfig,
	});
	await container.start();
	return container;
}

/** Polls a condition that callbacks make true; fails with the last assertion after 20 s. */
async function until(assertion: () => void): Promise<void> {
	await vi.waitFor(assertion, {timeout: 20_000, interval: 20});
}

beforeAll(async () => {
	await ensureImage(image);
});

afterAll(async () => {
	const containers = await docker.listContainers({all: true, filters: {label: ['dbarena.test=streams']}});
	await Promise.all(containers.map(async info => docker.getContainer(info.Id).remove({force: true, v: true})));
});

describe('logs', () => {
	const numbers = Array.from({length: 50}, (_, index) => index + 1);
	// Both streams interleaved; the pauses before the marker lines make their order across
	// streams certain, which the engine does not promise for lines written at the same moment.
	// Then it waits for /tmp/go, so following can be tested on output that comes later.
	const script = [
		'for i in $(seq 1 50); do echo "out $i"; echo "err $i" >&2; done',
		'sleep 0.1; echo tail-a; sleep 0.1; echo tail-b >&2; sleep 0.1; echo ready',
		'while [ ! -e /tmp/go ]; do sleep 0.05; done',
		'echo "more out"; sleep 0.1; echo "more err" >&2',
	].join('\n');
	let container: Docker.Container;

	beforeAll(async () => {
		container = await startScript('logs', script);
		await waitFor('the "ready" line', async () => (await readLogs(docker, container.id)).includes('ready'));
	});

	it('reads every line of both streams, in order per stream', async () => {
		const lines = await readLogs(docker, container.id);
		expect(lines).toHaveLength(103);
		expect(lines.filter(line => line.startsWith('out '))).toEqual(numbers.map(n => `out ${n}`));
		expect(lines.filter(line => line.startsWith('err '))).toEqual(numbers.map(n => `err ${n}`));
		expect(lines.slice(-3)).toEqual(['tail-a', 'tail-b', 'ready']);
	});

	it('reads only the last lines with tail', async () => {
		expect(await readLogs(docker, container.id, {tail: 3})).toEqual(['tail-a', 'tail-b', 'ready']);
	});

	it('follows from the tail, tells the streams apart and ends with the container', async () => {
		const lines: Array<[string, StreamName]> = [];
		let ended: {error?: Error} | undefined;
		followLogs(docker, container.id, {
			tail: 3,
			onLine(line, stream) {
				lines.push([line, stream]);
			},
			onEnd(error) {
				ended = {error};
			},
		});
		await until(() => {
			expect(lines.length).toBeGreaterThanOrEqual(3);
		});
		expect(lines).toEqual([
			['tail-a', 'stdout'],
			['tail-b', 'stderr'],
			['ready', 'stdout'],
		]);

		const exec = await container.exec({Cmd: ['touch', '/tmp/go']});
		await exec.start({Detach: true});
		await until(() => {
			expect(ended).toBeDefined();
		});
		expect(ended?.error).toBeUndefined();
		expect(lines.filter(([, stream]) => stream === 'stdout').map(([line]) => line)).toEqual(['tail-a', 'ready', 'more out']);
		expect(lines.filter(([, stream]) => stream === 'stderr').map(([line]) => line)).toEqual(['tail-b', 'more err']);
	});

	it('keeps a last line that has no newline', async () => {
		// Read after exit: a follower can miss such a line, because this engine writes it to the
		// log only when the process has exited and may close the follow stream before that.
		const partial = await startScript('partial', 'printf "first\\nno newline"');
		await partial.wait();
		expect(await readLogs(docker, partial.id)).toEqual(['first', 'no newline']);
	});

	it('a line written in pieces is one line in a tail and in a followed tail', async () => {
		// A server writes some lines in several writes (MariaDB's "Aborted connection" warnings): the
		// engine records each piece by itself (Podman's log marks all but the last as partial). Podman
		// 4.3 misplaces those pieces when it reads a log backwards for a tail (its bug 19545): a line
		// was joined to the next one and another cut in two. The pause before "last" makes its order
		// after the stderr line certain, which the engine does not promise across streams.
		const pieces = await startScript(
			'pieces',
			[
				'echo first; printf "one "; sleep 0.3; printf "two "; sleep 0.3; echo three; echo after',
				'printf "err-a " >&2; sleep 0.3; echo "err-b" >&2',
				'sleep 0.3; echo last; while [ ! -e /tmp/go ]; do sleep 0.05; done; printf "late "; sleep 0.3; echo line',
				'sleep 600',
			].join('\n'),
		);
		await waitFor('the "last" line', async () => (await readLogs(docker, pieces.id)).includes('last'));
		const whole = ['first', 'one two three', 'after', 'err-a err-b', 'last'];
		expect(await readLogs(docker, pieces.id)).toEqual(whole);
		expect(await readLogs(docker, pieces.id, {tail: 4})).toEqual(whole.slice(-4));
		expect(await readLogs(docker, pieces.id, {tail: 50})).toEqual(whole);

		const followed: string[] = [];
		const follower = followLogs(docker, pieces.id, {
			tail: 4,
			onLine(line) {
				followed.push(line);
			},
		});
		try {
			await until(() => {
				expect(followed.length).toBeGreaterThanOrEqual(4);
			});
			const exec = await pieces.exec({Cmd: ['touch', '/tmp/go']});
			await exec.start({Detach: true});
			await until(() => {
				expect(followed).toEqual([...whole.slice(-4), 'late line']);
			});
		} finally {
			follower.stop();
		}
	});

	it('reads a TTY container raw, even when its whole output is one JSON value', async () => {
		// docker-modem would JSON.parse a non-streamed answer like this one into an object.
		const tty = await startScript('tty', 'printf \'{"a": 1}\\n\'', {tty: true});
		await tty.wait();
		expect(await readLogs(docker, tty.id)).toEqual(['{"a": 1}']);
	});
});

describe('events', () => {
	it('sees a managed container start, and die with its exit code when killed', async () => {
		const events: ContainerEvent[] = [];
		const states: EventsState[] = [];
		const actionsOf = (id: string) => events.filter(event => event.id === id).map(event => event.action);
		const watcher = watchEvents(docker, {
			onEvent(event) {
				events.push(event);
			},
			onState(state) {
				states.push(state);
			},
		});
		try {
			await until(() => {
				expect(states).toContain('connected');
			});
			const container = await startScript('events', 'exec sleep 300');
			const {id} = container;
			await until(() => {
				expect(actionsOf(id)).toContain('start');
			});
			await container.kill();
			await until(() => {
				expect(actionsOf(id)).toContain('die');
			});

			const mine = events.filter(event => event.id === id);
			expect(mine.map(event => event.action)).toEqual(['create', 'start', 'kill', 'die']);
			const die = mine.find(event => event.action === 'die');
			// SIGKILL: 128 + 9.
			expect(die).toMatchObject({exitCode: 137, name: `dbarena-streams-events-${process.pid}`});
			expect(die?.labels).toMatchObject(labels);
			expect(states).toEqual(['connecting', 'connected']);
		} finally {
			watcher.stop();
		}
	});
});

describe('stats', () => {
	let container: Docker.Container;

	beforeAll(async () => {
		// A busy loop held to a fifth of one CPU, so the CPU figure has a known size.
		container = await startScript('stats', 'while :; do :; done', {hostConfig: {Memory: mebibytes64, NanoCpus: 200_000_000}});
	});

	it('follows the stats stream until stopped, with memory against the limit set and CPU in docker stats units', async () => {
		const samples: ContainerStatsSample[] = [];
		const follower = followStats(
			docker,
			container.id,
			sample => {
				samples.push(sample);
			},
			{minIntervalMs: 500},
		);
		try {
			await until(() => {
				expect(samples.length).toBeGreaterThanOrEqual(2);
			});
		} finally {
			follower.stop();
		}

		for (const sample of samples) {
			expect(sample.readAt).toBeInstanceOf(Date);
			expect(sample.memoryUsedBytes).toBeGreaterThan(0);
			expect(sample.memoryLimitBytes).toBe(mebibytes64);
			expect(sample.memoryPercent).toBeCloseTo((sample.memoryUsedBytes / mebibytes64) * 100, 10);
		}
		// The stream's first sample has no previous CPU reading; a later one has. The quota allows
		// 20 % of one CPU; the CLI's scale puts one full CPU at 100 %.
		const cpu = samples.at(-1)!.cpuPercent;
		expect(cpu).toBeGreaterThan(5);
		expect(cpu).toBeLessThan(35);
	});

	it('polls one-shot samples (what the dashboard does) with the same figures as the stream', async () => {
		const samples: ContainerStatsSample[] = [];
		const poller = pollStats(
			docker,
			container.id,
			sample => {
				samples.push(sample);
			},
			{minIntervalMs: 500},
		);
		try {
			await until(() => {
				expect(samples.length).toBeGreaterThanOrEqual(2);
			});
		} finally {
			poller.stop();
		}
		for (const sample of samples) {
			expect(sample.memoryUsedBytes).toBeGreaterThan(0);
			expect(sample.memoryLimitBytes).toBe(mebibytes64);
			// From two answers in a row: the same quota as above.
			expect(sample.cpuPercent).toBeGreaterThan(5);
			expect(sample.cpuPercent).toBeLessThan(35);
		}
	});
});
