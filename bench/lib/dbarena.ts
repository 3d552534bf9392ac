import {randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import {ContainerManager} from '../../source/core/lifecycle.js';
import {runProcess, type ProcOptions, type ProcResult} from './proc.js';
import {registry} from './targets.js';
import type {Conn} from './login.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = `${repoRoot}dist/cli.js`;

/** The environment every dbarena run of the bench gets: pulls go through the local registry. */
export const childEnv: NodeJS.ProcessEnv = {...process.env, DBARENA_REGISTRY: registry};

/** The dbarena CLI as a user runs it: `node dist/cli.js …`, a new process every time. */
export async function dbarena(args: string[], options: ProcOptions = {}): Promise<ProcResult> {
	return runProcess(process.execPath, [cliPath, ...args], {env: childEnv, timeoutMs: 180_000, ...options});
}

let managerInstance: ContainerManager | undefined;
/** The core API in this process (template builds, plans for the floor). */
export function manager(): ContainerManager {
	managerInstance ??= new ContainerManager({settings: {registry}});
	return managerInstance;
}

export type Features = {noTemplate: boolean; templatesCommand: boolean; dashboard: boolean};

let featuresCache: Features | undefined;
/** What this build of the CLI offers, read from its help (the bench adapts and records it). */
export async function features(): Promise<Features> {
	if (featuresCache) return featuresCache;
	const [createHelp, help] = await Promise.all([dbarena(['create', '--help']), dbarena(['--help'])]);
	const {existsSync} = await import('node:fs');
	featuresCache = {
		noTemplate: createHelp.stdout.includes('--no-template'),
		templatesCommand: /^\s+templates\b/m.test(help.stdout),
		dashboard: existsSync(`${repoRoot}dist/ui/run.js`),
	};
	return featuresCache;
}

/**
 * Flags that make a create initialise afresh. With --no-template when the CLI has it; otherwise an
 * environment variable the image ignores, which changes the template key so that no template
 * matches (the create then takes the fresh path, including the template lookup it would skip
 * with --no-template: a few ms against us, never for us).
 */
export async function freshArgs(): Promise<string[]> {
	if ((await features()).noTemplate) return ['--no-template'];
	return ['--env', `DBARENA_BENCH_NONCE=${randomBytes(4).toString('hex')}`];
}

export async function freshMethod(): Promise<string> {
	return (await features()).noTemplate ? '--no-template' : '--env DBARENA_BENCH_NONCE=<random> (the CLI has no --no-template yet)';
}

export type CreatedContainer = {
	name: string;
	id: string;
	database: string;
	version: string;
	image: string;
	hostPort: number;
	connection: Conn & {url: string};
	pulled: boolean;
	readyMs: number;
	totalMs: number;
	createdAt?: string;
	startedAt?: string;
	memoryLimitBytes?: number;
};

export type CreateJson = {containers: CreatedContainer[]; errors: unknown[]; totalMs: number};

/** The JSON a `create --json` / `reset --json` printed; throws with dbarena's own error otherwise. */
export function parseCreate(result: ProcResult): CreateJson {
	let json: Partial<CreateJson> & {error?: {message?: string}};
	try {
		json = JSON.parse(result.stdout) as typeof json;
	} catch {
		throw new Error(`dbarena exited ${result.code ?? result.signal} without JSON: ${(result.stderr || result.stdout).trim().split('\n').slice(-4).join(' / ')}`);
	}
	if (!Array.isArray(json.containers)) {
		throw new Error(`dbarena exited ${result.code ?? result.signal}: ${json.error?.message ?? result.stdout.slice(0, 300)}`);
	}
	return json as CreateJson;
}
