import {ensureTemplate, errorText, rotate, type BenchCase} from '../lib/case.js';
import {sleep} from '../lib/clock.js';
import {now} from '../lib/clock.js';
import {dbarena, freshFlag, manager} from '../lib/dbarena.js';
import {dockerCli, inspect, memory} from '../lib/docker.js';
import {Collector} from '../lib/results.js';
import {cleanupSession, discard} from '../lib/session.js';
import {targets, type Target} from '../lib/targets.js';
import {dbarenaCreate} from '../lib/tools/dbarena.js';

const mib = 1024 * 1024;
const settleMs = 3000;
const all = [targets.pg, targets.mariadb, targets.mysql];

export const destroyLabel = {
	dbarena: 'dbarena destroy NAME --yes (all databases)',
	docker: 'docker rm -f -v NAME (all databases)',
	core: 'core destroy() in the bench process, no process start-up (all databases)',
	perEngine: (target: Target) => `dbarena destroy — ${target.title}`,
} as const;

export const memoryLabel = (target: Target, source: string) => `${target.title}, ${source}: memory in use (usage − inactive file)`;
export const limitLabel = (target: Target) => `${target.title}: limit applied (HostConfig.Memory)`;

/** Time `dbarena destroy` (spawn → exit) and check the container is really gone. */
async function timedDestroy(name: string): Promise<number> {
	const result = await dbarena(['destroy', name, '--yes']);
	if (result.code !== 0) throw new Error(`dbarena destroy exited ${result.code}: ${result.stderr.trim()}`);
	if (await inspect(name)) throw new Error(`${name} still exists after dbarena destroy`);
	return result.tExit - result.t0;
}

/**
 * Destroy time against `docker rm -f -v` (dbarena removes anonymous volumes too), and the memory of each engine in fast mode once ready:
 * one stats sample (stream=false) 3 s after ready, usage minus inactive file cache as
 * `docker stats` shows it, with the limit dbarena set and the limit the cgroup reports.
 */
export const destroyAndMemory: BenchCase = {
	id: 'destroy',
	title: 'Destroy time and memory',
	async run({runs, log}) {
		for (const target of all) await ensureTemplate(target);
		const collector = new Collector();
		const raw: Array<Record<string, unknown>> = [];
		for (let run = 0; run < runs; run++) {
			for (const target of rotate(all, run)) {
				for (const step of rotate(['template', 'fresh', 'docker rm -f', 'core destroy()'] as const, run)) {
					log(`destroy: run ${run + 1}/${runs} ${target.title} ${step}`);
					const entry: Record<string, unknown> = {run, target: target.id, step};
					raw.push(entry);
					let name: string | undefined;
					try {
						const created = await dbarenaCreate(target, {fresh: step === 'fresh'});
						name = created.container;
						entry['source'] = created.source;
						if (step === 'docker rm -f') {
							const result = await dockerCli(['rm', '-f', '-v', name]);
							if (result.code !== 0) throw new Error(result.stderr.trim());
							entry['destroyMs'] = result.tExit - result.t0;
							collector.add(destroyLabel.docker, 'ms', result.tExit - result.t0);
							continue;
						}
						if (step === 'core destroy()') {
							const began = now();
							await manager().destroy(name);
							const ms = now() - began;
							if (await inspect(name)) throw new Error(`${name} still exists after destroy()`);
							entry['destroyMs'] = ms;
							collector.add(destroyLabel.core, 'ms', ms);
							continue;
						}
						await sleep(settleMs);
						const sample = await memory(name);
						const limit = (await inspect(name))?.memoryLimit ?? 0;
						Object.assign(entry, {memory: sample, hostConfigMemory: limit});
						collector.add(memoryLabel(target, created.source === 'template' ? 'from template' : 'fresh (data on tmpfs)'), 'MiB', sample.workingSetBytes / mib);
						collector.add(limitLabel(target), 'MiB', limit / mib);
						collector.add(`${target.title}: limit the cgroup reports`, 'MiB', sample.limitBytes / mib);
						const ms = await timedDestroy(name);
						entry['destroyMs'] = ms;
						collector.add(destroyLabel.dbarena, 'ms', ms);
						collector.add(destroyLabel.perEngine(target), 'ms', ms);
					} catch (error) {
						entry['error'] = errorText(error);
						log(`  failed: ${errorText(error)}`);
						await cleanupSession();
					} finally {
						if (name) await discard(name);
					}
				}
			}
		}
		return {
			tables: [
				collector.table(
					'Destroy (command start → process exit; the container is gone)',
					[destroyLabel.dbarena, ...all.map(target => destroyLabel.perEngine(target)), destroyLabel.core, destroyLabel.docker],
					[destroyLabel.docker, destroyLabel.core],
					['dbarena destroy removes containers it created from a template and fresh ones alike; each engine in fast mode (tmpfs, no volume).'],
				),
				collector.table(
					`Memory 3 s after ready, fast mode (one docker stats sample)`,
					all.flatMap(target => [
						memoryLabel(target, 'from template'),
						memoryLabel(target, 'fresh (data on tmpfs)'),
						limitLabel(target),
						`${target.title}: limit the cgroup reports`,
					]),
					[],
					[`Fresh runs: ${freshFlag}. Data on tmpfs counts towards the container's memory (shmem); a template's data sits on the container's layer.`],
				),
			],
			notes: [],
			raw,
		};
	},
};
