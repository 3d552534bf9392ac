import {createReadStream, createWriteStream} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import type {EngineHandle} from './engine-handle.js';
import {commitContainer} from './docker/commit.js';
import {putArchive, readArchive, reroot} from './docker/archive.js';
import {call, createContainer, inspectContainer, removeContainer, type ContainerInspectInfo} from './docker/containers.js';
import {statusOf} from './docker/client.js';
import {imageExists, listImages, removeImage} from './docker/images.js';
import {ensureImage} from './create/image.js';
import {planCreate, withDataPath, type CreateOptions, type CreatePlan} from './create/plan.js';
import {findManaged} from './inventory.js';
import {presets, resolvePreset, resolveVersion} from './presets/catalog.js';
import {DbarenaError, OperationError, UsageError} from './errors.js';
import {credentialsFromLabels, dataPathFromLabels, describeSnapshotImage, imageLabel, isSnapshotImage, snapshotImageLabels} from './labels.js';
import {quiesce} from './probes.js';

/**
 * Snapshots: a running database's data, captured consistently into a local image that new
 * containers start from (`create --from-snapshot`). The data is read wherever it lives — a named
 * or anonymous volume, or the container's layer — which `docker commit` alone would miss (it skips
 * volumes: the bug that made the old tool's snapshots silently empty). The engine reads it (its
 * archive API), so nothing inside the database's image is needed: the official mysql images have
 * no tar. Data on tmpfs (only containers of old dbarena versions have it) is refused, as the engine
 * cannot read it and the snapshot would be silently empty.
 *
 * Consistency: the engine is asked to write its dirty pages first (a checkpoint), then the
 * container is paused while its data directory is read, so the copy is what a power cut at that
 * instant would leave on disk, minus nothing: the page cache is coherent. The server's normal
 * crash recovery replays the little WAL/redo written since the checkpoint.
 */
export const snapshotRepository = 'dbarena-snapshot';

const tagPattern = /^[\w][\w.-]{0,127}$/;

export function validateSnapshotTag(tag: string): void {
	if (!tagPattern.test(tag)) {
		throw new UsageError(`Invalid snapshot tag "${tag}": use 1–128 letters, digits, "_", "." or "-", not starting with "." or "-".`, 'invalid_tag');
	}
}

export function defaultSnapshotTag(containerName: string, now: Date = new Date()): string {
	const stamp = now.toISOString().replaceAll(/[-:]/g, '').replace('T', '-').slice(0, 15);
	return `${containerName}-${stamp}`.toLowerCase();
}

export function snapshotReference(tag: string): string {
	return `${snapshotRepository}:${tag}`;
}

export type SnapshotInfo = {
	tag: string;
	reference: string;
	database: string;
	version: string;
	container: string;
	created: Date;
	sizeBytes: number;
};

export async function takeSnapshot(engine: EngineHandle, name: string, options: {tag?: string} = {}): Promise<SnapshotInfo & {ms: number; pausedMs: number}> {
	const began = Date.now();
	const container = await findManaged(engine, name);
	const preset = presets[container.database];
	const support = preset.template;
	if (!support) throw new UsageError(`Snapshots are not supported for ${preset.title}.`, 'unsupported');
	if (container.state !== 'running') {
		// "start" also resumes a paused container, so the same advice holds; only the words differ.
		const why = container.state === 'paused' ? 'is paused; resume it' : 'is not running; start it';
		throw new UsageError(`${container.name} ${why} first ("dbarena start ${container.name}").`, 'not_running');
	}
	const tag = options.tag ?? defaultSnapshotTag(container.name);
	validateSnapshotTag(tag);
	const reference = snapshotReference(tag);
	if (await imageExists(engine.docker, reference)) {
		throw new UsageError(`A snapshot tagged "${tag}" exists; choose another --tag or remove it ("dbarena snapshot rm ${tag}").`, 'snapshot_exists');
	}
	const credentials = credentialsFromLabels(container.labels);
	const dataTarget = dataPathFromLabels(container.labels) ?? preset.dataDir(container.version);
	if (!credentials || !dataTarget) throw new OperationError(`${container.name} lacks the labels needed to snapshot it.`);
	// Only containers of dbarena versions before data moved to disk have it on tmpfs.
	const tmpfs = tmpfsHolding(dataTarget, await inspectContainer(engine.docker, container.id));
	if (tmpfs !== undefined) {
		throw new UsageError(
			`${container.name} keeps its data on tmpfs (${tmpfs}), which the engine cannot read: it cannot be snapshotted. Copy its data with a dump instead.`,
			'unsupported',
		);
	}
	const baseImage = container.image;
	await ensureImage(engine, baseImage);

	const {connection} = container;
	if (connection) await quiesce(preset.probe, await engine.reachable(connection)).catch(() => undefined);

	// The image the snapshot becomes: the base image plus the data at the template data path.
	const target = await createContainer(engine.docker, {Image: baseImage, Labels: {[imageLabel.snapshotTarget]: tag}});
	let pausedMs = 0;
	const scratchDir = await mkdtemp(path.join(tmpdir(), 'dbarena-snapshot-'));
	const scratch = path.join(scratchDir, 'data.tar');
	try {
		const db = engine.docker.getContainer(container.id);
		await call(async () => db.pause());
		const pausedAt = Date.now();
		try {
			// Only the read happens while paused; it goes to a local file so the (slower) upload
			// into the image does not keep the user's database frozen.
			await pipeline(await readArchive(engine.docker, container.id, dataTarget), createWriteStream(scratch));
		} catch (error) {
			if (error instanceof DbarenaError) throw error;
			throw new OperationError(`Reading ${container.name}'s data failed: ${error instanceof Error ? error.message : String(error)}`);
		} finally {
			await call(async () => db.unpause()).catch(() => undefined);
			pausedMs = Date.now() - pausedAt;
		}
		await putArchive(engine.docker, target, reroot(createReadStream(scratch), path.posix.basename(dataTarget), support.dataPath), '/');
		await commitContainer(engine.docker, target, {
			repo: snapshotRepository,
			tag,
			comment: `dbarena snapshot of ${container.name}`,
			labels: snapshotImageLabels({
				tag,
				container: container.name,
				dataPath: support.dataPath,
				baseImage,
				createdAt: new Date(),
				database: container.database,
				version: container.version,
				credentials,
			}),
		});
	} finally {
		await Promise.all([removeContainer(engine.docker, target), rm(scratchDir, {recursive: true, force: true})]);
	}
	const info = (await listSnapshots(engine)).find(snapshot => snapshot.tag === tag);
	if (!info) throw new OperationError(`Snapshot ${tag} was not found after it was made.`);
	return {...info, ms: Date.now() - began, pausedMs};
}

/**
 * The tmpfs mount that holds this path, if one does: the engine's archive API reads the
 * container's layer and volumes but sees an empty directory where a tmpfs is mounted.
 */
export function tmpfsHolding(dataPath: string, info: Pick<ContainerInspectInfo, 'HostConfig' | 'Mounts'> | undefined): string | undefined {
	const mounts = [
		...Object.keys(info?.HostConfig.Tmpfs ?? {}),
		...(info?.Mounts ?? []).filter(mount => mount.Type === 'tmpfs').map(mount => mount.Destination),
	];
	const holds = (mount: string) => {
		const root = mount.replace(/\/+$/, '');
		return dataPath === root || dataPath.startsWith(`${root}/`) || root === '';
	};
	return mounts.find(holds);
}

export async function listSnapshots(engine: EngineHandle): Promise<SnapshotInfo[]> {
	await engine.ensureEngine();
	const images = await listImages(engine.docker);
	return images
		.filter(image => isSnapshotImage(image.labels))
		.flatMap(image => {
			const {database = '?', version = '?', container = '?'} = describeSnapshotImage(image.labels);
			return image.tags
				.filter(tag => tag.startsWith(`${snapshotRepository}:`))
				.map(reference => ({
					tag: reference.slice(snapshotRepository.length + 1),
					reference,
					database,
					version,
					container,
					created: image.created,
					sizeBytes: image.sizeBytes,
				}));
		})
		.sort((a, b) => a.created.getTime() - b.created.getTime() || a.tag.localeCompare(b.tag));
}

export async function removeSnapshot(engine: EngineHandle, tag: string): Promise<void> {
	validateSnapshotTag(tag);
	await engine.ensureEngine();
	try {
		await removeImage(engine.docker, snapshotReference(tag));
	} catch (error) {
		if (statusOf(error) === 404) throw new UsageError(`No snapshot tagged "${tag}". Run "dbarena snapshot list" to see them.`, 'not_found');
		if (statusOf(error) === 409) throw new UsageError(`Snapshot "${tag}" is in use by a container; destroy it first.`, 'snapshot_in_use');
		throw error;
	}
}

/** What a snapshot holds, as the create options it forces (engine, version, credentials). */
export async function snapshotSource(
	engine: EngineHandle,
	tag: string,
	requested: CreateOptions,
): Promise<{options: CreateOptions; image: string; dataPath: string}> {
	validateSnapshotTag(tag);
	await engine.ensureEngine();
	const reference = snapshotReference(tag);
	const info = await engine.docker
		.getImage(reference)
		.inspect()
		.catch((error: unknown) => {
			if (statusOf(error) === 404) throw new UsageError(`No snapshot tagged "${tag}". Run "dbarena snapshot list" to see them.`, 'not_found');
			throw error;
		});
	const {database, version, credentials, dataPath, baseImage} = describeSnapshotImage(info.Config?.Labels ?? {});
	if (!database || !version || !credentials || !dataPath || !(database in presets))
		throw new OperationError(`Snapshot ${tag} lacks its labels; it cannot be used.`);
	const preset = presets[database as keyof typeof presets];
	if (requested.database && requested.database !== '' && preset.kind !== resolvePreset(requested.database).kind) {
		throw new UsageError(`Snapshot ${tag} holds ${database} ${version} data, not ${requested.database}.`, 'snapshot_mismatch');
	}
	if (requested.version !== undefined && resolveVersion(preset, requested.version).version !== version) {
		throw new UsageError(`Snapshot ${tag} holds ${database} ${version} data; its version is fixed by its data. Leave out the version.`, 'snapshot_mismatch');
	}
	for (const [key, value] of [
		['user', credentials.user],
		['password', credentials.password],
		['databaseName', credentials.database],
	] as const) {
		if (requested[key] !== undefined && requested[key] !== value) {
			const field = key === 'databaseName' ? 'database' : key;
			const flag = key === 'databaseName' ? 'database-name' : key;
			throw new UsageError(`Snapshot ${tag} was taken with other credentials; its ${field} is fixed by its data. Leave out --${flag}.`, 'snapshot_mismatch');
		}
	}
	return {
		options: {
			...requested,
			database,
			version,
			user: credentials.user,
			password: credentials.password,
			databaseName: credentials.database,
			...((baseImage ?? requested.image) ? {image: baseImage ?? requested.image} : {}),
		},
		image: reference,
		dataPath,
	};
}

/** The plan of a create from a snapshot: the snapshot's settings, started from its image. */
export async function planFromSnapshot(engine: EngineHandle, options: CreateOptions & {fromSnapshot: string}): Promise<CreatePlan> {
	const source = await snapshotSource(engine, options.fromSnapshot, options);
	return withDataPath(planCreate(source.options, engine.settings), source.dataPath, {kind: 'snapshot', image: source.image, tag: options.fromSnapshot});
}
