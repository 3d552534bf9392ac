import {ensureTemplate, errorText, rotate, type BenchCase} from '../lib/case.js';
import {dbarena, envWithoutExtraCa, extraCaCerts, freshFlag, parseCreate} from '../lib/dbarena.js';
import {inspect} from '../lib/docker.js';
import {loginSoon} from '../lib/prober.js';
import {Collector} from '../lib/results.js';
import {cleanupSession, discard, track} from '../lib/session.js';
import {targets} from '../lib/targets.js';
import {dbarenaCreate} from '../lib/tools/dbarena.js';
import {floorStart} from '../lib/tools/floor.js';
import {dockerPhases} from '../lib/tools/phases.js';

const three = [targets.pg, targets.mariadb, targets.mysql];

export const parallelLabel = (variant: string) => ({
	parallel: `${variant}: one create of all three (command → all three host logins)`,
	sequence: `${variant}: three creates in sequence (sum)`,
	slowest: `${variant}: slowest single create`,
	ratio: `${variant}: parallel ÷ slowest single, per run`,
	floor: `${variant}: floor — three docker runs of the same images at once (→ all three host logins)`,
	floorRatio: `${variant}: parallel ÷ the floor, per run`,
	bare: `${variant}: one create of all three, NODE_EXTRA_CA_CERTS unset`,
	bareRatio: `${variant}: that ÷ the floor, per run`,
});

type Milestones = {target: string; phases: Record<string, number>};

/** One `dbarena create postgres:16 mariadb:10.11 mysql:8.4` against the same three created one after another. */
async function parallelOnce(fresh: boolean, env?: NodeJS.ProcessEnv): Promise<{ms: number; json: number; sources: string[]; milestones: Milestones[]}> {
	const args = ['create', ...three.map(target => target.spec), '--json', ...(fresh ? [freshFlag] : [])];
	const result = await dbarena(args, env ? {env} : {});
	const json = parseCreate(result);
	for (const created of json.containers) track(created.name);
	try {
		if (json.containers.length !== 3) throw new Error(`dbarena created ${json.containers.length} of 3: ${JSON.stringify(json.errors).slice(0, 300)}`);
		const milestones = await Promise.all(
			json.containers.map(async created => {
				const target = three.find(candidate => candidate.database === created.database)!;
				const login = await loginSoon(target.client, created.connection);
				return {target: target.title, phases: {...(await dockerPhases(created.name, result.t0)), login: login.t - result.t0}};
			}),
		);
		const sources = await Promise.all(json.containers.map(async created => (await inspect(created.name))?.labels['dbarena.source'] ?? 'fresh'));
		return {ms: Math.max(...milestones.map(item => item.phases['login']!)), json: (result.tLastStdout ?? result.tExit) - result.t0, sources, milestones};
	} finally {
		for (const created of json.containers) await discard(created.name);
	}
}

/**
 * Issue 19's floor for a parallel create: three `docker run`s of exactly the containers dbarena
 * makes (from their templates), started at once, each with a host login every 20 ms. The engine
 * serialises part of the work, so this is what it can do, not three single floors.
 */
async function floorOnce(): Promise<number> {
	const results = await Promise.all(three.map(async target => floorStart(target, {template: true})));
	try {
		return Math.max(...results.map(result => result.readyMs));
	} finally {
		for (const result of results) await discard(result.container);
	}
}

async function sequenceOnce(fresh: boolean): Promise<{singles: number[]; sources: string[]}> {
	const made: string[] = [];
	try {
		const singles: number[] = [];
		const sources: string[] = [];
		for (const target of three) {
			const result = await dbarenaCreate(target, {fresh});
			made.push(result.container);
			singles.push(result.readyMs);
			sources.push(result.source ?? '?');
		}
		return {singles, sources};
	} finally {
		for (const name of made) await discard(name);
	}
}

const phaseNames: Record<string, string> = {
	dbarenaPlanned: 'plan made',
	dockerCreated: 'container created (Docker)',
	dockerStarted: 'container started (Docker)',
	login: 'host login done',
};

export const parallelCreation: BenchCase = {
	id: 'parallel',
	title: 'Parallel creation of three databases',
	async run({runs, log}) {
		for (const target of three) await ensureTemplate(target);
		const collector = new Collector();
		const phaseTables = new Map([
			['template', new Collector()],
			['fresh', new Collector()],
		]);
		const raw: Array<Record<string, unknown>> = [];
		for (let run = 0; run < runs; run++) {
			for (const variant of rotate(['template', 'fresh'] as const, run)) {
				const labels = parallelLabel(variant);
				const entry: Record<string, unknown> = {run, variant};
				raw.push(entry);
				try {
					let parallel: Awaited<ReturnType<typeof parallelOnce>> | undefined;
					let sequence: {singles: number[]; sources: string[]} | undefined;
					let floor: number | undefined;
					let bare: number | undefined;
					// The floor is of template starts (a fresh one's floor is the image's own initialisation);
					// where this machine sets NODE_EXTRA_CA_CERTS, the template create runs once more without it.
					type Step = 'parallel' | 'sequence' | 'floor' | 'bare';
					const steps: Step[] =
						variant === 'template' ? ['parallel', 'sequence', 'floor', ...(extraCaCerts === undefined ? [] : (['bare'] as const))] : ['parallel', 'sequence'];
					for (const step of rotate(steps, run)) {
						log(`parallel: run ${run + 1}/${runs} ${variant} ${step}`);
						if (step === 'parallel') parallel = await parallelOnce(variant === 'fresh');
						else if (step === 'sequence') sequence = await sequenceOnce(variant === 'fresh');
						else if (step === 'bare') bare = (await parallelOnce(false, envWithoutExtraCa)).ms;
						else floor = await floorOnce();
					}
					Object.assign(entry, {parallel, sequence, floor, bare});
					if (floor !== undefined) {
						collector.add(labels.floor, 'ms', floor);
						collector.add(labels.floorRatio, 'ratio', parallel!.ms / floor);
						if (bare !== undefined) {
							collector.add(labels.bare, 'ms', bare);
							collector.add(labels.bareRatio, 'ratio', bare / floor);
						}
					}
					const slowest = Math.max(...sequence!.singles);
					collector.add(labels.parallel, 'ms', parallel!.ms);
					collector.add(
						labels.sequence,
						'ms',
						sequence!.singles.reduce((sum, value) => sum + value, 0),
					);
					collector.add(labels.slowest, 'ms', slowest);
					collector.add(labels.ratio, 'ratio', parallel!.ms / slowest);
					for (const [index, target] of three.entries()) collector.add(`${variant}: single create — ${target.title}`, 'ms', sequence!.singles[index]);
					const phases = phaseTables.get(variant)!;
					phases.add(`parallel: JSON printed`, 'ms', parallel!.json);
					for (const item of parallel!.milestones) {
						for (const [key, value] of Object.entries(item.phases))
							if (phaseNames[key]) phases.add(`parallel: ${item.target}: ${phaseNames[key]}`, 'ms', value);
					}
				} catch (error) {
					entry['error'] = errorText(error);
					log(`  failed: ${errorText(error)}`);
					await cleanupSession();
				}
			}
		}
		const tables = (['template', 'fresh'] as const).flatMap(variant => {
			const labels = parallelLabel(variant);
			const notes = ['The mysql:8.4 fixture is the real MySQL 9.7 server.', ...(variant === 'fresh' ? [`Fresh: ${freshFlag}.`] : [])];
			const phases = phaseTables.get(variant)!;
			return [
				collector.table(
					`Parallel vs sequential — ${variant === 'template' ? 'from templates' : 'fresh initialisation'} (PostgreSQL 16, MariaDB 10.11, MySQL 8.4 tag)`,
					[
						...Object.values(labels).filter(label =>
							variant === 'template'
								? extraCaCerts !== undefined || (label !== labels.bare && label !== labels.bareRatio)
								: ![labels.floor, labels.floorRatio, labels.bare, labels.bareRatio].includes(label),
						),
						...three.map(target => `${variant}: single create — ${target.title}`),
					],
					[labels.slowest, labels.sequence, ...(variant === 'template' ? [labels.floor] : [])],
					notes,
				),
				phases.table(`Where the time goes in the parallel create — ${variant} (ms since the command started)`, [
					'parallel: JSON printed',
					...three.flatMap(target => Object.values(phaseNames).map(name => `parallel: ${target.title}: ${name}`)),
				]),
			];
		});
		return {tables, notes: [], raw};
	},
};
