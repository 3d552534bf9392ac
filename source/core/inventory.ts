import type {ContainerInspectInfo} from './docker/containers.js';
import {connectionFromLabels, describeLabels} from './labels.js';
import type {ManagedContainer} from './types.js';

/** A managed container as the faces see it, from the engine's inspect data alone. */
export function fromInspect(info: ContainerInspectInfo): ManagedContainer | undefined {
	const labels = info.Config.Labels ?? {};
	const described = describeLabels(labels);
	if (!described) return undefined;
	const binding = info.HostConfig.PortBindings?.[`${described.containerPort}/tcp`]?.[0] as {HostIp?: string; HostPort?: string} | undefined;
	// While running, NetworkSettings has the port really bound; otherwise the configured one.
	const live = info.NetworkSettings.Ports?.[`${described.containerPort}/tcp`]?.[0];
	const hostIp = live?.HostIp ?? binding?.HostIp ?? '127.0.0.1';
	const portText = live?.HostPort ?? binding?.HostPort;
	const hostPort = portText ? Number(portText) : undefined;
	const started = info.State.Running && info.State.StartedAt && !info.State.StartedAt.startsWith('0001') ? new Date(info.State.StartedAt) : undefined;
	const connection = connectionFromLabels(labels, hostIp, hostPort);
	return {
		...described,
		id: info.Id,
		name: info.Name.replace(/^\//, ''),
		state: info.State.Status,
		status: info.State.Health?.Status ?? '',
		...(started ? {startedAt: started} : {}),
		exitCode: info.State.ExitCode,
		hostIp: hostIp === '' ? '0.0.0.0' : hostIp,
		...(hostPort === undefined ? {} : {hostPort}),
		...(info.HostConfig.Memory ? {memoryLimitBytes: info.HostConfig.Memory} : {}),
		...(connection ? {connection} : {}),
		labels,
	};
}
