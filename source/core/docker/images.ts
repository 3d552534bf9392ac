import {ImageNotFoundError, InterruptedError} from '../errors.js';
import type {ProgressListener} from '../types.js';
import type {DockerClient} from './client.js';
import {engineMessage, isUnavailable, statusOf, toUnavailable} from './client.js';
import {familiarReference} from './image-names.js';
import {withRetry} from './retry.js';

/** The local image's id, or undefined when the engine has no image by that reference. */
export async function localImageId(docker: DockerClient, reference: string): Promise<string | undefined> {
	try {
		return (await withRetry(async () => docker.getImage(reference).inspect())).Id;
	} catch (error) {
		if (statusOf(error) === 404) return undefined;
		if (isUnavailable(error)) throw toUnavailable(error);
		throw error;
	}
}

export async function imageExists(docker: DockerClient, reference: string): Promise<boolean> {
	return (await localImageId(docker, reference)) !== undefined;
}

type PullMessage = {status?: string; id?: string; error?: string; progressDetail?: {current?: number; total?: number}};

/**
 * Pull an image, reporting per-layer progress. A pull that fails part-way reports its error
 * inside a 200 response, so every message is checked, not just the HTTP status.
 */
export async function pullImage(docker: DockerClient, reference: string, options: {onProgress?: ProgressListener; signal?: AbortSignal} = {}): Promise<void> {
	const {onProgress, signal} = options;
	if (signal?.aborted) throw new InterruptedError(`Pulling ${reference}`);
	let stream: NodeJS.ReadableStream;
	try {
		stream = await withRetry(async () => docker.pull(reference) as Promise<NodeJS.ReadableStream>);
	} catch (error) {
		if (isUnavailable(error)) throw toUnavailable(error);
		throw new ImageNotFoundError(reference, engineMessage(error));
	}
	// Said with the first message that is not an error: Podman answers a missing tag with a 200
	// and only an error in the stream (dockerd with a 404 above), and "pulling…" then "not found"
	// would be one line too many.
	let started = false;
	const start = () => {
		if (started) return;
		started = true;
		onProgress?.({type: 'pull-start', image: reference});
	};
	await new Promise<void>((resolve, reject) => {
		let failure: string | undefined;
		const abort = () => {
			(stream as NodeJS.ReadableStream & {destroy?: () => void}).destroy?.();
			reject(new InterruptedError(`Pulling ${reference}`));
		};
		signal?.addEventListener('abort', abort, {once: true});
		docker.modem.followProgress(
			stream,
			(error: Error | null) => {
				signal?.removeEventListener('abort', abort);
				if (error) reject(new ImageNotFoundError(reference, error.message));
				else if (failure) reject(new ImageNotFoundError(reference, failure));
				else {
					start();
					resolve();
				}
			},
			(message: PullMessage) => {
				if (message.error) {
					failure = message.error;
					return;
				}
				start();
				if (message.id && message.status) {
					onProgress?.({
						type: 'pull-progress',
						image: reference,
						layer: message.id,
						status: message.status,
						...(message.progressDetail?.total ? {current: message.progressDetail.current ?? 0, total: message.progressDetail.total} : {}),
					});
				}
			},
		);
	});
}

export type ImageSummary = {id: string; tags: string[]; sizeBytes: number; created: Date; labels: Record<string, string>};

export async function listImages(docker: DockerClient): Promise<ImageSummary[]> {
	const images = await withRetry(async () => docker.listImages());
	return images.map(image => ({
		id: image.Id,
		tags: (image.RepoTags ?? []).filter(tag => tag !== '<none>:<none>').map(familiarReference),
		sizeBytes: image.Size,
		created: new Date(image.Created * 1000),
		labels: image.Labels ?? {},
	}));
}

export async function removeImage(docker: DockerClient, reference: string): Promise<void> {
	await withRetry(async () => docker.getImage(reference).remove());
}

/** The image's own environment ("KEY=value" entries), to tell it apart from what a user added. */
export async function imageEnvironment(docker: DockerClient, reference: string): Promise<string[]> {
	try {
		const info = await withRetry(async () => docker.getImage(reference).inspect());
		return info.Config?.Env ?? [];
	} catch {
		return [];
	}
}
