import {UsageError} from '../core/errors.js';
import {formatBytes, formatDuration} from '../core/format.js';
import {booleanFlag} from '../cli/args.js';
import {errorText} from '../cli/error-text.js';
import type {Command} from '../cli/command.js';
import {confirmAction} from '../cli/confirm.js';
import {createProgress} from '../cli/create-progress.js';
import {errorCode, exitCode, exitCodeFor} from '../cli/exit-codes.js';
import {marks} from '../cli/output.js';
import {createReporter} from '../cli/progress.js';
import {layoutTable} from '../cli/table.js';

// image-cache.ts reaches dockerode through core/docker; it is imported when a command runs.
const imageCache = async () => import('../core/image-cache.js');

export const imagesPullCommand: Command = {
	name: 'images pull',
	usage: '[--all | <database[:version]>...]',
	summary: 'Pull database images ahead of time, so the next create starts warm.',
	details: ['"postgres" pulls its default version, "postgres:16" that version, --all every supported version.'],
	flags: {
		all: {type: 'boolean', description: 'Every version of every supported database'},
	},
	examples: ['dbarena images pull postgres:16 mysql', 'dbarena images pull --all'],
	interruptible: true,
	async run(ctx, args) {
		const all = booleanFlag(args, 'all');
		if (all === args.input.length > 0) {
			throw new UsageError(
				all ? 'Give databases or --all, not both.' : 'Name what to pull (postgres, postgres:16, ...) or use --all.',
				all ? 'conflicting_flags' : 'missing_argument',
			);
		}
		const {pullImages, pullTargets} = await imageCache();
		const manager = await ctx.manager();
		const targets = pullTargets(manager.engine, args.input, all);
		const {ok, fail} = marks(ctx.paint);
		const reporter = await createReporter(ctx.out);
		const timings = new Map<string, number>();
		const results = await pullImages(manager.engine, targets, {
			signal: ctx.signal,
			onProgress(image) {
				const show = createProgress(reporter, ctx.paint, {key: image, compact: true});
				return event => {
					if (event.type === 'pull-done') timings.set(image, event.ms);
					// Only the pull's own spinner: "creating container" has no meaning here.
					if (event.type === 'pull-start' || event.type === 'pull-progress') show(event);
					else reporter.clear(image);
				};
			},
		});
		for (const result of results) {
			if (result.error) reporter.done(`${fail} Image ${result.image}: ${errorText(result.error)}`);
			else if (result.pulled) reporter.done(`${ok} Image ${result.image} pulled (${formatDuration(timings.get(result.image) ?? 0)})`);
			else reporter.done(`${ok} Image ${result.image} cached`);
		}
		await reporter.close();
		const failures = results.filter(result => result.error);
		let code: number = exitCode.ok;
		for (const failure of failures) {
			ctx.out.error(`Error: ${failure.image}: ${errorText(failure.error)}`);
			const mapped = exitCodeFor(failure.error, ctx.interruptedBy());
			if (code === exitCode.ok || mapped >= exitCode.interrupted) code = mapped;
		}
		if (ctx.out.json) {
			const errors = failures.map(failure => ({image: failure.image, code: errorCode(failure.error), message: errorText(failure.error)}));
			ctx.out.printJson({
				images: targets.map((target, index) => ({
					...target,
					pulled: results[index]!.pulled,
					ms: timings.get(target.image) ?? null,
					error: results[index]!.error ? errorText(results[index]!.error) : null,
				})),
				errors,
				...(errors[0] ? {error: {code: errors[0].code, message: errors[0].message, exitCode: code}} : {}),
			});
		}
		return code;
	},
};

export const imagesListCommand: Command = {
	name: 'images list',
	usage: '',
	summary: 'List cached images of the supported databases and the containers using them.',
	flags: {},
	async run(ctx) {
		const {listCachedImages} = await imageCache();
		const images = await listCachedImages((await ctx.manager()).engine);
		if (ctx.out.json) {
			ctx.out.printJson({images: images.map(image => ({...image, created: image.created.toISOString()}))});
			return exitCode.ok;
		}
		if (images.length === 0) {
			ctx.out.line('No database images cached (dbarena images pull postgres).');
			return exitCode.ok;
		}
		const rows = images.map(image => [
			image.reference,
			image.database,
			image.version,
			formatBytes(image.sizeBytes),
			image.created.toISOString().slice(0, 10),
			String(image.usedBy),
		]);
		const columns = [
			{header: 'IMAGE', shrink: true, minWidth: 20},
			{header: 'DATABASE'},
			{header: 'VERSION'},
			{header: 'SIZE', align: 'right' as const},
			{header: 'CREATED'},
			{header: 'CONTAINERS', align: 'right' as const},
		];
		for (const line of layoutTable(columns, rows, ctx.out.columns)) ctx.out.line(line);
		return exitCode.ok;
	},
};

export const imagesPruneCommand: Command = {
	name: 'images prune',
	usage: '[--yes]',
	summary: "Remove cached database images that no container (dbarena's or not) uses.",
	details: ['Asks for confirmation on a terminal; elsewhere it refuses unless --yes is given.'],
	flags: {
		yes: {type: 'boolean', short: 'y', description: 'Do not ask; remove them'},
	},
	async run(ctx, args) {
		const {listCachedImages, pruneImages} = await imageCache();
		const manager = await ctx.manager();
		const unused = (await listCachedImages(manager.engine)).filter(image => image.usedBy === 0);
		if (unused.length === 0) {
			if (ctx.out.json) ctx.out.printJson({removed: [], kept: (await listCachedImages(manager.engine)).map(image => image.reference)});
			else ctx.out.line('Nothing to prune: no unused database images are cached.');
			return exitCode.ok;
		}
		const yes = booleanFlag(args, 'yes');
		const total = formatBytes(unused.reduce((sum, image) => sum + image.sizeBytes, 0));
		await confirmAction(ctx, {
			yes,
			action: `remove ${unused.length} image(s)`,
			question: `Remove ${unused.length} unused image(s) (${unused.map(image => image.reference).join(', ')}; up to ${total})?`,
		});
		const {removed, kept} = await pruneImages(manager.engine, {confirmed: true});
		if (ctx.out.json) {
			ctx.out.printJson({removed: removed.map(image => image.reference), kept: kept.map(image => image.reference)});
			return exitCode.ok;
		}
		const {ok} = marks(ctx.paint);
		for (const image of removed) ctx.out.line(`${ok} Removed ${image.reference}`);
		if (kept.length > 0) ctx.out.line(`  ${kept.length} image(s) kept: in use by a container`);
		return exitCode.ok;
	},
};
