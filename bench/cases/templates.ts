import {randomBytes} from 'node:crypto';
import {imageId as coreImageId} from '../../source/core/docker/commit.js';
import {templateKey, templateRepository} from '../../source/core/templates.js';
import {ensureTemplate, errorText, rotate, type BenchCase} from '../lib/case.js';
import {now, sleep} from '../lib/clock.js';
import {freshFlag, manager} from '../lib/dbarena.js';
import {docker, imageId, inspect} from '../lib/docker.js';
import {execute} from '../lib/login.js';
import {Collector} from '../lib/results.js';
import {cleanupSession, discard, track} from '../lib/session.js';
import {targets, type Target} from '../lib/targets.js';
import {dbarenaCreate, timedCreateCommand, type DbarenaStart} from '../lib/tools/dbarena.js';
import {floorStart} from '../lib/tools/floor.js';
import type {StartResult} from '../lib/tools/types.js';

export const templateLabel = {
	template: (target: Target) => `${target.title}: create from template (command → host login)`,
	fresh: (target: Target) => `${target.title}: create fresh, --no-template (command → host login)`,
	floor: (target: Target) => `${target.title}: floor, template image`,
	first: (target: Target) => `${target.title}: first create with new settings (command → host login)`,
	firstExit: (target: Target) => `${target.title}: first create with new settings (command → process exit)`,
	background: (target: Target) => `${target.title}: template built in the background, ready (since that command started)`,
	second: (target: Target) => `${target.title}: next create with those settings (command → host login)`,
	reset: 'PostgreSQL 16: reset (command → host login on the reset database)',
} as const;

const markerTable = 'dbarena_bench_marker';

/** Create from the template, write a marker table, reset, log in again: the marker must be gone. */
async function timedReset(): Promise<DbarenaStart & {markerGone: boolean}> {
	const pg = targets.pg;
	const before = await dbarenaCreate(pg, {fresh: false, tool: 'setup'});
	try {
		await execute(pg.client, before.created.connection, [`CREATE TABLE ${markerTable} (x int)`, `INSERT INTO ${markerTable} VALUES (1)`]);
		const reset = await timedCreateCommand('dbarena reset', pg, ['reset', before.container, '--yes', '--json']);
		const [rows] = await execute(pg.client, reset.created.connection, [`SELECT to_regclass('${markerTable}') AS marker`]);
		return {...reset, markerGone: (rows as Array<{marker: unknown}>)[0]?.marker === null};
	} finally {
		await discard(before.container);
	}
}

type FirstCreate = {first: DbarenaStart; templateReadyMs?: number; second?: DbarenaStart; reference: string};

/**
 * A first create with settings no template exists for (an environment variable the image ignores
 * makes a new key): how long the user waits, when the template the CLI builds in the background
 * is there, and that the next create with those settings starts from it. The template is removed after.
 */
async function firstCreate(target: Target, log: (line: string) => void): Promise<FirstCreate> {
	const nonce = randomBytes(4).toString('hex');
	const plan = manager().plan({database: target.database, version: target.version, env: {DBARENA_BENCH_NONCE: nonce}});
	const key = templateKey(plan, await coreImageId(manager().engine.docker, plan.image));
	const reference = `${templateRepository(plan)}:${key}`;
	const builder = `dbarena-template-build-${key}`;
	track(builder);
	const extra = ['--env', `DBARENA_BENCH_NONCE=${nonce}`];
	const containers: string[] = [];
	try {
		const first = await dbarenaCreate(target, {fresh: false, extra, tool: 'first create'});
		containers.push(first.container);
		const out: FirstCreate = {first, reference};
		const deadline = now() + 120_000;
		while (now() < deadline && !(await imageId(reference))) await sleep(50);
		if (await imageId(reference)) out.templateReadyMs = now() - first.t0;
		else log(`  no template appeared for ${target.title} within 120 s`);
		// The builder stops and removes its container after the commit; wait so it does not load the next measurement.
		while (now() < deadline && (await inspect(builder))) await sleep(100);
		if (out.templateReadyMs !== undefined) {
			out.second = await dbarenaCreate(target, {fresh: false, extra, tool: 'next create'});
			containers.push(out.second.container);
		}
		return out;
	} finally {
		for (const name of containers) await discard(name);
		await discard(builder);
		await docker
			.getImage(reference)
			.remove()
			.catch(() => {});
	}
}

/**
 * The template path (issue 8): create from a template, reset, against a fresh create and the
 * template floor in the same run; and what a first create with new settings costs now that the
 * CLI builds the template in the background.
 */
export const templates: BenchCase = {
	id: 'template',
	title: 'Templates and reset',
	async run({runs, log}) {
		const list = [targets.pg, targets.mariadb];
		for (const target of list) await ensureTemplate(target);
		const steps = [...list.flatMap(target => [`template:${target.id}`, `fresh:${target.id}`, `floor:${target.id}`, `first:${target.id}`]), 'reset:pg'];
		const collector = new Collector();
		const phases = new Collector();
		const raw: Array<Record<string, unknown>> = [];
		let notTemplate = 0;
		let markerKept = 0;
		let builtBeforeExit = 0;
		const addPhases = (what: string, result: StartResult) => {
			for (const [key, name] of Object.entries({
				dbarenaPlanned: 'plan made',
				dockerCreated: 'container created (Docker)',
				dockerStarted: 'container started (Docker)',
				json: 'said ready (JSON)',
				exit: 'process exited',
				login: 'host login done',
			})) {
				phases.add(`${what}: ${name}`, 'ms', result.phases[key]);
			}
		};
		for (let run = 0; run < runs; run++) {
			for (const step of rotate(steps, run)) {
				const [kind, id] = step.split(':') as [string, 'pg' | 'mariadb'];
				const target = targets[id];
				log(`template: run ${run + 1}/${runs} ${kind} ${target.title}`);
				const entry: Record<string, unknown> = {run, step};
				raw.push(entry);
				let container: string | undefined;
				try {
					if (kind === 'first') {
						const result = await firstCreate(target, log);
						Object.assign(entry, {
							source: result.first.source,
							readyMs: result.first.readyMs,
							exitMs: result.first.phases['exit'],
							templateReadyMs: result.templateReadyMs,
							secondMs: result.second?.readyMs,
							secondSource: result.second?.source,
							phases: result.first.phases,
						});
						collector.add(templateLabel.first(target), 'ms', result.first.readyMs);
						collector.add(templateLabel.firstExit(target), 'ms', result.first.phases['exit']);
						collector.add(templateLabel.background(target), 'ms', result.templateReadyMs);
						collector.add(templateLabel.second(target), 'ms', result.second?.readyMs);
						if (result.second && result.second.source !== 'template') notTemplate += 1;
						if (result.templateReadyMs !== undefined && result.templateReadyMs <= (result.first.phases['exit'] ?? 0)) builtBeforeExit += 1;
						addPhases(`${target.title} first create`, result.first);
						continue;
					}
					const result =
						kind === 'template'
							? await dbarenaCreate(target, {fresh: false})
							: kind === 'fresh'
								? await dbarenaCreate(target, {fresh: true})
								: kind === 'floor'
									? await floorStart(target, {template: true})
									: await timedReset();
					container = result.container;
					Object.assign(entry, {readyMs: result.readyMs, source: result.source, phases: result.phases});
					if ((kind === 'template' || kind === 'reset') && result.source !== 'template') notTemplate += 1;
					const label =
						kind === 'template'
							? templateLabel.template(target)
							: kind === 'fresh'
								? templateLabel.fresh(target)
								: kind === 'floor'
									? templateLabel.floor(target)
									: templateLabel.reset;
					collector.add(label, 'ms', result.readyMs);
					if (kind === 'template') addPhases(`${target.title} from template`, result);
					if (kind === 'reset') addPhases('PostgreSQL 16 reset', result);
					if ('markerGone' in result) {
						entry['markerGone'] = result.markerGone;
						if (!result.markerGone) markerKept += 1;
					}
				} catch (error) {
					entry['error'] = errorText(error);
					log(`  failed: ${errorText(error)}`);
					await cleanupSession();
				} finally {
					if (container) await discard(container);
				}
			}
		}
		const notes = [
			`Creates, resets and next creates that did not start from the template: ${notTemplate}. ` +
				`Resets after which a table written before was still there: ${markerKept} (must be 0).`,
			`Fresh creates: ${freshFlag}.`,
			'First creates: settings no template exists for (an unused environment variable); the CLI builds the template in a detached process after the create. ' +
				`Runs whose template was there before the command had exited: ${builtBeforeExit}.`,
		];
		const tables = list.map(target =>
			collector.table(
				`From template vs fresh vs the floor — ${target.title}`,
				[
					templateLabel.template(target),
					...(target.id === 'pg' ? [templateLabel.reset] : []),
					templateLabel.fresh(target),
					templateLabel.floor(target),
					templateLabel.first(target),
					templateLabel.firstExit(target),
					templateLabel.background(target),
					templateLabel.second(target),
				],
				[templateLabel.fresh(target), templateLabel.floor(target)],
				target.id === 'pg' ? notes : [],
			),
		);
		const phaseRows = [...list.flatMap(target => [`${target.title} from template`, `${target.title} first create`]), 'PostgreSQL 16 reset'].flatMap(what =>
			['plan made', 'container created (Docker)', 'container started (Docker)', 'said ready (JSON)', 'process exited', 'host login done'].map(
				name => `${what}: ${name}`,
			),
		);
		tables.push(phases.table('Where the time goes — templates and reset (ms since the command started)', phaseRows));
		return {tables, notes: [], raw};
	},
};
