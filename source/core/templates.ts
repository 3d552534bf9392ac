import {createHash} from 'node:crypto';
import type {EngineHandle} from './engine-handle.js';
import {commitContainer, imageId} from './docker/commit.js';
import {createContainer, execInContainer, inspectContainer, listContainers, removeContainer, startContainer, stopContainer} from './docker/containers.js';
import {statusOf} from './docker/client.js';
import {imageExists, listImages, removeImage} from './docker/images.js';
import {ensureImage} from './create/image.js';
import {planCreate, withDataPath, type CreateOptions, type CreatePlan} from './create/plan.js';
import {describeTemplateImage, imageLabel, isTemplateImage, templateImageLabels} from './labels.js';
import {OperationError} from './errors.js';
import {readLogs} from './docker/logs.js';
import {copySeed} from './seed/container.js';
import {findInitFailure, InitScriptError} from './seed/failure.js';
import {seedFileNames} from './seed/files.js';

/**
 * Templates: a database initialised once and kept as a labelled local image, so later creates
 * with the same settings skip the first-start initialisation (seconds) and just start the server.
 *
 * The key is derived from everything that shapes the initialised data: the image's own id (a
 * re-pulled or rebuilt image makes a new key), engine, version, credentials, database, mode,
 * server flags, extra environment, and the init files (the hash of its init files' names, modes and
 * bytes): a template holds the init files' data, so another seed is another template. Nothing about
 * it is guessed. An unseeded plan's key is what it was before seeds existed.
 */
export function templateKey(plan: CreatePlan, sourceImageId: string): string {
	const material = {
		image: sourceImageId,
		engine: plan.preset.kind,
		version: plan.version.version,
		credentials: plan.credentials,
		mode: plan.mode,
		command: plan.command,
		// Code-point order: localeCompare's first call starts ICU, ~15 ms of every create; the presets' variable
		// names sort the same either way, so keys did not change (template-key.test.ts holds them to that).
		env: Object.entries(plan.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
		...(plan.seed ? {seed: plan.seed.hash} : {}),
	};
	return createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 16);
}

export function templateRepository(plan: CreatePlan): string {
	return `dbarena-template/${plan.preset.kind}-${plan.version.version}`;
}

export type TemplateInfo = {
	reference: string;
	key: string;
	database: string;
	version: string;
	mode: string;
	sourceImage: string;
	created: Date;
	sizeBytes: number;
	/** Whether the image it was made from is still the one its tag points to. */
	stale: boolean;
	/** The init files it holds: its hash and its files as the user named them. */
	seed?: {hash: string; files: string[]};
};

/** The template to start from for this plan, if one exists. */
export async function findTemplate(engine: EngineHandle, plan: CreatePlan, sourceImageId?: string): Promise<{reference: string; key: string} | undefined> {
	if (!plan.useTemplates || plan.source.kind !== 'fresh') return undefined;
	// The caller usually has just inspected the base image; asking again would cost a round trip per create.
	const key = templateKey(plan, sourceImageId ?? (await imageId(engine.docker, plan.image)));
	const reference = `${templateRepository(plan)}:${key}`;
	return (await imageExists(engine.docker, reference)) ? {reference, key} : undefined;
}

/**
 * Build the template for these create options: start a private builder container (no published
 * port) with the data directory on its own layer, wait until the real server answers the
 * credentials, stop it cleanly (a shutdown checkpoint, so the copy needs no recovery), commit it.
 * A builder already running for the same key means another process is on it: nothing to do.
 */
export async function buildTemplate(
	engine: EngineHandle,
	options: CreateOptions,
	control: {signal?: AbortSignal; timeoutMs?: number} = {},
): Promise<{reference: string; built: boolean; ms: number}> {
	const began = Date.now();
	await engine.ensureEngine();
	const plan = planCreate({...options, name: options.name ?? 'template-builder'}, engine.settings);
	const support = plan.preset.template;
	if (!support) throw new OperationError(`${plan.preset.title} has no template support.`);
	const source = (await ensureImage(engine, plan.image, control.signal ? {signal: control.signal} : {})).id;
	const key = templateKey(plan, source);
	const repository = templateRepository(plan);
	const reference = `${repository}:${key}`;
	if (await imageExists(engine.docker, reference)) return {reference, built: false, ms: Date.now() - began};

	const builder = withDataPath(plan, support.dataPath);
	const name = `dbarena-template-build-${key}`;
	let id: string;
	try {
		id = await createContainer(engine.docker, {
			name,
			Image: plan.image,
			Env: Object.entries(builder.env).map(([k, v]) => `${k}=${v}`),
			...(builder.command.length > 0 ? {Cmd: builder.command} : {}),
			Labels: {[imageLabel.templateBuilder]: key},
			HostConfig: {
				Memory: plan.memoryBytes,
				MemorySwap: plan.memoryBytes,
				...(plan.dataMount ? {Tmpfs: {[plan.dataMount]: 'rw,size=1m'}} : {}),
			},
		});
	} catch (error) {
		if (statusOf(error) === 409) return {reference, built: false, ms: Date.now() - began};
		throw error;
	}
	try {
		// The init files runs at the builder's first start, and its files stay in the image: containers
		// made from it carry them for a reset, and start with the init files' data already there.
		if (plan.seed) await copySeed(engine, id, plan.seed);
		await startContainer(engine.docker, id);
		const probe = support.probe(plan.credentials);
		const deadline = Date.now() + (control.timeoutMs ?? 120_000);
		for (;;) {
			if (control.signal?.aborted) throw new OperationError('Template build interrupted.');
			const info = await inspectContainer(engine.docker, id);
			if (!info?.State.Running) {
				const lines = await readLogs(engine.docker, id, {tail: 400}).catch(() => []);
				const failure = plan.seed ? findInitFailure(lines) : undefined;
				if (failure && plan.seed) throw new InitScriptError(failure, plan.seed, {exitCode: info?.State.ExitCode ?? -1, logTail: lines.slice(-10)});
				throw new OperationError(`The template builder exited while initialising:\n${lines.slice(-10).join('\n')}`);
			}
			const result = await execInContainer(engine.docker, id, probe.command, probe.env);
			if (result.exitCode === 0) break;
			if (Date.now() > deadline) throw new OperationError('The template builder did not become ready in time.');
			await new Promise(resolve => setTimeout(resolve, 100));
		}
		await stopContainer(engine.docker, id, 30);
		await commitContainer(engine.docker, id, {
			repo: repository,
			tag: key,
			comment: `dbarena template for ${plan.preset.kind} ${plan.version.version}`,
			labels: templateImageLabels({
				key,
				sourceImageId: source,
				sourceRef: plan.image,
				dataPath: support.dataPath,
				mode: plan.mode,
				database: plan.preset.kind,
				version: plan.version.version,
				...(plan.seed ? {seed: {hash: plan.seed.hash, files: plan.seed.entries.map(entry => entry.name)}} : {}),
			}),
		});
		return {reference, built: true, ms: Date.now() - began};
	} finally {
		await removeContainer(engine.docker, id);
	}
}

export async function listTemplates(engine: EngineHandle): Promise<TemplateInfo[]> {
	await engine.ensureEngine();
	const images = await listImages(engine.docker);
	const current = new Map<string, string>();
	for (const image of images) for (const tag of image.tags) current.set(tag, image.id);
	return images
		.filter(image => isTemplateImage(image.labels))
		.flatMap(image => {
			const template = describeTemplateImage(image.labels);
			return image.tags.map(reference => ({
				reference,
				key: template.key,
				database: template.database,
				version: template.version,
				mode: template.mode,
				sourceImage: template.sourceRef,
				created: image.created,
				sizeBytes: image.sizeBytes,
				stale: current.get(template.sourceRef) !== template.sourceImageId,
				...(template.seed ? {seed: {hash: template.seed.hash, files: seedFileNames(template.seed.files)}} : {}),
			}));
		})
		.sort((a, b) => a.reference.localeCompare(b.reference));
}

/**
 * Remove templates no container uses: all of them, or only the stale ones (made from an image
 * its tag no longer points to). Running containers keep theirs: the engine would refuse anyway.
 */
export async function pruneTemplates(engine: EngineHandle, options: {staleOnly?: boolean; only?: (template: TemplateInfo) => boolean} = {}): Promise<string[]> {
	const templates = (await listTemplates(engine)).filter(template => options.only?.(template) ?? true);
	const containers = await listContainers(engine.docker, {all: true, label: []});
	const inUse = new Set(containers.map(container => container.Image));
	const removed: string[] = [];
	for (const template of templates) {
		if (options.staleOnly && !template.stale) continue;
		if (inUse.has(template.reference)) continue;
		await removeImage(engine.docker, template.reference);
		removed.push(template.reference);
	}
	return removed;
}
