import {tracePhase} from '../core/trace.js';
import {loadSettings} from '../core/config.js';
import {planCreate, type CreateOptions, type CreatePlan} from '../core/create/plan.js';
import type {ContainerManager, CreateResult} from '../core/lifecycle.js';
import {UsageError} from '../core/errors.js';
import {errorText} from '../cli/error-text.js';
import {exposureNote} from '../cli/exposure.js';
import {formatDuration} from '../core/format.js';
import {reportFailures, firstError, type Outcome} from '../cli/batch.js';
import type {Command, CommandContext} from '../cli/command.js';
import {connectionLines, engineHostNote} from '../cli/connection-info.js';
import {createFlags, createOptionsFrom} from '../cli/create-options.js';
import {createProgress} from '../cli/create-progress.js';
import {createdJson} from '../cli/created.js';
import {exitCode} from '../cli/exit-codes.js';
import {marks} from '../cli/output.js';
import {createReporter} from '../cli/progress.js';
import {startTemplateBuild} from '../cli/template-job.js';

type Planned = {options: CreateOptions; plan: CreatePlan};

async function createOne(ctx: CommandContext, manager: ContainerManager, {options, plan}: Planned): Promise<number> {
	const reporter = await createReporter(ctx.out);
	reporter.active(plan.name, 'Checking the image...');
	let result: CreateResult;
	try {
		result = await manager.create(plan, {signal: ctx.signal, onProgress: createProgress(reporter, ctx.paint, {key: plan.name})});
	} finally {
		await reporter.close();
	}
	const building = startTemplateBuild(ctx, manager, options, result);
	const exposed = exposureNote(plan.name, plan.hostIp, result.connection, manager.engine.reach);
	if (exposed) ctx.out.error(exposed);
	if (ctx.out.json) {
		ctx.out.printJson({containers: [createdJson(result)], errors: [], totalMs: result.totalMs});
		return exitCode.ok;
	}
	ctx.out.line(`${plan.preset.title} ready in ${formatDuration(result.totalMs)}`);
	if (building) ctx.out.line(ctx.paint.dim('  (initialising a template in the background: the next create with these settings starts in well under a second)'));
	ctx.out.line();
	for (const line of connectionLines(result.connection, result.container.cdc, result.container.name)) ctx.out.line(line);
	return exitCode.ok;
}

/** Several creates at once: one line per container as it becomes ready, then the total. */
async function createSeveral(ctx: CommandContext, manager: ContainerManager, list: Planned[]): Promise<number> {
	const {ok, fail} = marks(ctx.paint);
	const began = Date.now();
	if (!ctx.out.json) ctx.out.line(`Creating ${list.length} containers in parallel...`);
	const reporter = await createReporter(ctx.out);
	for (const {plan} of list) reporter.active(plan.name, `${plan.name}: checking the image...`);
	let settled: Array<PromiseSettledResult<CreateResult>>;
	try {
		settled = await manager.createMany(
			list.map(({plan}) => plan),
			{
				signal: ctx.signal,
				onProgress(index) {
					const name = list[index]!.plan.name;
					const show = createProgress(reporter, ctx.paint, {key: name, compact: true});
					return event => {
						show(event);
						if (event.type === 'ready') reporter.done(`  ${ok} ${name} ready (${formatDuration(Date.now() - began)})`);
					};
				},
			},
		);
		for (const [index, result] of settled.entries()) {
			if (result.status === 'rejected') reporter.done(`  ${fail} ${list[index]!.plan.name} failed: ${errorText(result.reason).split('\n')[0]!}`);
		}
	} finally {
		await reporter.close();
	}
	const totalMs = Date.now() - began;
	const outcomes: Array<Outcome<CreateResult>> = settled.map((result, index) =>
		result.status === 'fulfilled'
			? {name: list[index]!.plan.name, ok: true, value: result.value, ms: result.value.totalMs}
			: {name: list[index]!.plan.name, ok: false, error: result.reason},
	);
	const created = outcomes.flatMap(outcome => (outcome.ok ? [outcome.value] : []));
	for (const [index, outcome] of outcomes.entries()) {
		if (!outcome.ok) continue;
		startTemplateBuild(ctx, manager, list[index]!.options, outcome.value);
		const exposed = exposureNote(list[index]!.plan.name, list[index]!.plan.hostIp, outcome.value.connection, manager.engine.reach);
		if (exposed) ctx.out.error(exposed);
	}
	// What the same creates would have cost one after another: the sum of their own times.
	const sequentialMs = created.reduce((sum, result) => sum + result.totalMs, 0);
	const {code, errors} = reportFailures(ctx, outcomes);
	if (ctx.out.json) {
		ctx.out.printJson({containers: created.map(result => createdJson(result)), errors, totalMs, sequentialMs, ...firstError(errors, code)});
		return code;
	}
	if (errors.length === 0) ctx.out.line(`All containers ready in ${formatDuration(totalMs)} (vs ${formatDuration(sequentialMs)} sequential)`);
	else ctx.out.line(`${created.length} of ${list.length} containers ready in ${formatDuration(totalMs)}; ${errors.length} failed.`);
	if (created.length > 0) {
		ctx.out.line();
		ctx.out.line('Connection Info:');
		const width = Math.max(...created.map(result => result.container.name.length));
		for (const result of created) ctx.out.line(`  ${result.container.name.padEnd(width)}  ${result.connection.url}`);
		const remote = created.find(result => result.connection.onEngineHost);
		if (remote) ctx.out.line(`(${engineHostNote(remote.connection, '<name>')})`);
	}
	return code;
}

export const createCommand: Command = {
	name: 'create',
	usage: '<database[:version]...> [flags]',
	summary: 'Create and start databases; wait until a client can log in.',
	details: [
		'Databases: postgres (14-18), mysql (8.0, 8.4, 9.7), mariadb (10.11, 11.4, 11.8), sqlserver (2019, 2022, 2025).',
		'Several databases are created in parallel: dbarena create postgres:16 mysql mariadb.',
		'Ready means a login with the printed credentials and SELECT 1 worked from this host.',
		'Ctrl-C stops waiting and removes the half-created container (unless --keep-on-error).',
	],
	flags: createFlags,
	examples: [
		'dbarena create postgres --version 16',
		'dbarena create mysql --version 8.4 --name my-test-db --persistent',
		'dbarena create postgres --port 15432 --memory 512m --env TZ=UTC',
		'dbarena create postgres mysql mariadb:10.11',
	],
	interruptible: true,
	async run(ctx, args) {
		const list = createOptionsFrom(args);
		// Every plan is made and checked before anything is created (and before the engine client
		// is even loaded): a bad third database must not leave two containers behind. The generated
		// names are fixed here so that progress can name them. Only a snapshot's plan needs the
		// engine (the snapshot fixes engine, version and credentials).
		const settings = loadSettings(ctx.env);
		const plainPlans = list.map(options => (options.fromSnapshot === undefined ? planCreate(options, settings) : undefined));
		tracePhase('planned');
		const manager = await ctx.manager();
		const planned: Planned[] = await Promise.all(
			list.map(async (options, index) => ({
				options,
				plan: plainPlans[index] ?? (await manager.planFromSnapshot({...options, fromSnapshot: options.fromSnapshot!})),
			})),
		);
		if (new Set(planned.map(({plan}) => plan.name)).size !== planned.length) {
			throw new UsageError('Two of the containers would get the same name; run the command again.', 'name_conflict');
		}
		if (planned.length === 1) return createOne(ctx, manager, planned[0]!);
		return createSeveral(ctx, manager, planned);
	},
};
