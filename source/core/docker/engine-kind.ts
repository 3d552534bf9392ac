import type {DockerClient} from './client.js';

export type EngineKind = 'docker' | 'podman';

const known = new WeakMap<DockerClient, Promise<EngineKind>>();

/**
 * Which engine answers behind the Docker API, from its version document (Podman names its
 * component "Podman Engine"). Asked once per client and only where an answer differs by engine,
 * so commands that need none pay no extra request. Unknown counts as dockerd.
 */
export async function engineKind(docker: DockerClient): Promise<EngineKind> {
	let kind = known.get(docker);
	if (!kind) {
		kind = docker.version().then(
			version => ((version.Components ?? []).some(component => /podman/i.test(component.Name)) ? 'podman' : 'docker'),
			() => 'docker' as const,
		);
		known.set(docker, kind);
	}
	return kind;
}
