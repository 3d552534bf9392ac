import {dbarena, freshFlag, parseCreate, type CreatedContainer} from '../dbarena.js';
import {inspect} from '../docker.js';
import {loginSoon} from '../prober.js';
import {containerName, track} from '../session.js';
import type {Target} from '../targets.js';
import {dockerPhases} from './phases.js';
import type {StartResult} from './types.js';

/** `t0`: the now() reading at the spawn, for what happens after the command (background work). */
export type DbarenaStart = StartResult & {created: CreatedContainer; t0: number};

/**
 * Run a dbarena command that prints create JSON (create, reset), then log in from the host with
 * the printed credentials. Timed from the process spawn to the end of that login.
 */
export async function timedCreateCommand(tool: string, target: Target, args: string[], env?: NodeJS.ProcessEnv): Promise<DbarenaStart> {
	const result = await dbarena(args, env ? {env} : {});
	const json = parseCreate(result);
	const created = json.containers[0];
	if (!created) throw new Error(`${tool}: dbarena reported no container: ${JSON.stringify(json.errors)}`);
	track(created.name);
	const login = await loginSoon(target.client, created.connection);
	const info = await inspect(created.name);
	const saidReadyMs = (result.tLastStdout ?? result.tExit) - result.t0;
	return {
		tool,
		target: target.id,
		container: created.name,
		readyMs: login.t - result.t0,
		saidReadyMs,
		failuresAfterSaidReady: login.failures,
		source: info?.labels['dbarena.source'] ?? 'fresh',
		phases: {
			...(await dockerPhases(created.name, result.t0)),
			json: saidReadyMs,
			exit: result.tExit - result.t0,
			login: login.t - result.t0,
		},
		detail: {readyMsReported: created.readyMs, totalMsReported: created.totalMs, pulled: created.pulled},
		created,
		t0: result.t0,
	};
}

/** `dbarena create <db> --version V --json --name N` (fresh: no template), timed to a host login. */
export async function dbarenaCreate(
	target: Target,
	options: {fresh: boolean; port?: number; extra?: string[]; tool?: string; env?: NodeJS.ProcessEnv},
): Promise<DbarenaStart> {
	const name = containerName(`${target.id}-${options.fresh ? 'fresh' : 'tpl'}`);
	const args = [
		'create',
		target.database,
		'--version',
		target.version,
		'--json',
		'--name',
		name,
		...(options.port === undefined ? [] : ['--port', String(options.port)]),
		...(options.extra ?? []),
		...(options.fresh ? [freshFlag] : []),
	];
	return timedCreateCommand(options.tool ?? (options.fresh ? 'dbarena fresh' : 'dbarena template'), target, args, options.env);
}
