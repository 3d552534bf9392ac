import {fileURLToPath} from 'node:url';
import {monoOf} from '../clock.js';
import {loginSoon} from '../prober.js';
import {runProcess} from '../proc.js';
import {session, track} from '../session.js';
import type {Target} from '../targets.js';
import {dockerPhases} from './phases.js';
import type {StartResult} from './types.js';

const child = fileURLToPath(new URL('../../children/testcontainers-start.mjs', import.meta.url));

type ChildOutput = {id: string; port: number; user: string; password: string; database: string; importStart: number; startCall: number; startReturned: number};

/**
 * testcontainers-node 11 with PostgreSqlContainer / MariaDbContainer and their own waits, the
 * image overridden to the local registry's ref. Timed from the process spawn (node start-up and
 * the module import included, as for the dbarena CLI) and, separately, from the start() call.
 */
export async function testcontainersStart(target: Target): Promise<StartResult & {fromStartCallMs: number}> {
	const kind = target.client === 'postgres' ? 'postgres' : 'mariadb';
	const result = await runProcess(process.execPath, [child, kind, target.image, session], {
		env: {...process.env, TESTCONTAINERS_RYUK_DISABLED: 'true'},
		timeoutMs: 180_000,
	});
	let out: ChildOutput;
	try {
		out = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as ChildOutput;
	} catch {
		throw new Error(`testcontainers exited ${result.code ?? result.signal}: ${result.stderr.trim().split('\n').slice(-4).join(' / ')}`);
	}
	track(out.id);
	const login = await loginSoon(target.client, {host: '127.0.0.1', port: out.port, user: out.user, password: out.password, database: out.database});
	const startCall = monoOf(out.startCall);
	return {
		tool: 'testcontainers',
		target: target.id,
		container: out.id,
		readyMs: login.t - result.t0,
		saidReadyMs: monoOf(out.startReturned) - result.t0,
		fromStartCallMs: login.t - startCall,
		failuresAfterSaidReady: login.failures,
		phases: {
			...(await dockerPhases(out.id, result.t0)),
			importStart: monoOf(out.importStart) - result.t0,
			startCall: startCall - result.t0,
			startReturned: monoOf(out.startReturned) - result.t0,
			login: login.t - result.t0,
		},
	};
}
