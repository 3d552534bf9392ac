import type {EngineHandle} from './engine-handle.js';
import {listContainers} from './docker/containers.js';
import {inspectVolume, listVolumes, removeVolume} from './docker/volumes.js';
import {ConfirmationRequiredError, NotFoundError, UsageError} from './errors.js';
import {describeVolumeLabels, isManaged, managedFilter} from './labels.js';
import {closestNames} from './names.js';

export type ManagedVolume = {
	name: string;
	database: string;
	version: string;
	createdAt?: Date;
	/** The container that made it (it may be gone: the volume outlives it on purpose). */
	createdFor?: string;
	/** Containers currently using it; a volume in use is never removed. */
	usedBy: string[];
};

export async function listManagedVolumes(engine: EngineHandle): Promise<ManagedVolume[]> {
	await engine.ensureEngine();
	const [volumes, containers] = await Promise.all([listVolumes(engine.docker, managedFilter), listContainers(engine.docker, {all: true, label: []})]);
	return volumes
		.map(volume => {
			const {database, version, owner} = describeVolumeLabels(volume.labels);
			return {
				name: volume.name,
				database: database ?? '?',
				version: version ?? '?',
				...(volume.createdAt ? {createdAt: volume.createdAt} : {}),
				...(owner ? {createdFor: owner} : {}),
				usedBy: containers
					.filter(container => container.Mounts?.some(mount => mount.Name === volume.name))
					.map(container => (container.Names[0] ?? container.Id).replace(/^\//, '')),
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Remove managed volumes. Always data loss, so always an explicit confirmation. */
export async function removeManagedVolumes(engine: EngineHandle, names: string[], options: {confirmed: boolean}): Promise<string[]> {
	const volumes = await listManagedVolumes(engine);
	const targets = names.map(name => {
		const found = volumes.find(volume => volume.name === name);
		if (!found)
			throw new NotFoundError(
				name,
				closestNames(
					name,
					volumes.map(volume => volume.name),
				),
				'volume',
			);
		if (found.usedBy.length > 0) throw new UsageError(`Volume ${name} is in use by ${found.usedBy.join(', ')}; destroy that container first.`, 'volume_in_use');
		return found;
	});
	if (!options.confirmed) {
		throw new ConfirmationRequiredError(`Removing ${names.join(', ')} deletes the data in it; confirm with --yes.`);
	}
	const removed: string[] = [];
	for (const volume of targets) {
		// Checked again right before removal: another process may have relabelled or reused it.
		const current = await inspectVolume(engine.docker, volume.name);
		if (!current) continue;
		if (!isManaged(current.labels)) throw new UsageError(`Volume ${volume.name} is not managed by dbarena; it will not be removed.`, 'not_managed');
		await removeVolume(engine.docker, volume.name);
		removed.push(volume.name);
	}
	return removed;
}
