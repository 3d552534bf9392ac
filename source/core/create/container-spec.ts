import type {ContainerCreateOptions} from '../docker/containers.js';
import {hostPortLabel} from '../labels.js';
import type {CreatePlan} from './plan.js';

/** The engine's container configuration for a plan and the chosen host port. */
export function containerSpec(plan: CreatePlan, hostPort: number): ContainerCreateOptions {
	const portKey = `${plan.preset.containerPort}/tcp`;
	const image = plan.source.kind === 'fresh' ? plan.image : plan.source.image;
	// Data sits either at the image's declared volume or, for templates and snapshots, at dataPath.
	const dataTarget = plan.dataPath ?? plan.dataMount;
	const tmpfs: Record<string, string> = {};
	// Data is never on tmpfs: tmpfs is charged to the memory limit (a fresh fast database was
	// OOM-killed by its own data) and goes with every stop. A fast container's data lives in the
	// anonymous volume of the image's VOLUME, removed with the container, or in its own layer.
	// With data elsewhere, the declared volume would still get an anonymous volume for nothing.
	if (plan.dataPath !== undefined && plan.dataMount) tmpfs[plan.dataMount] = 'rw,size=1m';
	return {
		name: plan.name,
		Image: image,
		Env: Object.entries(plan.env).map(([key, value]) => `${key}=${value}`),
		...(plan.command.length > 0 ? {Cmd: plan.command} : {}),
		Labels: {...plan.labels, ...hostPortLabel(hostPort)},
		ExposedPorts: {[portKey]: {}},
		HostConfig: {
			PortBindings: {[portKey]: [{HostIp: plan.hostIp, HostPort: String(hostPort)}]},
			Memory: plan.memoryBytes,
			// Swap would let the container exceed the limit we print.
			MemorySwap: plan.memoryBytes,
			...(Object.keys(tmpfs).length > 0 ? {Tmpfs: tmpfs} : {}),
			// An empty named volume mounted over image data is filled from it (Docker's copy-up),
			// which is how a persistent container starts from a template.
			...(plan.volume && dataTarget ? {Mounts: [{Type: 'volume' as const, Source: plan.volume, Target: dataTarget}]} : {}),
		},
	};
}
