import {createReadStream, createWriteStream} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import type {ContainerManager} from './lifecycle.js';
import {commitContainer} from './docker/commit.js';
import {execStream, putArchive, reroot} from './docker/archive.js';
import {call, createContainer, removeContainer, startContainer} from './docker/containers.js';
import {statusOf} from './docker/client.js';
import {listImages, removeImage} from './docker/images.js';
import type {CreateOptions} from './create-plan.js';
import {presets} from './presets/catalog.js';
import {OperationError, UsageError} from './errors.js';
import {credentialsFromLabels, label} from './labels.js';
import {quiesce} from './probes.js';

/**
 * Snapshots: a running database's data, captured consistently into a local image that new
 * containers start from (`create --from-snapshot`). The data is read wherever it lives — tmpfs,
 * a named volume or the container's layer — which `docker commit` alone would miss (it skips
 * volumes and tmpfs: the bug that made the old tool's snapshots silently empty).
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

export async function takeSnapshot(manager: ContainerManager, name: string, options: {tag?: string} = {}): Promise<SnapshotInfo & {ms: number; pausedMs: number}> {
	const began = Date.now();
	const container = await manager.find(name);
	const preset = presets[container.database];
	const support = preset.template;
	if (!support) throw new UsageError(`Snapshots are not supported for ${preset.title}.`, 'unsupported');
	if (container.state !== 'running') throw new UsageError(`${container.name} is not running; start it first ("dbarena start ${container.name}").`, 'not_running');
	const tag = options.tag ?? defaultSnapshotTag(container.name);
	validateSnapshotTag(tag);
	const reference = snapshotReference(tag);
	if (await manager.docker.getImage(reference).inspect().then(() => true, () => false)) {
		throw new UsageError(`A snapshot tagged "${tag}" exists; choose another --tag or remove it ("dbarena snapshot rm ${tag}").`, 'snapshot_exists');
	}
	const credentials = credentialsFromLabels(container.labels);
	const dataTarget = container.labels['dbarena.data_path'] ?? preset.dataMount(container.version);
	if (!credentials || !dataTarget) throw new OperationError(`${container.name} lacks the labels needed to snapshot it.`);
	const baseImage = container.image;
	await manager.ensureImage(baseImage);

	if (container.connection) await quiesce(preset.probe, container.connection).catch(() => undefined);

	// A helper in the database's PID namespace reads its data through /proc/1/root, which sees the
	// database's own mounts (tmpfs included) and keeps working while the database is paused.
	const helper = await createContainer(manager.docker, {
		Image: baseImage,
		Entrypoint: ['sh', '-c', 'while :; do sleep 3600; done'],
		User: '0',
		Labels: {'dbarena.snapshot-helper': container.name},
		HostConfig: {PidMode: `container:${container.id}`, CapAdd: ['SYS_PTRACE'], NetworkMode: 'none', AutoRemove: false},
	});
	// The image the snapshot becomes: the base image plus the data at the template data path.
	const target = await createContainer(manager.docker, {Image: baseImage, Labels: {'dbarena.snapshot-target': tag}});
	let pausedMs = 0;
	const scratchDir = await mkdtemp(path.join(tmpdir(), 'dbarena-snapshot-'));
	const scratch = path.join(scratchDir, 'data.tar');
	try {
		await startContainer(manager.docker, helper);
		const db = manager.docker.getContainer(container.id);
		await call(async () => db.pause());
		const pausedAt = Date.now();
		try {
			// Only the read happens while paused; it goes to a local file so the (slower) upload
			// into the image does not keep the user's database frozen.
			const tarred = await execStream(manager.docker, helper, ['tar', '-C', `/proc/1/root${dataTarget}`, '-c', '.']);
			await pipeline(tarred.stdout, createWriteStream(scratch));
			const exitCode = await tarred.exitCode();
			if (exitCode !== 0) throw new OperationError(`Reading ${container.name}'s data failed: ${tarred.stderr().trim()}`);
		} finally {
			await call(async () => db.unpause()).catch(() => undefined);
			pausedMs = Date.now() - pausedAt;
		}
		await putArchive(manager.docker, target, reroot(createReadStream(scratch), support.dataPath), '/');
		await commitContainer(manager.docker, target, {
			repo: snapshotRepository,
			tag,
			comment: `dbarena snapshot of ${container.name}`,
			labels: {
				'dbarena.snapshot': 'true',
				'dbarena.snapshot.tag': tag,
				'dbarena.snapshot.container': container.name,
				'dbarena.snapshot.data_path': support.dataPath,
				'dbarena.snapshot.base_image': baseImage,
				'dbarena.snapshot.created_at': new Date().toISOString(),
				[label.database]: container.database,
				[label.version]: container.version,
				[label.user]: credentials.user,
				[label.password]: credentials.password,
				[label.dbname]: credentials.database,
			},
		});
	} finally {
		await Promise.all([removeContainer(manager.docker, helper), removeContainer(manager.docker, target), rm(scratchDir, {recursive: true, force: true})]);
	}
	const info = (await listSnapshots(manager)).find(snapshot => snapshot.tag === tag);
	if (!info) throw new OperationError(`Snapshot ${tag} was not found after it was made.`);
	return {...info, ms: Date.now() - began, pausedMs};
}

export async function listSnapshots(manager: ContainerManager): Promise<SnapshotInfo[]> {
	await manager.ensureEngine();
	const images = await listImages(manager.docker);
	return images
		.filter(image => image.labels['dbarena.snapshot'] === 'true')
		.flatMap(image => image.tags.filter(tag => tag.startsWith(`${snapshotRepository}:`)).map(reference => ({
			tag: reference.slice(snapshotRepository.length + 1),
			reference,
			database: image.labels[label.database] ?? '?',
			version: image.labels[label.version] ?? '?',
			container: image.labels['dbarena.snapshot.container'] ?? '?',
			created: image.created,
			sizeBytes: image.sizeBytes,
		})))
		.sort((a, b) => a.created.getTime() - b.created.getTime() || a.tag.localeCompare(b.tag));
}

export async function removeSnapshot(manager: ContainerManager, tag: string): Promise<void> {
	validateSnapshotTag(tag);
	await manager.ensureEngine();
	try {
		await removeImage(manager.docker, snapshotReference(tag));
	} catch (error) {
		if (statusOf(error) === 404) throw new UsageError(`No snapshot tagged "${tag}". Run "dbarena snapshot list" to see them.`, 'not_found');
		if (statusOf(error) === 409) throw new UsageError(`Snapshot "${tag}" is in use by a container; destroy it first.`, 'snapshot_in_use');
		throw error;
	}
}

/** What a snapshot holds, as the create options it forces (engine, version, credentials). */
export async function snapshotSource(manager: ContainerManager, tag: string, requested: CreateOptions): Promise<{options: CreateOptions; image: string; dataPath: string}> {
	validateSnapshotTag(tag);
	const reference = snapshotReference(tag);
	const info = await manager.docker.getImage(reference).inspect().catch((error: unknown) => {
		if (statusOf(error) === 404) throw new UsageError(`No snapshot tagged "${tag}". Run "dbarena snapshot list" to see them.`, 'not_found');
		throw error;
	});
	const labels = info.Config?.Labels ?? {};
	const database = labels[label.database];
	const version = labels[label.version];
	const credentials = credentialsFromLabels(labels);
	const dataPath = labels['dbarena.snapshot.data_path'];
	if (!database || !version || !credentials || !dataPath || !(database in presets)) throw new OperationError(`Snapshot ${tag} lacks its labels; it cannot be used.`);
	const preset = presets[database as keyof typeof presets];
	if (requested.database && requested.database !== '' && preset.kind !== (await import('./presets/catalog.js')).resolvePreset(requested.database).kind) {
		throw new UsageError(`Snapshot ${tag} holds ${database} ${version} data, not ${requested.database}.`, 'snapshot_mismatch');
	}
	for (const [key, value] of [['user', credentials.user], ['password', credentials.password], ['databaseName', credentials.database]] as const) {
		if (requested[key] !== undefined && requested[key] !== value) {
			throw new UsageError(`Snapshot ${tag} was taken with other credentials; its ${key === 'databaseName' ? 'database' : key} is fixed by its data. Leave out --${key === 'databaseName' ? 'database-name' : key}.`, 'snapshot_mismatch');
		}
	}
	return {
		options: {...requested, database, version, user: credentials.user, password: credentials.password, databaseName: credentials.database, image: labels['dbarena.snapshot.base_image'] ?? requested.image},
		image: reference,
		dataPath,
	};
}
