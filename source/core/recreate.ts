import {inspectContainer, userEnvironment} from './docker/containers.js';
import {imageEnvironment} from './docker/images.js';
import type {CreateOptions} from './create/plan.js';
import type {EngineHandle} from './engine-handle.js';
import {OperationError} from './errors.js';
import {mirrorImage} from './image-ref.js';
import {credentialsFromLabels} from './labels.js';
import {presets} from './presets/catalog.js';
import {readSeedBack} from './seed/container.js';
import {seedPayload} from './seed/files.js';
import type {ManagedContainer} from './types.js';

/** The create options that would make this container again, read back from the engine. */
export async function recreateOptions(handle: EngineHandle, container: ManagedContainer): Promise<CreateOptions> {
	const info = await inspectContainer(handle.docker, container.id);
	const credentials = credentialsFromLabels(container.labels);
	if (!info || !credentials) throw new OperationError(`${container.name} lacks the labels needed to recreate it.`);
	const preset = presets[container.database];
	const imageEnv = await imageEnvironment(handle.docker, info.Image);
	const owned = new Set(Object.keys(preset.environment(credentials, container.mode, container.version)));
	const env: Record<string, string> = {};
	for (const entry of userEnvironment(info.Config.Env ?? [], imageEnv)) {
		const key = entry.slice(0, entry.indexOf('='));
		if (!owned.has(key)) env[key] = entry.slice(key.length + 1);
	}
	// A seeded container comes back seeded: its init files, read back from it, give the same seed
	// (and so the same seeded template) as at its create.
	const seed = await readSeedBack(handle, container.id, container.labels);
	const presetImage = mirrorImage(preset.versions.find(v => v.version === container.version)?.image ?? '', handle.settings.registry);
	return {
		database: container.database,
		version: container.version,
		name: container.name,
		...(container.hostPort === undefined ? {} : {port: container.hostPort}),
		hostIp: container.hostIp,
		mode: container.mode,
		// The preset's own image is left to the plan, so templates apply again.
		...(container.image === presetImage ? {} : {image: container.image}),
		...(container.memoryLimitBytes ? {memory: container.memoryLimitBytes} : {}),
		user: credentials.user,
		password: credentials.password,
		databaseName: credentials.database,
		env,
		...(container.cdc ? {cdc: true} : {}),
		...(seed ? {seed: seedPayload(seed)} : {}),
	};
}
