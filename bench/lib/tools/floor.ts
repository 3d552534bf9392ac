import {containerSpec} from '../../../source/core/create/container-spec.js';
import {withDataPath} from '../../../source/core/create/plan.js';
import {findTemplate} from '../../../source/core/templates.js';
import {now} from '../clock.js';
import {manager} from '../dbarena.js';
import {dockerCli} from '../docker.js';
import {Prober} from '../prober.js';
import {freePort} from '../ports.js';
import {containerName, labelArgs} from '../session.js';
import {defaultConn, type Target} from '../targets.js';
import {dockerPhases} from './phases.js';
import type {StartResult} from './types.js';

/**
 * `docker run` arguments with exactly the container settings dbarena uses in fast mode, taken
 * from the core's own plan (image, environment, server flags, tmpfs, memory limit), so the floor
 * follows any change there. With `template`, the template image and its data path, as a create
 * from the template would use. dbarena's labels are left out: the floor is not managed.
 */
export async function floorRunArgs(target: Target, options: {template: boolean; port: number; name: string}): Promise<string[]> {
	const core = manager();
	let plan = core.plan({database: target.database, version: target.version, name: options.name});
	if (options.template) {
		const template = await findTemplate(core.engine, plan);
		const support = plan.preset.template;
		if (!template || !support) throw new Error(`No template for ${target.title} with the default settings; build it first.`);
		plan = withDataPath(plan, support.dataPath, {kind: 'template', image: template.reference, key: template.key});
	}
	const spec = containerSpec(plan, options.port);
	const host = spec.HostConfig;
	if (host?.Mounts?.length) throw new Error('The floor expects fast mode (no volume mounts).');
	const image = spec.Image;
	if (!image) throw new Error('The plan names no image.');
	return [
		'run',
		'-d',
		'--name',
		options.name,
		...labelArgs(),
		'-p',
		`127.0.0.1:${options.port}:${target.preset.containerPort}`,
		...(host?.Memory ? ['--memory', String(host.Memory)] : []),
		...(host?.MemorySwap ? ['--memory-swap', String(host.MemorySwap)] : []),
		...Object.entries(host?.Tmpfs ?? {}).flatMap(([path, options]) => ['--tmpfs', `${path}:${options}`]),
		...(spec.Env ?? []).flatMap(entry => ['-e', entry]),
		image,
		...(spec.Cmd ?? []),
	];
}

/** The floor: that `docker run`, and a host login attempted every 20 ms from the moment it returns (the container runs). */
export async function floorStart(target: Target, options: {template: boolean}): Promise<StartResult & {args: string[]}> {
	const port = await freePort();
	const name = containerName(`${target.id}-floor${options.template ? '-tpl' : ''}`);
	const args = await floorRunArgs(target, {...options, port, name});
	const prober = new Prober(target.client, defaultConn(target, port), 20);
	const t0 = now();
	const run = await dockerCli(args);
	if (run.code !== 0) throw new Error(`docker run failed: ${run.stderr.trim()}`);
	// `docker run -d` returns once the container runs; probing earlier only slows the port down (see Prober).
	prober.start({untilOk: true});
	const ok = await prober.untilOk(120_000);
	await prober.stop();
	if (ok === undefined) throw new Error(`floor: no login to ${target.title} within 120 s: ${prober.lastError ?? ''}`);
	return {
		tool: options.template ? 'floor (template)' : 'floor',
		target: target.id,
		container: name,
		readyMs: ok - t0,
		failuresAfterSaidReady: 0,
		phases: {...(await dockerPhases(name, t0)), runReturned: run.tExit - t0, login: ok - t0},
		detail: {attempts: prober.attempts.length},
		args,
	};
}
