import type {DockerClient} from './client.js';
import {call} from './containers.js';

/** Commit a (stopped) container's filesystem as an image. Volumes and tmpfs mounts are not included. */
export async function commitContainer(
	docker: DockerClient,
	id: string,
	options: {repo: string; tag: string; labels: Record<string, string>; comment: string},
): Promise<string> {
	const changes = Object.entries(options.labels).map(([key, value]) => `LABEL ${JSON.stringify(key)}=${JSON.stringify(value)}`);
	// dockerode's types say `{}`; the engine returns {Id}.
	const result = await call(
		async () =>
			docker.getContainer(id).commit({
				repo: options.repo,
				tag: options.tag,
				comment: options.comment,
				pause: true,
				changes,
			}) as Promise<{Id: string}>,
	);
	return result.Id;
}

export async function imageId(docker: DockerClient, reference: string): Promise<string> {
	const info = await call(async () => docker.getImage(reference).inspect());
	return info.Id;
}
