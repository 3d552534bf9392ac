import type {DockerClient} from './client.js';
import {statusOf} from './client.js';
import {withRetry} from './retry.js';

export type VolumeSummary = {name: string; labels: Record<string, string>; createdAt?: Date; mountpoint: string};

export async function inspectVolume(docker: DockerClient, name: string): Promise<VolumeSummary | undefined> {
	try {
		const volume = await withRetry(async () => docker.getVolume(name).inspect());
		const createdAt = (volume as {CreatedAt?: string}).CreatedAt;
		return {name: volume.Name, labels: volume.Labels ?? {}, mountpoint: volume.Mountpoint, ...(createdAt ? {createdAt: new Date(createdAt)} : {})};
	} catch (error) {
		if (statusOf(error) === 404) return undefined;
		throw error;
	}
}

export async function createVolume(docker: DockerClient, name: string, labels: Record<string, string>): Promise<void> {
	await withRetry(async () => docker.createVolume({Name: name, Labels: labels}));
}

export async function removeVolume(docker: DockerClient, name: string): Promise<void> {
	await withRetry(async () => docker.getVolume(name).remove());
}

export async function listVolumes(docker: DockerClient, labelFilter: string): Promise<VolumeSummary[]> {
	const {Volumes: volumes} = await withRetry(async () => docker.listVolumes({filters: {label: [labelFilter]}}));
	return (volumes ?? []).map(volume => ({
		name: volume.Name,
		labels: volume.Labels ?? {},
		mountpoint: volume.Mountpoint,
		...((volume as {CreatedAt?: string}).CreatedAt ? {createdAt: new Date((volume as {CreatedAt?: string}).CreatedAt!)} : {}),
	}));
}
