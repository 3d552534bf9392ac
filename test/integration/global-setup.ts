import Docker from 'dockerode';
import type {TestProject} from 'vitest/node';

/**
 * Integration tests need a real engine and the local registry with the fixtures. `npm test`
 * brings them up (scripts/test-env-up.sh) before this runs; if they are not there, fail loudly
 * with what to do instead of skipping anything.
 */
export default async function setup(project: TestProject): Promise<void> {
	const registry = process.env['DBARENA_REGISTRY'] ?? '127.0.0.1:5000';
	// This runs in vitest's main process, where a project's env (the podman project's DOCKER_HOST)
	// is not set: ask the engine that project's tests will use.
	const host = project.config.env['DOCKER_HOST'] ?? process.env['DOCKER_HOST'];
	const podman = project.name === 'podman';
	const engine = host?.startsWith('unix://') ? new Docker({socketPath: host.slice('unix://'.length)}) : new Docker();
	try {
		await engine.ping();
	} catch (error) {
		throw new Error(
			`Integration tests need a ${podman ? 'Podman' : 'Docker'} engine (${host ?? 'unix:///var/run/docker.sock'} did not answer: ${String(error)}). ` +
				(podman
					? 'Run "bash scripts/podman-up.sh" as root, or "npm test" which runs it.'
					: 'Run "bash scripts/test-env-up.sh" as root, or "npm test" which runs it.'),
		);
	}
	try {
		const response = await fetch(`http://${registry}/v2/_catalog`);
		const catalog = (await response.json()) as {repositories?: string[]};
		for (const repository of ['library/postgres', 'library/mariadb', 'library/mysql']) {
			if (!catalog.repositories?.includes(repository)) throw new Error(`${repository} is missing`);
		}
	} catch (error) {
		throw new Error(`Integration tests need the local registry with fixture images at ${registry} (${String(error)}). Run "bash scripts/test-env-up.sh".`);
	}
	if (podman) await expectCurrentFixtures(engine, registry);
}

/**
 * Podman keeps the fixture images it pulled, and the registry's are rebuilt when their inputs
 * change: a stale copy would have these tests pass or fail on an old fixture (it happened: PostgreSQL
 * 18's with pg_dump 15). scripts/podman-fixtures.sh, which npm test runs, pulls them again.
 */
async function expectCurrentFixtures(engine: Docker, registry: string): Promise<void> {
	const stale: string[] = [];
	for (const image of await engine.listImages()) {
		for (const tag of image.RepoTags ?? []) {
			if (!tag.startsWith(`${registry}/`)) continue;
			const reference = tag.slice(registry.length + 1);
			const at = reference.lastIndexOf(':');
			const response = await fetch(`http://${registry}/v2/${reference.slice(0, at)}/manifests/${reference.slice(at + 1)}`, {
				method: 'HEAD',
				headers: {accept: 'application/vnd.docker.distribution.manifest.v2+json'},
			});
			const digest = response.ok ? response.headers.get('docker-content-digest') : null;
			if (digest && !(image.RepoDigests ?? []).some(held => held.endsWith(`@${digest}`))) stale.push(tag);
		}
	}
	if (stale.length > 0) {
		throw new Error(`Podman holds older builds of these fixture images than the registry: ${stale.join(', ')}. Run "bash scripts/podman-fixtures.sh".`);
	}
}
