import {inspectContainer, listContainers, type ContainerInspectInfo} from './docker/containers.js';
import type {EngineHandle} from './engine-handle.js';
import type {EngineReach} from './engine-reach.js';
import {NotFoundError, OperationError, UsageError} from './errors.js';
import {connectionFromLabels, describeLabels, hostPortFromLabels, isManaged, managedFilter} from './labels.js';
import {closestNames} from './names.js';
import type {ManagedContainer} from './types.js';

/** A managed container as the faces see it, from the engine's inspect data alone. */
export function fromInspect(info: ContainerInspectInfo, reach?: EngineReach): ManagedContainer | undefined {
	const labels = info.Config.Labels ?? {};
	const described = describeLabels(labels);
	if (!described) return undefined;
	const binding = info.HostConfig.PortBindings?.[`${described.containerPort}/tcp`]?.[0] as {HostIp?: string; HostPort?: string} | undefined;
	// While running, NetworkSettings has the port really bound; otherwise the configured one.
	const live = info.NetworkSettings.Ports?.[`${described.containerPort}/tcp`]?.[0];
	const hostIp = live?.HostIp ?? binding?.HostIp ?? '127.0.0.1';
	const portText = live?.HostPort ?? binding?.HostPort;
	const hostPort = portText ? Number(portText) : undefined;
	// The engine writes the zero time ("0001-01-01…") for a start or finish that never happened.
	const when = (text: string | undefined) => (text && !text.startsWith('0001') ? new Date(text) : undefined);
	const started = when(info.State.StartedAt);
	const finished = info.State.Running ? undefined : when(info.State.FinishedAt);
	const connection = connectionFromLabels(labels, hostIp, hostPort, reach);
	return {
		...described,
		id: info.Id,
		name: info.Name.replace(/^\//, ''),
		state: info.State.Status,
		status: info.State.Health?.Status ?? '',
		...(started ? {startedAt: started} : {}),
		...(finished ? {finishedAt: finished} : {}),
		exitCode: info.State.ExitCode,
		oomKilled: info.State.OOMKilled,
		hostIp: hostIp === '' ? '0.0.0.0' : hostIp,
		...(hostPort === undefined ? {} : {hostPort}),
		...(info.HostConfig.Memory ? {memoryLimitBytes: info.HostConfig.Memory} : {}),
		...(connection ? {connection} : {}),
		labels,
	};
}

/** Every managed container (running only, unless all), oldest first. */
export async function listManaged(handle: EngineHandle, options: {all?: boolean} = {}): Promise<ManagedContainer[]> {
	await handle.ensureEngine();
	const summaries = await listContainers(handle.docker, {all: options.all ?? false, label: [managedFilter]});
	const details = await Promise.all(summaries.map(async summary => inspectContainer(handle.docker, summary.Id)));
	return details
		.map(info => info && fromInspect(info, handle.reach))
		.filter((container): container is ManagedContainer => container !== undefined)
		.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.name.localeCompare(b.name));
}

/**
 * The managed container with this name or id. A container dbarena does not manage is refused,
 * and a typo gets the closest managed names as suggestions.
 */
export async function findManaged(handle: EngineHandle, name: string): Promise<ManagedContainer> {
	await handle.ensureEngine();
	if (name.trim() === '') throw new UsageError('A container name is required.', 'invalid_name');
	// What cannot be a Docker name or id cannot exist; asking the engine would only fail on
	// the URL ("unescaped characters") instead of saying so.
	const found = /^\w[\w.-]*$/.test(name) ? await inspectContainer(handle.docker, name) : undefined;
	// The engine also resolves any unique prefix of an ID, so a one-letter typo could name some
	// container. Only the exact name or an ID of 12+ characters (as docker ps shows) counts.
	const info = found && (found.Name === `/${name}` || (name.length >= 12 && found.Id.startsWith(name))) ? found : undefined;
	if (info && isManaged(info.Config.Labels ?? {})) {
		const container = fromInspect(info, handle.reach);
		if (container) return container;
	}
	if (info) throw new UsageError(`Container "${name}" is not managed by dbarena; it will not be touched. Use docker for it.`, 'not_managed');
	const all = await listManaged(handle, {all: true});
	throw new NotFoundError(
		name,
		closestNames(
			name,
			all.map(container => container.name),
		),
	);
}

/** A managed container by id, as it is now. */
export async function inspectManaged(handle: EngineHandle, id: string): Promise<ManagedContainer> {
	const info = await inspectContainer(handle.docker, id);
	const container = info && fromInspect(info, handle.reach);
	if (!container) throw new OperationError(`Container ${id.slice(0, 12)} disappeared.`);
	return container;
}

/** A managed container's host port, whether it runs (and so holds the port), and its name. */
export type PortClaim = {port: number; running: boolean; name: string};

/**
 * Host ports of every managed container, running or not, from one listing: the port is in a
 * label since it is chosen before the container exists (a stopped container publishes nothing).
 */
export async function portClaims(handle: EngineHandle): Promise<PortClaim[]> {
	const summaries = await listContainers(handle.docker, {all: true, label: [managedFilter]});
	return summaries.flatMap(summary => {
		const labelled = hostPortFromLabels(summary.Labels);
		const ports = labelled === undefined ? (summary.Ports ?? []).flatMap(port => (port.PublicPort ? [port.PublicPort] : [])) : [labelled];
		const name = (summary.Names[0] ?? summary.Id.slice(0, 12)).replace(/^\//, '');
		return ports.map(port => ({port, running: summary.State === 'running', name}));
	});
}

export async function claimedPorts(handle: EngineHandle): Promise<number[]> {
	return (await portClaims(handle)).map(claim => claim.port);
}

/**
 * Host ports that running containers (anyone's) publish on the engine's host. For a remote
 * engine this is what can be known about its ports from here; the engine's own bind decides the rest.
 */
export async function publishedPorts(handle: EngineHandle): Promise<number[]> {
	const summaries = await listContainers(handle.docker, {all: false, label: []});
	return summaries.flatMap(summary => (summary.Ports ?? []).flatMap(port => (port.PublicPort ? [port.PublicPort] : [])));
}
