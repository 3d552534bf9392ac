import {errorText, ensureTemplate, rotate, type BenchCase} from '../lib/case.js';
import {now} from '../lib/clock.js';
import {dbarena, envWithoutExtraCa, extraCaCerts, manager} from '../lib/dbarena.js';
import {dockerCli} from '../lib/docker.js';
import {execute, login} from '../lib/login.js';
import {Collector} from '../lib/results.js';
import {discard} from '../lib/session.js';
import {targets, type Target} from '../lib/targets.js';
import {dbarenaCreate} from '../lib/tools/dbarena.js';
import {floorStart} from '../lib/tools/floor.js';

export const resetLabel = {
	dataCli: 'reset --data, CLI (command start → exit)',
	dataCliNoExtraCa: 'reset --data, CLI, NODE_EXTRA_CA_CERTS unset',
	dataCore: 'reset --data, in-process (as the dashboard does it)',
	full: 'reset (recreate), CLI (command start → host login)',
	fullNoExtraCa: 'reset (recreate), CLI, NODE_EXTRA_CA_CERTS unset',
	floor: 'floor: docker rm -f -v + docker run of the template image → host login',
} as const;

const rows = 10_000;

/** The same 10 000 rows in either engine, written from the host. */
async function seed(target: Target, conn: Parameters<typeof execute>[1]): Promise<void> {
	await execute(target.client, conn, [
		'CREATE TABLE orders (id int PRIMARY KEY, item varchar(40))',
		target.client === 'postgres'
			? `INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, ${rows}) g`
			: `INSERT INTO orders SELECT seq, CONCAT('item ', seq) FROM seq_1_to_${rows}`,
	]);
}

/** A full `dbarena reset`, timed from the command's start to a host login on the new container. */
async function recreate(target: Target, name: string, env?: NodeJS.ProcessEnv): Promise<number> {
	const full = await dbarena(['reset', name, '--yes', '--json'], env ? {env} : {});
	if (full.code !== 0) throw new Error(`reset failed: ${full.stderr.trim()}`);
	const conn = (JSON.parse(full.stdout) as {containers: Array<{connection: Parameters<typeof login>[1]}>}).containers[0]!.connection;
	await login(target.client, conn, 5000);
	return now() - full.t0;
}

/**
 * A clean database between tests (issue 19): `reset --data` (inside the running server), the full
 * recreate, and the floor of a recreate — `docker rm -f -v` of the container plus `docker run` of the
 * same template image and a host login every 20 ms — measured in the same run. Goals: --data within
 * 150 ms from the command's start for 10 000 rows; the full reset within 1.3× its floor.
 */
export const resetBench: BenchCase = {
	id: 'reset',
	title: 'Reset between tests: reset --data, reset, and the floor of a recreate',
	async run({runs, log}) {
		const list = [targets.pg, targets.mariadb];
		for (const target of list) await ensureTemplate(target);
		const collectors = new Map(list.map(target => [target.id, new Collector()]));
		const raw: Array<Record<string, unknown>> = [];
		for (let run = 0; run < runs; run++) {
			for (const target of rotate(list, run)) {
				const collector = collectors.get(target.id)!;
				log(`reset: run ${run + 1}/${runs} ${target.title}`);
				const created = await dbarenaCreate(target, {fresh: false, tool: 'reset subject'});
				const name = created.container;
				const conn = created.created.connection;
				try {
					await seed(target, conn);
					const cli = await dbarena(['reset', name, '--data', '--yes', '--json']);
					if (cli.code !== 0) throw new Error(`reset --data failed: ${cli.stderr.trim()}`);
					collector.add(resetLabel.dataCli, 'ms', cli.tExit - cli.t0);
					await seed(target, conn);
					const began = now();
					await manager().resetData(name, {});
					collector.add(resetLabel.dataCore, 'ms', now() - began);
					const fullMs = await recreate(target, name);
					collector.add(resetLabel.full, 'ms', fullMs);
					raw.push({run, target: target.id, dataCliMs: cli.tExit - cli.t0, fullMs});
					// Where this machine sets NODE_EXTRA_CA_CERTS, both CLI resets once more without it.
					if (extraCaCerts !== undefined) {
						await seed(target, conn);
						const bare = await dbarena(['reset', name, '--data', '--yes', '--json'], {env: envWithoutExtraCa});
						if (bare.code !== 0) throw new Error(`reset --data failed: ${bare.stderr.trim()}`);
						collector.add(resetLabel.dataCliNoExtraCa, 'ms', bare.tExit - bare.t0);
						collector.add(resetLabel.fullNoExtraCa, 'ms', await recreate(target, name, envWithoutExtraCa));
					}
				} catch (error) {
					raw.push({run, target: target.id, error: errorText(error)});
				} finally {
					await discard(name);
				}
				// The floor of the recreate: a container to remove, then docker run and a login.
				try {
					const old = await floorStart(target, {template: true});
					const removed = await dockerCli(['rm', '-f', '-v', old.container]);
					if (removed.code !== 0) throw new Error(`docker rm -f failed: ${removed.stderr.trim()}`);
					const again = await floorStart(target, {template: true});
					// The removal as docker ran it, then the run timed from its own start to the login.
					collector.add(resetLabel.floor, 'ms', removed.tExit - removed.t0 + again.readyMs);
					await discard(again.container);
				} catch (error) {
					raw.push({run, target: target.id, floorError: errorText(error)});
				}
			}
		}
		const labels = Object.values(resetLabel).filter(label => extraCaCerts !== undefined || !label.includes('NODE_EXTRA_CA_CERTS'));
		return {
			tables: list.map(target =>
				collectors
					.get(target.id)!
					.table(
						`${target.title}: ${rows} rows`,
						labels,
						[resetLabel.floor],
						['--data keeps the container, port, roles and slots; the full reset and its floor make a new container.'],
					),
			),
			notes: [
				`Each run: a container from the template, ${rows} rows written from the host, reset --data (CLI), the rows again, ` +
					'reset --data in this process, then the full reset; the floor is measured after it on a container of its own.',
			],
			raw,
		};
	},
};
