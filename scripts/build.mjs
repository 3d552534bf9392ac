// The build (npm run build): our TypeScript bundled into a few ES modules with esbuild, the
// dependencies left to node_modules. Why a bundle: every command is a new Node process, and Node
// resolving, reading and linking our 225 modules one by one cost a create from a template about
// 60 ms of its 290 ms before the engine was asked anything (issue 19; DBARENA_TRACE=1 shows it).
// Each command and the dashboard stay in chunks of their own, loaded when they run, so `dbarena
// list` still parses nothing of Ink or React. Types are checked by `npm run typecheck` (tsc), not here.
import {renameSync, rmSync} from 'node:fs';
import {build} from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const next = `${root}dist.next`;
const old = `${root}dist.old`;

// Built aside and swapped in, so that a command started meanwhile finds a whole dist, and no file
// of an older build (another layout, a chunk by another hash) lingers to be imported by mistake.
rmSync(next, {recursive: true, force: true});
await build({
	absWorkingDir: root,
	entryPoints: [
		{in: 'source/cli.ts', out: 'cli'},
		// Imported by name by the benchmarks (bench/cases/cli-cost.ts): the core's load cost on its own.
		{in: 'source/core/lifecycle.ts', out: 'core/lifecycle'},
		{in: 'source/core/docker/dockerode.ts', out: 'core/docker/dockerode'},
		// Imported by name by test/integration/template-job.test.ts, to stop the builder it spawns.
		{in: 'source/cli/template-job.ts', out: 'cli/template-job'},
	],
	outdir: next,
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// dockerode, pg, mysql2, Ink…: loaded from node_modules as before, most of them only when used.
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning',
});
rmSync(old, {recursive: true, force: true});
try {
	renameSync(`${root}dist`, old);
} catch (error) {
	if (error.code !== 'ENOENT') throw error;
}
renameSync(next, `${root}dist`);
rmSync(old, {recursive: true, force: true});
