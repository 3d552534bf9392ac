import {readFileSync} from 'node:fs';
import os from 'node:os';
import {cliPath, childEnv, envWithoutExtraCa, extraCaCerts, repoRoot} from './dbarena.js';
import {docker} from './docker.js';
import {runProcess} from './proc.js';

export type Machine = {
	cores: number;
	cpuModel: string;
	memoryGiB: number;
	loadAtStart: number[];
	uptimeAtStart: string;
	kernel: string;
	node: string;
	docker: string;
	dbarena: string;
	testcontainers: string;
	/** Node's V8 start in a new process (performance.nodeTiming), median of 5, as the CLI runs, and without NODE_EXTRA_CA_CERTS where set. */
	nodeV8StartMs: number;
	nodeV8StartMsWithoutExtraCa?: number;
	extraCaCerts?: string;
};

function packageVersion(name: string): string {
	try {
		return (JSON.parse(readFileSync(`${repoRoot}node_modules/${name}/package.json`, 'utf8')) as {version: string}).version;
	} catch {
		return 'not installed';
	}
}

/** When a new Node process starts V8, in ms: the median of five. */
async function v8StartMs(env: NodeJS.ProcessEnv): Promise<number> {
	const values: number[] = [];
	for (let run = 0; run < 5; run++) {
		const result = await runProcess(process.execPath, ['-e', 'process.stdout.write(String(performance.nodeTiming.v8Start))'], {env});
		values.push(Number(result.stdout));
	}
	return values.sort((a, b) => a - b)[2]!;
}

export async function describeMachine(): Promise<Machine> {
	const [uptime, version, engine] = await Promise.all([
		runProcess('uptime', []),
		runProcess(process.execPath, [cliPath, '--version'], {env: childEnv}),
		docker.version(),
	]);
	return {
		cores: os.cpus().length,
		cpuModel: os.cpus()[0]?.model ?? '?',
		memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		loadAtStart: os.loadavg(),
		uptimeAtStart: uptime.stdout.trim(),
		kernel: `${os.type()} ${os.release()}`,
		node: process.version,
		docker: `Engine ${engine.Version} (API ${engine.ApiVersion})`,
		dbarena: version.stdout.trim(),
		testcontainers: packageVersion('testcontainers'),
		nodeV8StartMs: await v8StartMs(childEnv),
		...(extraCaCerts === undefined ? {} : {nodeV8StartMsWithoutExtraCa: await v8StartMs(envWithoutExtraCa), extraCaCerts}),
	};
}
