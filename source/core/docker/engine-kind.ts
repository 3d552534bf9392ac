import type {DockerClient} from './client.js';

export type EngineKind = 'docker' | 'podman';

/** Which engine answers behind the Docker API, and its version: what the faces name it by. */
export type EngineIdentity = {product: 'Docker Engine' | 'Podman'; version: string};

/** The fields of the engine's version reply that say which engine it is. */
export type VersionDocument = {Version?: string; Components?: Array<{Name?: string}>};

export function identityOf(version: VersionDocument): EngineIdentity {
	// Podman's compatible API names itself in the components of its version reply.
	const podman = version.Components?.some(component => /podman/i.test(component.Name ?? '')) ?? false;
	return {product: podman ? 'Podman' : 'Docker Engine', version: version.Version ?? '?'};
}

const known = new WeakMap<DockerClient, Promise<EngineKind>>();

/**
 * Which engine answers behind the Docker API, from its version document. Asked once per client
 * and only where an answer differs by engine, so commands that need none pay no extra request.
 * Unknown counts as dockerd.
 */
export async function engineKind(docker: DockerClient): Promise<EngineKind> {
	let kind = known.get(docker);
	if (!kind) {
		// Asked inside the promise, so a client that throws rather than rejects counts as dockerd too.
		kind = Promise.resolve()
			.then(async () => docker.version())
			.then(
				version => (identityOf(version).product === 'Podman' ? 'podman' : 'docker'),
				() => 'docker' as const,
			);
		known.set(docker, kind);
	}
	return kind;
}
