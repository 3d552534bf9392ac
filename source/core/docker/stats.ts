import type Docker from 'dockerode';
import {consumeStream, createJsonLineSplitter, type DockerStream} from './json-lines.js';

type CpuStats = {
	cpu_usage?: {total_usage?: number; percpu_usage?: number[] | null};
	system_cpu_usage?: number;
	online_cpus?: number;
};

/**
 * The fields of the engine's stats JSON that we read. Every field is optional because the engine
 * omits or zeroes them for a container that is not running, and for the first sample of a stream
 * (no previous CPU reading yet).
 */
export type RawStats = {
	read?: string;
	/** When precpu_stats were read (zero time on a stream's first sample). */
	preread?: string;
	cpu_stats?: CpuStats;
	precpu_stats?: CpuStats;
	memory_stats?: {
		usage?: number;
		limit?: number;
		stats?: {total_inactive_file?: number; inactive_file?: number};
	};
	networks?: Record<string, {rx_bytes?: number; tx_bytes?: number}>;
	pids_stats?: {current?: number};
};

export type ContainerStatsSample = {
	/**
	 * When the engine took the sample; undefined when the container is not running. The engine
	 * then keeps sending all-zero samples once a second rather than ending the stream.
	 */
	readAt: Date | undefined;
	cpuPercent: number;
	/** Usage without the inactive page cache, as `docker stats` shows it. */
	memoryUsedBytes: number;
	/** The container's memory limit, or the host's memory when it has none. */
	memoryLimitBytes: number;
	memoryPercent: number;
	onlineCpus: number;
	networkRxBytes: number;
	networkTxBytes: number;
	pids: number;
};

// Go's zero time, which the engine sends for a container that is not running.
const zeroTime = '0001-01-01T00:00:00Z';

function readTime(read: string | undefined): Date | undefined {
	if (read === undefined || read === zeroTime) return undefined;
	const time = new Date(read);
	return Number.isNaN(time.getTime()) ? undefined : time;
}

/** The docker CLI's arithmetic, so our numbers match what users see in `docker stats`. */
export function computeStats(sample: RawStats): ContainerStatsSample {
	const cpu = sample.cpu_stats ?? {};
	const precpu = sample.precpu_stats ?? {};
	const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (precpu.cpu_usage?.total_usage ?? 0);
	const systemDelta = (cpu.system_cpu_usage ?? 0) - (precpu.system_cpu_usage ?? 0);
	// Engines before API 1.27 send no online_cpus; cgroup v2 engines send no percpu_usage.
	const onlineCpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
	// CPU time over the wall time between the two readings (100 % = one CPU): dockerd's formula
	// divides by its system time, the host's total CPU time (wall time × CPUs), which comes to the
	// same; Podman 4's system_cpu_usage is not that (it moved 1.5 s in 5 s on 2 CPUs here) and put
	// a container held to 0.2 CPU at 40–90 %. The formula stays for answers without both times.
	const [from, to] = [readTime(sample.preread), readTime(sample.read)];
	const wallNs = from && to ? (to.getTime() - from.getTime()) * 1e6 : 0;
	const cpuPercent = cpuDelta <= 0 ? 0 : wallNs > 0 ? (cpuDelta / wallNs) * 100 : systemDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;

	const memory = sample.memory_stats ?? {};
	const usage = memory.usage ?? 0;
	// cgroup v1 reports total_inactive_file, v2 only inactive_file. Like the CLI, the page cache
	// is only subtracted when it is smaller than usage, so the result never goes below zero.
	const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
	const memoryUsedBytes = inactive < usage ? usage - inactive : usage;
	const memoryLimitBytes = memory.limit ?? 0;
	const memoryPercent = memoryLimitBytes > 0 ? (memoryUsedBytes / memoryLimitBytes) * 100 : 0;

	let networkRxBytes = 0;
	let networkTxBytes = 0;
	for (const network of Object.values(sample.networks ?? {})) {
		networkRxBytes += network.rx_bytes ?? 0;
		networkTxBytes += network.tx_bytes ?? 0;
	}

	return {
		readAt: readTime(sample.read),
		cpuPercent,
		memoryUsedBytes,
		memoryLimitBytes,
		memoryPercent,
		onlineCpus,
		networkRxBytes,
		networkTxBytes,
		pids: sample.pids_stats?.current ?? 0,
	};
}

export type FollowStatsOptions = {
	/** At most one sample per this many ms reaches onSample (default 1000). */
	minIntervalMs?: number;
	/** Called once when the stream ends by itself (container removed, engine gone), not after stop(). */
	onEnd?: (error?: Error) => void;
	/**
	 * Ask once per interval (pollStats) rather than hold a stream the engine serves every second:
	 * cheaper for the engine when the interval is longer than its second.
	 */
	poll?: boolean;
	/**
	 * When polling, the wait before the next ask, asked after each answer (default minIntervalMs):
	 * a caller that shows some figures less often than others can space those asks further apart.
	 */
	nextAskMs?: () => number;
};

/** A stats feed. soon(): the caller wants a figure within minIntervalMs (a poll's next ask is far off). */
export type StatsFollower = {stop(): void; soon(): void};

/**
 * Follows the engine's stats stream (one sample a second while the container runs). Samples that
 * come too soon are not dropped but held and delivered when the interval is up, newest wins:
 * dropping would turn the engine's slightly jittery 1 s cadence into a 2 s one.
 */
export function followStats(
	docker: Docker,
	containerId: string,
	onSample: (sample: ContainerStatsSample) => void,
	options: FollowStatsOptions = {},
): StatsFollower {
	const {minIntervalMs = 1000, onEnd} = options;
	let stopped = false;
	let destroy: (() => void) | undefined;
	let lastEmitAt = Number.NEGATIVE_INFINITY;
	let pending: ContainerStatsSample | undefined;
	let timer: NodeJS.Timeout | undefined;

	const emitPending = () => {
		timer = undefined;
		if (stopped || pending === undefined) return;
		const sample = pending;
		pending = undefined;
		lastEmitAt = Date.now();
		onSample(sample);
	};

	const offer = (sample: ContainerStatsSample) => {
		pending = sample;
		if (timer !== undefined) return;
		const wait = lastEmitAt + minIntervalMs - Date.now();
		if (wait <= 0) emitPending();
		else timer = setTimeout(emitPending, wait);
	};

	const end = (error?: Error) => {
		clearTimeout(timer);
		if (stopped) return;
		stopped = true;
		onEnd?.(error);
	};

	const splitter = createJsonLineSplitter(value => {
		// The engine's stats JSON; computeStats reads every field defensively.
		offer(computeStats(value as RawStats));
	});

	docker
		.getContainer(containerId)
		.stats({stream: true})
		.then((stream: DockerStream) => {
			if (stopped) {
				stream.destroy?.();
				return;
			}

			destroy = consumeStream(
				stream,
				chunk => {
					splitter.push(chunk);
				},
				end,
			);
		})
		.catch((error: unknown) => {
			end(error instanceof Error ? error : new Error(String(error)));
		});

	return {
		stop() {
			if (stopped) return;
			stopped = true;
			clearTimeout(timer);
			// Before the response arrives there is nothing to destroy; the then() above does it.
			destroy?.();
		},
		// A stream already delivers every minIntervalMs.
		soon() {},
	};
}

/** The first answer has no CPU reading to compare with; the second comes this soon after it. */
const firstPairMs = 1000;

/** One sample from two one-shot answers, as a stream's sample is made of this reading and the one before. */
function fromPair(before: RawStats, after: RawStats): ContainerStatsSample {
	return computeStats({...after, precpu_stats: before.cpu_stats ?? {}, ...(before.read === undefined ? {} : {preread: before.read})});
}

/**
 * Samples a container's stats by asking once per interval (`one-shot`: the engine reads the
 * cgroups once and answers at once) instead of holding a stream it would serve every second: for
 * a dashboard that shows one figure per 2 s, the engine does half the work or less. CPU % comes
 * from each answer and the one before, as `docker stats` does from a stream's pair.
 */
export function pollStats(
	docker: Docker,
	containerId: string,
	onSample: (sample: ContainerStatsSample) => void,
	options: FollowStatsOptions = {},
): StatsFollower {
	const {minIntervalMs = 1000, onEnd, nextAskMs = () => minIntervalMs} = options;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let previous: RawStats | undefined;
	let askedAt = 0;
	let dueAt = 0;

	const askIn = (ms: number) => {
		clearTimeout(timer);
		dueAt = Date.now() + ms;
		timer = setTimeout(() => {
			void ask();
		}, ms);
	};

	const ask = async () => {
		timer = undefined;
		askedAt = Date.now();
		let raw: RawStats;
		try {
			// stream=false&one-shot=true (the socket client sends it to the engine as such).
			raw = (await docker.getContainer(containerId).stats({stream: false, 'one-shot': true} as {stream: false})) as RawStats;
		} catch (error) {
			if (stopped) return;
			stopped = true;
			onEnd?.(error instanceof Error ? error : new Error(String(error)));
			return;
		}
		if (stopped) return;
		const before = previous;
		previous = raw;
		if (before) onSample(fromPair(before, raw));
		askIn(before ? nextAskMs() : firstPairMs);
	};
	void ask();

	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
			timer = undefined;
		},
		soon() {
			// No timer: stopped, or an ask is on its way and schedules the next with nextAskMs.
			if (stopped || timer === undefined) return;
			const wanted = Math.max(askedAt + minIntervalMs, Date.now());
			if (wanted < dueAt) askIn(wanted - Date.now());
		},
	};
}
