import {ensureImage, type ImageOperation} from './create/image.js';
import type {EngineHandle} from './engine-handle.js';
import {isSnapshotImage, isTemplateImage} from './labels.js';
import {listContainers} from './docker/containers.js';
import {listImages, removeImage} from './docker/images.js';
import {presetList, resolvePreset, resolveVersion} from './presets/catalog.js';
import {ConfirmationRequiredError} from './errors.js';
import {mirrorImage, splitReference} from './image-ref.js';
import type {DatabaseKind} from './types.js';

export type CachedImage = {
	reference: string;
	database: DatabaseKind;
	version: string;
	id: string;
	sizeBytes: number;
	created: Date;
	/** Containers (managed or not) that use it; such an image is never pruned. */
	usedBy: number;
};

/** Every preset image reference as it is pulled here (through the mirror, if one is set). */
function presetReferences(registry: string | undefined): Map<string, {database: DatabaseKind; version: string}> {
	const references = new Map<string, {database: DatabaseKind; version: string}>();
	for (const preset of presetList) {
		for (const version of preset.versions) {
			references.set(mirrorImage(version.image, registry), {database: preset.kind, version: version.version});
		}
	}
	return references;
}

/** Cached images of the supported databases (the images dbarena's presets use). */
export async function listCachedImages(engine: EngineHandle): Promise<CachedImage[]> {
	await engine.ensureEngine();
	const presets = presetReferences(engine.settings.registry);
	const [images, containers] = await Promise.all([listImages(engine.docker), listContainers(engine.docker, {all: true, label: []})]);
	const cached: CachedImage[] = [];
	for (const image of images) {
		// Templates and snapshots are managed on their own, never here.
		if (isTemplateImage(image.labels) || isSnapshotImage(image.labels)) continue;
		for (const tag of image.tags) {
			const preset = presets.get(tag);
			if (!preset) continue;
			const usedBy = containers.filter(container => container.ImageID === image.id || container.Image === tag).length;
			cached.push({reference: tag, ...preset, id: image.id, sizeBytes: image.sizeBytes, created: image.created, usedBy});
		}
	}
	return cached.sort((a, b) => a.reference.localeCompare(b.reference, undefined, {numeric: true}));
}

/**
 * What `images pull` means: "postgres" is its default version, "postgres:16" that version,
 * and all=true every version of every engine.
 */
export function pullTargets(engine: EngineHandle, inputs: string[], all: boolean): Array<{database: DatabaseKind; version: string; image: string}> {
	const wanted = all
		? presetList.flatMap(preset => preset.versions.map(version => ({preset, version})))
		: inputs.map(input => {
				const [database = '', version] = input.split(':');
				const preset = resolvePreset(database);
				return {preset, version: resolveVersion(preset, version)};
			});
	return wanted.map(({preset, version}) => ({database: preset.kind, version: version.version, image: mirrorImage(version.image, engine.settings.registry)}));
}

export async function pullImages(
	engine: EngineHandle,
	targets: Array<{image: string}>,
	operation: {signal?: AbortSignal; onProgress?: (image: string) => ImageOperation['onProgress']} = {},
): Promise<Array<{image: string; pulled: boolean; error?: Error}>> {
	return Promise.all(
		targets.map(async ({image}) => {
			try {
				const onProgress = operation.onProgress?.(image);
				const {pulled} = await ensureImage(engine, image, {...(operation.signal ? {signal: operation.signal} : {}), ...(onProgress ? {onProgress} : {})});
				return {image, pulled};
			} catch (error) {
				return {image, pulled: false, error: error as Error};
			}
		}),
	);
}

/** Remove cached database images no container uses. Asks for confirmation at the API level too. */
export async function pruneImages(engine: EngineHandle, options: {confirmed: boolean}): Promise<{removed: CachedImage[]; kept: CachedImage[]}> {
	const cached = await listCachedImages(engine);
	const unused = cached.filter(image => image.usedBy === 0);
	if (unused.length > 0 && !options.confirmed) {
		throw new ConfirmationRequiredError(
			`Pruning would remove ${unused.length} image(s): ${unused.map(image => image.reference).join(', ')}. Confirm with --yes.`,
		);
	}
	const removed: CachedImage[] = [];
	for (const image of unused) {
		await removeImage(engine.docker, image.reference);
		removed.push(image);
	}
	return {removed, kept: cached.filter(image => image.usedBy > 0)};
}

export {splitReference};
