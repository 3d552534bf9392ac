import {now, sleep} from '../clock.js';
import {dockerCli} from '../docker.js';
import {loginSoon} from '../prober.js';
import {freePort} from '../ports.js';
import {containerName, labelArgs} from '../session.js';
import {defaultConn, type Target} from '../targets.js';
import {dockerPhases} from './phases.js';
import type {StartResult} from './types.js';

/**
 * The original spec's design: `docker run` with the credentials and the image's defaults otherwise, then
 * `docker exec` of the image's own check every 500 ms: `pg_isready` (no -h: the unix socket) or
 * `mysqladmin ping` (socket). Both also answer the temporary, socket-only server of the first start.
 */
export async function naiveStart(target: Target): Promise<StartResult & {claimMs: number; earlyClaim: boolean; checks: number}> {
	const port = await freePort();
	const name = containerName(`${target.id}-naive`);
	const conn = defaultConn(target, port);
	const env =
		target.client === 'postgres'
			? {POSTGRES_USER: conn.user, POSTGRES_PASSWORD: conn.password, POSTGRES_DB: conn.database}
			: {MARIADB_ROOT_PASSWORD: conn.password, MARIADB_DATABASE: conn.database};
	const check = target.client === 'postgres' ? ['pg_isready', '-U', conn.user, '-d', conn.database] : ['mysqladmin', 'ping', '-h', 'localhost'];
	const t0 = now();
	const run = await dockerCli([
		'run',
		'-d',
		'--name',
		name,
		...labelArgs(),
		'-p',
		`127.0.0.1:${port}:${target.preset.containerPort}`,
		...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
		target.image,
	]);
	if (run.code !== 0) throw new Error(`docker run failed: ${run.stderr.trim()}`);
	let checks = 0;
	let claim: number | undefined;
	while (now() - t0 < 120_000) {
		checks += 1;
		const result = await dockerCli(['exec', name, ...check], 10_000);
		if (result.code === 0) {
			claim = now();
			break;
		}
		await sleep(500);
	}
	if (claim === undefined) throw new Error(`naive: ${check.join(' ')} never succeeded`);
	const login = await loginSoon(target.client, conn);
	return {
		tool: 'naive',
		target: target.id,
		container: name,
		readyMs: login.t - t0,
		saidReadyMs: claim - t0,
		claimMs: claim - t0,
		// The first host login right after the claim failed: it claimed ready too early.
		earlyClaim: login.failures > 0,
		failuresAfterSaidReady: login.failures,
		checks,
		phases: {...(await dockerPhases(name, t0)), runReturned: run.tExit - t0, claim: claim - t0, login: login.t - t0},
	};
}
