import Docker from 'dockerode';

/**
 * Integration tests need a real engine and the local registry with the fixtures. `npm test`
 * brings them up (scripts/test-env-up.sh) before this runs; if they are not there, fail loudly
 * with what to do instead of skipping anything.
 */
export default async function setup(): Promise<void> {
	const registry = process.env['DBARENA_REGISTRY'] ?? '127.0.0.1:5000';
	try {
		await new Docker().ping();
	} catch (error) {
		throw new Error(
			`Integration tests need a Docker engine (${process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock'} did not answer: ${String(error)}). ` +
				'Run "bash scripts/test-env-up.sh" as root, or "npm test" which runs it.',
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
}
