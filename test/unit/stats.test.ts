import {PassThrough} from 'node:stream';
import type Docker from 'dockerode';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {computeStats, followStats, pollStats, type ContainerStatsSample, type RawStats} from '../../source/core/docker/stats.js';

// Shaped like this engine's (20.10, cgroup v1) answer, trimmed to the fields that matter.
const cgroupV1: RawStats = {
	read: '2026-11-26T09:45:35.455827117Z',
	pids_stats: {current: 3},
	cpu_stats: {
		cpu_usage: {total_usage: 2_400_000_000, percpu_usage: [1_200_000_000, 1_200_000_000]},
		system_cpu_usage: 1_744_000_000_000,
		online_cpus: 2,
	},
	precpu_stats: {
		cpu_usage: {total_usage: 2_000_000_000, percpu_usage: [1_000_000_000, 1_000_000_000]},
		system_cpu_usage: 1_742_000_000_000,
		online_cpus: 2,
	},
	memory_stats: {
		usage: 50 * 1024 * 1024,
		limit: 64 * 1024 * 1024,
		// v1 reports both; the hierarchical total is the one the CLI subtracts.
		stats: {total_inactive_file: 10 * 1024 * 1024, inactive_file: 4 * 1024 * 1024},
	},
	networks: {eth0: {rx_bytes: 1000, tx_bytes: 200}, eth1: {rx_bytes: 5, tx_bytes: 7}},
};

// cgroup v2: no percpu_usage, no total_* keys.
const cgroupV2: RawStats = {
	cpu_stats: {cpu_usage: {total_usage: 1_500_000_000}, system_cpu_usage: 20_000_000_000, online_cpus: 4},
	precpu_stats: {cpu_usage: {total_usage: 1_000_000_000}, system_cpu_usage: 10_000_000_000, online_cpus: 4},
	memory_stats: {usage: 300_000_000, limit: 1_000_000_000, stats: {inactive_file: 100_000_000}},
};

describe('computeStats', () => {
	it('on a Podman stream sample, gives the container’s share of one CPU from the wall time between the readings', () => {
		// Podman 4.3, a busy loop held to 0.2 CPU: 1.0 s of CPU in 5 s, while its system_cpu_usage
		// moved 1.48 s on 2 CPUs (dockerd's would move 10 s): the CLI's formula said 135 %.
		const podman: RawStats = {
			read: '2026-11-28T10:11:24.532331621Z',
			preread: '2026-11-28T10:11:19.526283482Z',
			cpu_stats: {cpu_usage: {total_usage: 1_456_351_327}, system_cpu_usage: 40_830_094_312_591, online_cpus: 2},
			precpu_stats: {cpu_usage: {total_usage: 456_987_953}, system_cpu_usage: 40_828_610_379_690, online_cpus: 2},
			memory_stats: {usage: 10, limit: 100},
		};
		expect(computeStats(podman).cpuPercent).toBeCloseTo(19.97, 1);
	});

	it('uses the docker CLI formulas on a cgroup v1 sample', () => {
		const stats = computeStats(cgroupV1);
		// 0.4e9 ns used / 2e9 ns of system time (1 s on 2 CPUs) × 2 CPUs × 100
		expect(stats.cpuPercent).toBeCloseTo(40, 10);
		expect(stats.memoryUsedBytes).toBe(40 * 1024 * 1024);
		expect(stats.memoryLimitBytes).toBe(64 * 1024 * 1024);
		expect(stats.memoryPercent).toBeCloseTo(62.5, 10);
		expect(stats.onlineCpus).toBe(2);
		expect(stats.networkRxBytes).toBe(1005);
		expect(stats.networkTxBytes).toBe(207);
		expect(stats.pids).toBe(3);
		expect(stats.readAt).toEqual(new Date('2026-11-26T09:45:35.455Z'));
	});

	it('uses inactive_file on a cgroup v2 sample', () => {
		const stats = computeStats(cgroupV2);
		// 0.5e9 / 10e9 × 4 × 100
		expect(stats.cpuPercent).toBeCloseTo(20, 10);
		expect(stats.memoryUsedBytes).toBe(200_000_000);
		expect(stats.memoryPercent).toBeCloseTo(20, 10);
	});

	it('falls back to the length of percpu_usage, then to one CPU', () => {
		const withPercpu: RawStats = {
			cpu_stats: {cpu_usage: {total_usage: 300, percpu_usage: [100, 100, 100]}, system_cpu_usage: 2000},
			precpu_stats: {cpu_usage: {total_usage: 200}, system_cpu_usage: 1000},
		};
		expect(computeStats(withPercpu).onlineCpus).toBe(3);
		expect(computeStats(withPercpu).cpuPercent).toBeCloseTo(30, 10);

		const bare: RawStats = {
			cpu_stats: {cpu_usage: {total_usage: 300}, system_cpu_usage: 2000},
			precpu_stats: {cpu_usage: {total_usage: 200}, system_cpu_usage: 1000},
		};
		expect(computeStats(bare).onlineCpus).toBe(1);
		expect(computeStats(bare).cpuPercent).toBeCloseTo(10, 10);
	});

	it('gives 0 % CPU when either delta is zero or negative', () => {
		const idle = {...cgroupV1, cpu_stats: cgroupV1.precpu_stats};
		expect(computeStats(idle).cpuPercent).toBe(0);

		const noSystemDelta: RawStats = {
			cpu_stats: {cpu_usage: {total_usage: 500}, system_cpu_usage: 1000, online_cpus: 2},
			precpu_stats: {cpu_usage: {total_usage: 100}, system_cpu_usage: 1000, online_cpus: 2},
		};
		expect(computeStats(noSystemDelta).cpuPercent).toBe(0);

		// A counter that went backwards (container restarted between readings).
		const backwards: RawStats = {
			cpu_stats: {cpu_usage: {total_usage: 100}, system_cpu_usage: 2000, online_cpus: 2},
			precpu_stats: {cpu_usage: {total_usage: 500}, system_cpu_usage: 1000, online_cpus: 2},
		};
		expect(computeStats(backwards).cpuPercent).toBe(0);
	});

	it("never reports memory below zero, and copes with a stopped container's empty sample", () => {
		const odd: RawStats = {memory_stats: {usage: 1000, limit: 4000, stats: {total_inactive_file: 5000}}};
		expect(computeStats(odd).memoryUsedBytes).toBe(1000);

		const stopped: RawStats = {read: '0001-01-01T00:00:00Z', cpu_stats: {cpu_usage: {total_usage: 0}}, precpu_stats: {}, memory_stats: {}};
		expect(computeStats(stopped)).toMatchObject({readAt: undefined, cpuPercent: 0, memoryUsedBytes: 0, memoryLimitBytes: 0, memoryPercent: 0});
	});
});

describe('followStats', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	function fakeDocker(stream: PassThrough) {
		const stats = vi.fn(async () => stream);
		// Only getContainer().stats is used; the rest of Dockerode is irrelevant here.
		const docker = {getContainer: () => ({stats})} as unknown as Docker;
		return {docker, stats};
	}

	const sample = (totalUsage: number) =>
		`${JSON.stringify({
			cpu_stats: {cpu_usage: {total_usage: totalUsage}, system_cpu_usage: 2000, online_cpus: 1},
			precpu_stats: {cpu_usage: {total_usage: 0}, system_cpu_usage: 1000, online_cpus: 1},
			memory_stats: {usage: 10, limit: 100},
		})}\n`;

	it('splits samples across chunks, throttles to one per interval and delivers the newest', async () => {
		vi.useFakeTimers();
		const stream = new PassThrough();
		const {docker, stats} = fakeDocker(stream);
		const seen: ContainerStatsSample[] = [];
		const follower = followStats(docker, 'abc', s => seen.push(s), {minIntervalMs: 1000});
		await vi.advanceTimersByTimeAsync(0);
		expect(stats).toHaveBeenCalledWith({stream: true});

		const first = sample(100);
		stream.write(first.slice(0, 20));
		await vi.advanceTimersByTimeAsync(0);
		expect(seen).toHaveLength(0);
		stream.write(first.slice(20) + sample(200) + sample(300));
		await vi.advanceTimersByTimeAsync(0);
		// The first goes out at once; the next two came too soon and only the newest is kept.
		expect(seen.map(s => s.cpuPercent)).toEqual([10]);

		await vi.advanceTimersByTimeAsync(999);
		expect(seen).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(seen.map(s => s.cpuPercent)).toEqual([10, 30]);

		// Quiet for longer than the interval: the next one is delivered immediately.
		await vi.advanceTimersByTimeAsync(5000);
		stream.write(sample(400));
		await vi.advanceTimersByTimeAsync(0);
		expect(seen.map(s => s.cpuPercent)).toEqual([10, 30, 40]);

		follower.stop();
		expect(stream.destroyed).toBe(true);
	});

	it('calls onEnd when the stream ends by itself, and not after stop()', async () => {
		const ended = new PassThrough();
		const onEnd = vi.fn();
		followStats(fakeDocker(ended).docker, 'abc', () => undefined, {onEnd});
		await vi.waitFor(() => {
			expect(ended.listenerCount('data')).toBe(1);
		});
		ended.end();
		await vi.waitFor(() => {
			expect(onEnd).toHaveBeenCalledWith(undefined);
		});

		const stopped = new PassThrough();
		const onEnd2 = vi.fn();
		const follower = followStats(fakeDocker(stopped).docker, 'abc', () => undefined, {onEnd: onEnd2});
		await vi.waitFor(() => {
			expect(stopped.listenerCount('data')).toBe(1);
		});
		follower.stop();
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(stopped.destroyed).toBe(true);
		expect(onEnd2).not.toHaveBeenCalled();
	});
});

describe('pollStats (one-shot samples instead of a stream)', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	/** One-shot answers carry no previous CPU reading; CPU % comes from two answers in a row. */
	const oneShot = (totalUsage: number, system: number, read = '2026-11-26T09:45:35Z'): RawStats => ({
		read,
		cpu_stats: {cpu_usage: {total_usage: totalUsage}, system_cpu_usage: system, online_cpus: 1},
		precpu_stats: {},
		memory_stats: {usage: 10, limit: 100},
	});

	it('asks for one sample per interval, and gives CPU % from each answer and the one before', async () => {
		vi.useFakeTimers();
		// 0.1 s of CPU in the first second, 0.4 s in the next two: 10 % and 20 % of one CPU.
		const answers = [
			oneShot(0, 1000, '2026-11-26T09:45:35Z'),
			oneShot(100_000_000, 2000, '2026-11-26T09:45:36Z'),
			oneShot(500_000_000, 3000, '2026-11-26T09:45:38Z'),
		];
		const stats = vi.fn(async () => answers.shift() ?? oneShot(300, 4000));
		const docker = {getContainer: () => ({stats})} as unknown as Docker;
		const seen: ContainerStatsSample[] = [];
		const poller = pollStats(docker, 'abc', s => seen.push(s), {minIntervalMs: 2000});
		await vi.advanceTimersByTimeAsync(0);
		expect(stats).toHaveBeenCalledWith({stream: false, 'one-shot': true});
		// The first answer alone has nothing to compare with: the second follows one second later.
		expect(seen).toHaveLength(0);
		await vi.advanceTimersByTimeAsync(1000);
		expect(seen.map(s => s.cpuPercent)).toEqual([10]);
		await vi.advanceTimersByTimeAsync(1999);
		expect(stats).toHaveBeenCalledTimes(2);
		await vi.advanceTimersByTimeAsync(1);
		expect(seen.map(s => s.cpuPercent)).toEqual([10, 20]);
		expect(seen[0]?.memoryUsedBytes).toBe(10);
		poller.stop();
		await vi.advanceTimersByTimeAsync(10_000);
		expect(stats).toHaveBeenCalledTimes(3);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('asks again after the interval nextAskMs gives at each answer, and soon() brings a far ask forward to minIntervalMs', async () => {
		vi.useFakeTimers();
		let total = 0;
		const stats = vi.fn(async () => {
			total += 100_000_000;
			return oneShot(total, total * 10);
		});
		let next = 10_000;
		const poller = pollStats({getContainer: () => ({stats})} as unknown as Docker, 'abc', () => undefined, {minIntervalMs: 2000, nextAskMs: () => next});
		await vi.advanceTimersByTimeAsync(1000);
		// The pair that makes the first CPU % is not delayed by a long interval.
		expect(stats).toHaveBeenCalledTimes(2);
		await vi.advanceTimersByTimeAsync(9999);
		expect(stats).toHaveBeenCalledTimes(2);
		await vi.advanceTimersByTimeAsync(1);
		expect(stats).toHaveBeenCalledTimes(3);
		// The row became the selected one: its next figure comes minIntervalMs after the last ask.
		await vi.advanceTimersByTimeAsync(500);
		next = 2000;
		poller.soon();
		await vi.advanceTimersByTimeAsync(1499);
		expect(stats).toHaveBeenCalledTimes(3);
		await vi.advanceTimersByTimeAsync(1);
		expect(stats).toHaveBeenCalledTimes(4);
		await vi.advanceTimersByTimeAsync(2000);
		expect(stats).toHaveBeenCalledTimes(5);
		// soon() never delays an ask that is already due sooner.
		await vi.advanceTimersByTimeAsync(1900);
		poller.soon();
		await vi.advanceTimersByTimeAsync(100);
		expect(stats).toHaveBeenCalledTimes(6);
		poller.stop();
		poller.soon();
		await vi.advanceTimersByTimeAsync(10_000);
		expect(stats).toHaveBeenCalledTimes(6);
	});

	it('on Podman, whose system_cpu_usage is not the host’s total CPU time, still gives the container’s share of one CPU', async () => {
		vi.useFakeTimers();
		// Two one-shot answers from Podman 4.3 for a busy loop held to 0.2 CPU (docker run --cpus 0.2):
		// its system_cpu_usage moved 0.62 s in 2.2 s on 2 CPUs, where dockerd's would move 4.4 s.
		const answers = [
			oneShot(654_816_254, 40_748_486_455_335, '2026-11-28T10:09:35.041202961Z'),
			oneShot(1_095_487_861, 40_749_103_446_139, '2026-11-28T10:09:37.237822955Z'),
		];
		const stats = vi.fn(async () => answers.shift()!);
		const seen: ContainerStatsSample[] = [];
		const poller = pollStats({getContainer: () => ({stats})} as unknown as Docker, 'abc', s => seen.push(s), {minIntervalMs: 2000});
		await vi.advanceTimersByTimeAsync(1000);
		poller.stop();
		expect(seen).toHaveLength(1);
		expect(seen[0]!.cpuPercent).toBeCloseTo(20.06, 1);
	});

	it('ends with onEnd when the engine refuses (the container went away), and not after stop()', async () => {
		vi.useFakeTimers();
		const onEnd = vi.fn();
		const gone = vi.fn(async () => {
			throw Object.assign(new Error('no such container'), {statusCode: 404});
		});
		pollStats({getContainer: () => ({stats: gone})} as unknown as Docker, 'abc', () => undefined, {onEnd});
		await vi.advanceTimersByTimeAsync(0);
		expect(onEnd).toHaveBeenCalledTimes(1);
		expect(vi.getTimerCount()).toBe(0);

		const onEnd2 = vi.fn();
		const slow = vi.fn(async () => oneShot(0, 1000));
		const poller = pollStats({getContainer: () => ({stats: slow})} as unknown as Docker, 'abc', () => undefined, {onEnd: onEnd2});
		poller.stop();
		await vi.advanceTimersByTimeAsync(10_000);
		expect(onEnd2).not.toHaveBeenCalled();
		expect(slow).toHaveBeenCalledTimes(1);
	});
});
