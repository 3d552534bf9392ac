import {ensureTemplate, errorText, rotate, type BenchCase} from '../lib/case.js';
import {envWithoutExtraCa, extraCaCerts, freshFlag} from '../lib/dbarena.js';
import {Collector} from '../lib/results.js';
import {cleanupSession, discard} from '../lib/session.js';
import {targets, type Target} from '../lib/targets.js';
import {dbarenaCreate} from '../lib/tools/dbarena.js';
import {floorStart} from '../lib/tools/floor.js';
import {naiveStart} from '../lib/tools/naive.js';
import {testcontainersStart} from '../lib/tools/testcontainers.js';
import type {StartResult} from '../lib/tools/types.js';

const allTools = ['dbarena template', 'dbarena template, no extra CA', 'dbarena fresh', 'naive', 'testcontainers', 'floor', 'floor (template)'] as const;
type Tool = (typeof allTools)[number];
/** The no-extra-CA run only where this machine sets NODE_EXTRA_CA_CERTS (dbarena.ts). */
export const tools: readonly Tool[] = allTools.filter(tool => tool !== 'dbarena template, no extra CA' || extraCaCerts !== undefined);

async function start(tool: Tool, target: Target): Promise<StartResult> {
	switch (tool) {
		case 'dbarena template':
			return dbarenaCreate(target, {fresh: false});
		case 'dbarena template, no extra CA':
			return dbarenaCreate(target, {fresh: false, tool, env: envWithoutExtraCa});
		case 'dbarena fresh':
			return dbarenaCreate(target, {fresh: true});
		case 'naive':
			return naiveStart(target);
		case 'testcontainers':
			return testcontainersStart(target);
		case 'floor':
			return floorStart(target, {template: false});
		case 'floor (template)':
			return floorStart(target, {template: true});
	}
}

/** Labels of the rows, shared with the goals and the chart. */
export const warmLabel = {
	template: 'dbarena CLI, from template',
	templateNoExtraCa: 'dbarena CLI, from template, NODE_EXTRA_CA_CERTS unset',
	fresh: 'dbarena CLI, fresh',
	naiveClaim: 'naive: claims ready',
	naiveTrue: 'naive: host login works',
	tcProcess: 'testcontainers (process start)',
	tcStart: 'testcontainers (from start() call)',
	floor: 'floor, fresh',
	floorTemplate: 'floor, template image',
} as const;

const phaseNames: Record<string, string> = {
	dbarenaPlanned: 'plan made (node start, imports, engine check)',
	importStart: 'module import begins',
	startCall: 'start() called',
	dockerCreated: 'container created (Docker)',
	dockerStarted: 'container started (Docker)',
	runReturned: 'docker run returned',
	claim: 'check passed',
	json: 'said ready (JSON printed)',
	startReturned: 'said ready (start() returned)',
	exit: 'process exited',
	login: 'host login done',
};

export const warmStart: BenchCase = {
	id: 'warm',
	title: 'Warm start to truly ready (image cached)',
	async run({runs, log}) {
		const list = [targets.pg, targets.mariadb];
		const prepared = [];
		for (const target of list) prepared.push({target: target.id, template: await ensureTemplate(target)});
		const raw: Array<{run: number; target: string; tool: string; result?: StartResult; error?: string}> = [];
		const collectors = new Map(list.map(target => [target.id, new Collector()]));
		const phases = new Map(list.map(target => [target.id, new Collector()]));
		const counts = new Map(list.map(target => [target.id, {naiveEarly: 0, naiveRuns: 0, notTemplate: 0, failuresAfterReady: 0, errors: 0}]));

		for (let run = 0; run < runs; run++) {
			for (const target of rotate(list, run)) {
				for (const tool of rotate(tools, run)) {
					log(`warm: run ${run + 1}/${runs} ${target.title} ${tool}`);
					const collector = collectors.get(target.id)!;
					const count = counts.get(target.id)!;
					let result: StartResult | undefined;
					try {
						result = await start(tool, target);
						raw.push({run, target: target.id, tool, result});
					} catch (error) {
						count.errors += 1;
						raw.push({run, target: target.id, tool, error: errorText(error)});
						log(`  failed: ${errorText(error)}`);
						// Whatever the failed start left behind goes before the next measurement.
						await cleanupSession();
						continue;
					} finally {
						if (result) await discard(result.container);
					}
					count.failuresAfterReady += tool === 'naive' ? 0 : result.failuresAfterSaidReady;
					const phase = phases.get(target.id)!;
					for (const [key, value] of Object.entries(result.phases)) if (phaseNames[key]) phase.add(`${tool}: ${phaseNames[key]}`, 'ms', value);
					switch (tool) {
						case 'dbarena template':
							if (result.source !== 'template') count.notTemplate += 1;
							collector.add(warmLabel.template, 'ms', result.readyMs);
							break;
						case 'dbarena template, no extra CA':
							if (result.source !== 'template') count.notTemplate += 1;
							collector.add(warmLabel.templateNoExtraCa, 'ms', result.readyMs);
							break;
						case 'dbarena fresh':
							collector.add(warmLabel.fresh, 'ms', result.readyMs);
							break;
						case 'naive': {
							const naive = result as StartResult & {claimMs: number; earlyClaim: boolean};
							collector.add(warmLabel.naiveClaim, 'ms', naive.claimMs);
							collector.add(warmLabel.naiveTrue, 'ms', naive.readyMs);
							count.naiveRuns += 1;
							if (naive.earlyClaim) count.naiveEarly += 1;
							break;
						}
						case 'testcontainers': {
							const tc = result as StartResult & {fromStartCallMs: number};
							collector.add(warmLabel.tcProcess, 'ms', tc.readyMs);
							collector.add(warmLabel.tcStart, 'ms', tc.fromStartCallMs);
							break;
						}
						case 'floor':
							collector.add(warmLabel.floor, 'ms', result.readyMs);
							break;
						case 'floor (template)':
							collector.add(warmLabel.floorTemplate, 'ms', result.readyMs);
							break;
					}
				}
			}
		}

		const tables = list.flatMap(target => {
			const count = counts.get(target.id)!;
			const notes = [
				`naive claimed ready before a host login worked in ${count.naiveEarly} of ${count.naiveRuns} runs.`,
				`dbarena said ready and the bench's host login then failed: ${count.failuresAfterReady} times (must be 0).`,
				`dbarena "from template" runs that did not start from the template: ${count.notTemplate}. Fresh runs: ${freshFlag}.`,
				...(extraCaCerts === undefined
					? []
					: [`This machine sets NODE_EXTRA_CA_CERTS (${extraCaCerts}); every dbarena row runs with it, but the one that says it is unset.`]),
				...(count.errors > 0 ? [`${count.errors} starts failed (see the JSON).`] : []),
			];
			const labels = Object.values(warmLabel).filter(label => label !== warmLabel.templateNoExtraCa || extraCaCerts !== undefined);
			return [
				collectors
					.get(target.id)!
					.table(
						`Warm start to a host login (SELECT 1) — ${target.title}`,
						labels,
						[warmLabel.tcProcess, warmLabel.tcStart, warmLabel.floor, warmLabel.floorTemplate],
						notes,
					),
				phases.get(target.id)!.table(
					`Where the time goes — ${target.title} (ms since the command started)`,
					tools.flatMap(tool => Object.values(phaseNames).map(name => `${tool}: ${name}`)),
				),
			];
		});
		return {tables, notes: [`Templates: ${JSON.stringify(prepared)}`], raw: {prepared, runs: raw}};
	},
};
