import {listContainers} from '../docker/containers.js';
import {createVolume, inspectVolume} from '../docker/volumes.js';
import type {EngineHandle} from '../engine-handle.js';
import {UsageError} from '../errors.js';
import {describeVolumeLabels, isManaged, reusedVolumeLabels, volumeLabels, type Labels} from '../labels.js';
import {findTemplate} from '../templates.js';
import {withDataPath, type CreatePlan} from './plan.js';

export type VolumeUse = {name: string; reused: boolean};

/**
 * Where the data comes from: an existing volume (its data, where it keeps it), else the plan's
 * snapshot, else a template for these exact settings, else a fresh initialisation. Creates the
 * plan's volume when it has one and none exists yet.
 */
export async function chooseDataSource(handle: EngineHandle, plan: CreatePlan, baseImageId?: string): Promise<{plan: CreatePlan; volume?: VolumeUse}> {
	const existing = plan.volume ? await inspectVolume(handle.docker, plan.volume) : undefined;
	if (existing && plan.source.kind === 'snapshot') {
		throw new UsageError(
			`Volume ${existing.name} already holds data; starting it from snapshot ${plan.source.tag} would ignore the snapshot. ` +
				'Choose another name, or remove the volume.',
			'volume_conflict',
		);
	}
	if (existing) {
		checkReusable(plan, existing.name, existing.labels);
		// Two servers on one data directory corrupt it. The container holding it may be renamed,
		// or not dbarena's at all: ask the engine who mounts the volume, not our labels.
		const holders = await listContainers(handle.docker, {all: true, label: [], volume: existing.name});
		if (holders.length > 0) {
			const names = holders.map(holder => (holder.Names[0] ?? holder.Id.slice(0, 12)).replace(/^\//, ''));
			throw new UsageError(
				`Volume ${existing.name} is in use by ${names.join(', ')}; a second server on the same data would corrupt it. ` +
					`Destroy ${names.length === 1 ? 'that container' : 'those containers'} first, or choose another name.`,
				'volume_in_use',
			);
		}
		const {dataPath} = describeVolumeLabels(existing.labels);
		const onVolume = dataPath ? withDataPath(plan, dataPath) : plan;
		return {plan: {...onVolume, labels: {...onVolume.labels, ...reusedVolumeLabels()}}, volume: {name: existing.name, reused: true}};
	}
	const template = plan.source.kind === 'fresh' ? await findTemplate(handle, plan, baseImageId) : undefined;
	const effective =
		template && plan.preset.template
			? withDataPath(plan, plan.preset.template.dataPath, {kind: 'template', image: template.reference, key: template.key})
			: plan;
	if (!plan.volume) return {plan: effective};
	await createVolume(
		handle.docker,
		plan.volume,
		volumeLabels({
			database: plan.preset.kind,
			version: plan.version.version,
			credentials: plan.credentials,
			owner: plan.name,
			...(effective.dataPath ? {dataPath: effective.dataPath} : {}),
		}),
	);
	return {plan: effective, volume: {name: plan.volume, reused: false}};
}

/**
 * Reusing a volume is how persistent data comes back; reusing the wrong one would hand the user a
 * server whose data (and passwords) are not what they asked for.
 */
function checkReusable(plan: CreatePlan, name: string, labels: Labels): void {
	if (!isManaged(labels)) throw new UsageError(`Volume ${name} exists and is not managed by dbarena; choose another name.`, 'volume_conflict');
	const stored = describeVolumeLabels(labels);
	if (stored.database !== plan.preset.kind || stored.version !== plan.version.version) {
		throw new UsageError(
			`Volume ${name} holds ${stored.database ?? '?'} ${stored.version ?? '?'} data, not ${plan.preset.kind} ${plan.version.version}; ` +
				`choose another name or remove it with "dbarena volumes rm ${name}".`,
			'volume_conflict',
		);
	}
	const credentials = stored.credentials;
	if (
		credentials &&
		(credentials.user !== plan.credentials.user || credentials.password !== plan.credentials.password || credentials.database !== plan.credentials.database)
	) {
		throw new UsageError(
			`Volume ${name} was initialised with other credentials (user ${credentials.user}, database ${credentials.database}); the server keeps them. ` +
				'Create it with the same user, password and database name.',
			'volume_conflict',
		);
	}
}
