import {readFileSync} from 'node:fs';
import os from 'node:os';
import {cliPath, childEnv, repoRoot} from './dbarena.js';
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
};

function packageVersion(name: string): string {
	try {
		return (JSON.parse(readFileSync(`${repoRoot}node_modules/${name}/package.json`, 'utf8')) as {version: string}).version;
	} catch {
		return 'not installed';
	}
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
	};
}
