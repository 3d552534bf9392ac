import {localImageId, pullImage} from '../docker/images.js';
import type {EngineHandle} from '../engine-handle.js';
import {OperationError} from '../errors.js';
import type {ProgressListener} from '../types.js';

export type ImageOperation = {signal?: AbortSignal; onProgress?: ProgressListener};

/** Pull the image if it is missing; also gives the local image's id (a template's key needs it). */
export async function ensureImage(handle: EngineHandle, image: string, operation: ImageOperation = {}): Promise<{pulled: boolean; id: string}> {
	await handle.ensureEngine();
	const cached = await localImageId(handle.docker, image);
	if (cached !== undefined) {
		operation.onProgress?.({type: 'image-cached', image});
		return {pulled: false, id: cached};
	}
	const began = Date.now();
	await pullImage(handle.docker, image, operation);
	operation.onProgress?.({type: 'pull-done', image, ms: Date.now() - began});
	const id = await localImageId(handle.docker, image);
	if (id === undefined) throw new OperationError(`${image} was pulled but the engine has no such image.`);
	return {pulled: true, id};
}
