import {defineConfig, type TestProjectInlineConfiguration} from 'vitest/config';

/** What both real-engine projects share: the setup that checks the engine and registry, and the env. */
const realEngine: NonNullable<TestProjectInlineConfiguration['test']> = {
	environment: 'node',
	globalSetup: ['test/integration/global-setup.ts'],
	env: {
		// Every image comes from the local registry the test environment starts.
		DBARENA_REGISTRY: process.env['DBARENA_REGISTRY'] ?? `127.0.0.1:${process.env['DBARENA_REGISTRY_PORT'] ?? '5000'}`,
		// No background template builds from every CLI create: they would load the machine under
		// other tests. The test of that feature turns it back on.
		DBARENA_TEMPLATES: 'off',
	},
	// Real containers: first starts take seconds, pulls longer.
	testTimeout: 120_000,
	hookTimeout: 180_000,
};

/** What both unit projects share. */
const unit: NonNullable<TestProjectInlineConfiguration['test']> = {
	environment: 'node',
	// CI runs with CI=true, and Ink then draws no live frames at all; the dashboard
	// itself turns that off on a terminal (source/commands/dashboard.ts), so its tests must too.
	env: {CI: 'false'},
};
/** Unit test files that replace a module with vi.mock: each needs a module cache of its own. */
const mockingUnitFiles = ['test/unit/template-job.test.ts'];

/**
 * The same integration tests against a second real engine: Podman's Docker-compatible API
 * (scripts/podman-up.sh). Only when DBARENA_PODMAN_HOST names its socket (npm test sets it after
 * bringing Podman up), so a plain `vitest run` needs no Podman. These files talk to the engine only
 * through DOCKER_HOST (dockerode, the dbarena CLI, and the docker CLI, which honours it too).
 * readiness and persistence run a short form here (test/helpers/engine-run.ts declares only the
 * rows README "The podman test project" names): all of them were 3.8 of the project's 14 minutes
 * of test time, and the project runs beside the isolated one, which it must not outlast by much.
 * DBARENA_PODMAN_ALL=1 declares every row.
 */
const podmanHost = process.env['DBARENA_PODMAN_HOST'];
const podmanFiles = [
	'lifecycle',
	'ports-names',
	'cli-lifecycle',
	'cli-images-volumes',
	'docker-streams',
	'socket-client',
	'store-feeders',
	'templates',
	'snapshots',
	'readiness',
	'persistence',
].map(name => `test/integration/${name}.test.ts`);
/** Files only the podman project runs: they need Podman itself, which npm test starts after the Docker tests. */
const podmanOnlyFiles = ['test/integration/podman-context.test.ts'];

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					...unit,
					name: 'unit',
					include: ['test/unit/**/*.test.ts', 'test/ui/**/*.test.tsx'],
					exclude: mockingUnitFiles,
					// One module cache per worker instead of one per file: the files import Ink, React and
					// the core afresh otherwise, which was 31 of the project's 71 s. Files that replace a
					// module (vi.mock) would leak it to the others: they are the unit-mocks project.
					isolate: false,
				},
			},
			{
				test: {
					...unit,
					name: 'unit-mocks',
					include: mockingUnitFiles,
				},
			},
			{
				test: {
					...realEngine,
					name: 'integration',
					include: ['test/integration/**/*.test.ts'],
					exclude: podmanOnlyFiles,
					// Two cores: running every file at once would measure contention, not dbarena.
					maxWorkers: 2,
					fileParallelism: true,
				},
			},
			{
				test: {
					...realEngine,
					name: 'isolated',
					include: ['test/isolated/**/*.test.ts'],
					// These count what dbarena left behind, which another dbarena run beside them would
					// blur, and one stops the engine itself: one file at a time, after the other tests.
					// Unrelated containers may come and go meanwhile (test/isolated/busy-engine.test.ts).
					maxWorkers: 1,
					fileParallelism: false,
					// it.concurrent rows (bad input: many CLI runs that must change nothing) three at a time.
					maxConcurrency: 3,
				},
			},
			...(podmanHost === undefined
				? []
				: [
						{
							test: {
								...realEngine,
								name: 'podman',
								include: [...podmanFiles, ...podmanOnlyFiles],
								// DBARENA_TEST_ENGINE: how a shared file knows it runs against Podman (test/helpers/engine-run.ts).
								env: {...realEngine.env, DOCKER_HOST: podmanHost, DBARENA_TEST_ENGINE: 'podman'},
								maxWorkers: 2,
								fileParallelism: true,
							},
						},
					]),
		],
	},
});
