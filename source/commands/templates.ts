import {UsageError} from '../core/errors.js';
import type {CreateOptions} from '../core/create/plan.js';
import {formatBytes, formatDuration, formatUptime} from '../core/format.js';
import {booleanFlag, kebab, type FlagValue, type ParsedArgs} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {confirmAction} from '../cli/confirm.js';
import {createFlags, createOptionsFrom} from '../cli/create-options.js';
import {exitCode} from '../cli/exit-codes.js';
import {marks} from '../cli/output.js';
import {layoutTable} from '../cli/table.js';
import {readTemplateOptions} from '../cli/template-job.js';
import {shortHash} from '../core/seed/files.js';

const templates = async () => import('../core/templates.js');

export const templatesListCommand: Command = {
	name: 'templates list',
	usage: '',
	summary: 'List initialised templates (what creates start from instead of initialising).',
	flags: {},
	async run(ctx) {
		const {listTemplates} = await templates();
		const list = await listTemplates((await ctx.manager()).engine);
		if (ctx.out.json) {
			ctx.out.printJson({templates: list.map(template => ({...template, created: template.created.toISOString(), seed: template.seed ?? null}))});
			return exitCode.ok;
		}
		if (list.length === 0) {
			ctx.out.line('No templates yet. The first create with given settings builds one in the background.');
			return exitCode.ok;
		}
		const rows = list.map(template => [
			template.reference,
			template.database,
			template.version,
			template.mode,
			template.stale ? 'stale' : 'current',
			formatBytes(template.sizeBytes),
			`${formatUptime(Date.now() - template.created.getTime())} ago`,
			template.seed ? `${shortHash(template.seed.hash)} ${template.seed.files.join(', ')}` : '-',
		]);
		const columns = [
			{header: 'TEMPLATE', shrink: true, minWidth: 20},
			{header: 'TYPE'},
			{header: 'VERSION'},
			{header: 'MODE'},
			{header: 'IMAGE'},
			{header: 'SIZE', align: 'right' as const},
			{header: 'CREATED'},
			{header: 'SEED', shrink: true, minWidth: 12},
		];
		for (const line of layoutTable(columns, rows, ctx.out.columns)) ctx.out.line(line);
		return exitCode.ok;
	},
};

export const templatesPruneCommand: Command = {
	name: 'templates prune',
	usage: '[--stale] [--yes]',
	summary: 'Remove templates no container uses (--stale: only those made from an outdated image).',
	details: ['Templates hold no user data; they are rebuilt by the next create that needs one.'],
	flags: {
		stale: {type: 'boolean', description: 'Only templates whose source image has changed since'},
		yes: {type: 'boolean', short: 'y', description: 'Do not ask'},
	},
	async run(ctx, args) {
		const yes = booleanFlag(args, 'yes');
		const staleOnly = booleanFlag(args, 'stale');
		await confirmAction(ctx, {yes, action: 'prune templates', question: `Remove ${staleOnly ? 'stale' : 'all unused'} templates?`});
		const {pruneTemplates} = await templates();
		const removed = await pruneTemplates((await ctx.manager()).engine, {staleOnly});
		if (ctx.out.json) {
			ctx.out.printJson({removed});
			return exitCode.ok;
		}
		const {ok} = marks(ctx.paint);
		for (const reference of removed) ctx.out.line(`${ok} Removed ${reference}`);
		if (removed.length === 0) ctx.out.line('Nothing to remove.');
		return exitCode.ok;
	},
};

const isSet = (value: FlagValue) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false);

/** With --options-stdin every setting comes from stdin: a database or create flag beside it would be ignored, so it is refused. */
function refuseBesideStdin(args: ParsedArgs): void {
	const given = Object.entries(args.flags)
		.filter(([key, value]) => key !== 'optionsStdin' && key !== 'json' && isSet(value))
		.map(([key]) => `--${kebab(key)}`);
	const extra = [...args.input, ...given];
	if (extra.length > 0) throw new UsageError(`--options-stdin takes every setting from stdin; leave out ${extra.join(' ')}.`, 'conflicting_flags');
}

export const templatesBuildCommand: Command = {
	name: 'templates build',
	usage: '<database[:version]> [create flags]',
	summary: 'Build the template for these settings now (create does it in the background after a fresh start).',
	flags: {
		...Object.fromEntries(
			Object.entries(createFlags).filter(
				([key]) => !['name', 'port', 'bind', 'image', 'keepOnError', 'noTemplate', 'fromSnapshot', 'randomPassword', 'timeout'].includes(key),
			),
		),
		optionsStdin: {type: 'boolean', description: 'Read the settings as JSON from stdin (how create starts its background build)'},
	},
	examples: ['dbarena templates build postgres:16', 'dbarena templates build mariadb --persistent --cdc'],
	interruptible: true,
	async run(ctx, args) {
		let options: CreateOptions;
		if (booleanFlag(args, 'optionsStdin')) {
			refuseBesideStdin(args);
			if (process.stdin.isTTY) throw new UsageError('--options-stdin reads the settings from a pipe, not from a terminal.', 'invalid_flag');
			options = await readTemplateOptions(process.stdin);
		} else {
			const list = createOptionsFrom(args);
			if (list.length !== 1) throw new UsageError('Build one template at a time.', 'conflicting_flags');
			options = list[0]!;
		}
		const {buildTemplate} = await templates();
		const result = await buildTemplate((await ctx.manager()).engine, options, {signal: ctx.signal});
		if (ctx.out.json) {
			ctx.out.printJson(result);
			return exitCode.ok;
		}
		const {ok} = marks(ctx.paint);
		ctx.out.line(
			result.built
				? `${ok} Template ${result.reference} built (${formatDuration(result.ms)})`
				: `${ok} Template ${result.reference} already exists (or is being built)`,
		);
		return exitCode.ok;
	},
};
