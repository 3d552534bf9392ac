import {fileURLToPath} from 'node:url';
import {ContainerManager} from '../../source/core/lifecycle.js';
import {runProcess, type ProcOptions, type ProcResult} from './proc.js';
import {registry} from './targets.js';
import type {Conn} from './login.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = `${repoRoot}dist/cli.js`;

/** The environment every dbarena run of the bench gets: pulls go through the local registry. */
export const childEnv: NodeJS.ProcessEnv = {...process.env, DBARENA_REGISTRY: registry};

/**
 * This machine's environment may set NODE_EXTRA_CA_CERTS, which makes Node 20 build its whole
 * certificate store before V8 starts (85-90 ms here with the system bundle). The CLI is measured
 * as run here, and where it is set, once more without it: what a machine without it gets.
 */
export const extraCaCerts = process.env['NODE_EXTRA_CA_CERTS'] || undefined;
/** childEnv with NODE_EXTRA_CA_CERTS empty, which Node takes as unset. */
export const envWithoutExtraCa: NodeJS.ProcessEnv = {...childEnv, NODE_EXTRA_CA_CERTS: ''};

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

/**
 * What makes a create initialise afresh even when a template for its settings exists; the notes
 * of the fresh runs name it too.
 */
export const freshFlag = '--no-template';

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
		throw new Error(
			`dbarena exited ${result.code ?? result.signal} without JSON: ${(result.stderr || result.stdout).trim().split('\n').slice(-4).join(' / ')}`,
		);
	}
	if (!Array.isArray(json.containers)) {
		throw new Error(`dbarena exited ${result.code ?? result.signal}: ${json.error?.message ?? result.stdout.slice(0, 300)}`);
	}
	return json as CreateJson;
}
