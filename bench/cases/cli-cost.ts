import {errorText, rotate, type BenchCase} from '../lib/case.js';
import {cliPath, childEnv, repoRoot} from '../lib/dbarena.js';
import {docker} from '../lib/docker.js';
import {runProcess} from '../lib/proc.js';
import {Collector} from '../lib/results.js';

export const cliLabel = {
	node: 'node -e 0 (a bare Node process)',
	version: 'dbarena --version',
	list: 'dbarena list',
	listJson: 'dbarena list --json',
	dockerPs: 'docker ps',
	importDockerode: 'node: import dockerode in full (with gRPC, protobufjs and ssh2)',
	loadDockerode: 'node: dockerode as dbarena loads it (gRPC, protobufjs, ssh2 deferred)',
	importDrivers: 'node: import pg + mysql2/promise (the readiness probes)',
	importCore: 'node: import dist/core/lifecycle.js',
} as const;

const commands: Array<{label: string; command: string; args: string[]}> = [
	{label: cliLabel.node, command: process.execPath, args: ['-e', '0']},
	{label: cliLabel.version, command: process.execPath, args: [cliPath, '--version']},
	{label: cliLabel.list, command: process.execPath, args: [cliPath, 'list']},
	{label: cliLabel.listJson, command: process.execPath, args: [cliPath, 'list', '--json']},
	{label: cliLabel.dockerPs, command: 'docker', args: ['ps']},
	// Where a create's first half second goes: module loading, measured as whole processes.
	{label: cliLabel.importDockerode, command: process.execPath, args: ['--input-type=module', '-e', 'await import("dockerode")']},
	{
		label: cliLabel.loadDockerode,
		command: process.execPath,
		args: ['--input-type=module', '-e', `(await import(${JSON.stringify(`${repoRoot}dist/core/docker/dockerode.js`)})).loadDockerode()`],
	},
	{label: cliLabel.importDrivers, command: process.execPath, args: ['--input-type=module', '-e', 'await import("pg"); await import("mysql2/promise")']},
	{
		label: cliLabel.importCore,
		command: process.execPath,
		args: ['--input-type=module', '-e', `await import(${JSON.stringify(`${repoRoot}dist/core/lifecycle.js`)})`],
	},
];

/** Wall time from spawn to exit, stdout a pipe (not a terminal), as in a script. */
export const cliCost: BenchCase = {
	id: 'cli',
	title: 'CLI cost',
	async run({runs, log}) {
		const collector = new Collector();
		const raw: Array<Record<string, unknown>> = [];
		for (let run = 0; run < runs; run++) {
			for (const {label, command, args} of rotate(commands, run)) {
				log(`cli: run ${run + 1}/${runs} ${label}`);
				try {
					const result = await runProcess(command, args, {env: childEnv, cwd: repoRoot, timeoutMs: 60_000});
					if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr.trim()}`);
					collector.add(label, 'ms', result.tExit - result.t0);
					raw.push({run, label, ms: result.tExit - result.t0});
				} catch (error) {
					raw.push({run, label, error: errorText(error)});
				}
			}
		}
		const managed = await docker.listContainers({all: true, filters: {label: ['dbarena.managed=true']}});
		return {
			tables: [
				collector.table(
					'CLI wall time (spawn → exit)',
					Object.values(cliLabel),
					[cliLabel.dockerPs, cliLabel.node],
					[`dbarena list saw ${managed.length} managed containers on the engine at the end of the case (other work on the machine included).`],
				),
			],
			notes: [],
			raw,
		};
	},
};
