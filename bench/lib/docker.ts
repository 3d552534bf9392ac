import Docker from 'dockerode';
import {parseDockerTime} from './clock.js';
import {runProcess, type ProcResult} from './proc.js';

/** The bench's own engine client, for bookkeeping only (inspect, stats, removal). */
export const docker = new Docker();

/** The docker CLI, as a person (and the naive baseline) would use it. */
export async function dockerCli(args: string[], timeoutMs = 120_000): Promise<ProcResult> {
	return runProcess('docker', args, {timeoutMs});
}

export type Inspected = {
	id: string;
	name: string;
	image: string;
	labels: Record<string, string>;
	/** Epoch ms. */
	created?: number;
	started?: number;
	running: boolean;
	memoryLimit: number;
	tmpfs: Record<string, string>;
};

export async function inspect(nameOrId: string): Promise<Inspected | undefined> {
	try {
		const info = await docker.getContainer(nameOrId).inspect();
		const created = parseDockerTime(info.Created);
		const started = parseDockerTime(info.State.StartedAt);
		return {
			id: info.Id,
			name: info.Name.replace(/^\//, ''),
			image: info.Config.Image,
			labels: info.Config.Labels ?? {},
			...(created === undefined ? {} : {created}),
			...(started === undefined ? {} : {started}),
			running: info.State.Running,
			memoryLimit: info.HostConfig.Memory ?? 0,
			tmpfs: (info.HostConfig as {Tmpfs?: Record<string, string>}).Tmpfs ?? {},
		};
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode === 404) return undefined;
		throw error;
	}
}

/** Force-remove a container and its anonymous volumes; a missing one is fine. */
export async function removeForce(nameOrId: string): Promise<void> {
	try {
		await docker.getContainer(nameOrId).remove({force: true, v: true});
	} catch (error) {
		const status = (error as {statusCode?: number}).statusCode;
		// 404: gone; 409: removal already in progress.
		if (status !== 404 && status !== 409) throw error;
	}
}

export type MemorySample = {
	usageBytes: number;
	inactiveFileBytes: number;
	/** usage − inactive file: what `docker stats` shows. */
	workingSetBytes: number;
	/** The limit the cgroup reports (the host's memory when there is none). */
	limitBytes: number;
};

type RawMemory = {usage?: number; limit?: number; stats?: {total_inactive_file?: number; inactive_file?: number}};

/** One stats sample (stream=false, as `docker stats --no-stream`). cgroup v1: total_inactive_file; v2: inactive_file. */
export async function memory(nameOrId: string): Promise<MemorySample> {
	const stats = (await docker.getContainer(nameOrId).stats({stream: false})) as unknown as {memory_stats?: RawMemory};
	const raw = stats.memory_stats ?? {};
	const usage = raw.usage ?? 0;
	const inactive = raw.stats?.total_inactive_file ?? raw.stats?.inactive_file ?? 0;
	return {usageBytes: usage, inactiveFileBytes: inactive, workingSetBytes: Math.max(0, usage - inactive), limitBytes: raw.limit ?? 0};
}

export async function imageId(reference: string): Promise<string | undefined> {
	try {
		return (await docker.getImage(reference).inspect()).Id;
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode === 404) return undefined;
		throw error;
	}
}
