import {formatBytes, formatDuration, formatUptime} from '../core/format.js';
import {booleanFlag, stringFlag} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {confirmAction} from '../cli/confirm.js';
import {exitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';
import {marks} from '../cli/output.js';
import {layoutTable} from '../cli/table.js';
import {UsageError} from '../core/errors.js';

const snapshots = async () => import('../core/snapshots.js');

export const snapshotCommand: Command = {
	name: 'snapshot',
	usage: '<name> [--tag T]',
	summary: "Capture a running database's data (volume or layer) as a snapshot to create from.",
	details: [
		'The server is asked for a checkpoint, then the container is paused only while its data is read.',
		'Start a copy with: dbarena create --from-snapshot T. See also: snapshot list, snapshot rm.',
	],
	flags: {
		tag: {type: 'string', value: 'T', description: 'Snapshot tag (default: <name>-<date>-<time>)'},
	},
	examples: ['dbarena snapshot orders-db --tag before-migration', 'dbarena create --from-snapshot before-migration --name orders-copy'],
	interruptible: false,
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'snapshot');
		const tag = stringFlag(args, 'tag');
		const {takeSnapshot} = await snapshots();
		const result = await takeSnapshot((await ctx.manager()).engine, name, tag === undefined ? {} : {tag});
		if (ctx.out.json) {
			ctx.out.printJson({...result, created: result.created.toISOString()});
			return exitCode.ok;
		}
		const {ok} = marks(ctx.paint);
		const paused = formatDuration(result.pausedMs);
		ctx.out.line(`${ok} Snapshot ${result.tag} of ${name} taken in ${formatDuration(result.ms)} (paused ${paused}, ${formatBytes(result.sizeBytes)})`);
		ctx.out.line(`  dbarena create --from-snapshot ${result.tag}`);
		return exitCode.ok;
	},
};

export const snapshotListCommand: Command = {
	name: 'snapshot list',
	usage: '',
	summary: 'List snapshots.',
	flags: {},
	async run(ctx) {
		const {listSnapshots} = await snapshots();
		const list = await listSnapshots((await ctx.manager()).engine);
		if (ctx.out.json) {
			ctx.out.printJson({snapshots: list.map(snapshot => ({...snapshot, created: snapshot.created.toISOString()}))});
			return exitCode.ok;
		}
		if (list.length === 0) {
			ctx.out.line('No snapshots. Take one with: dbarena snapshot <name> [--tag T]');
			return exitCode.ok;
		}
		const columns = [
			{header: 'TAG', shrink: true, minWidth: 12},
			{header: 'TYPE'},
			{header: 'VERSION'},
			{header: 'FROM', shrink: true, minWidth: 10},
			{header: 'SIZE', align: 'right' as const},
			{header: 'CREATED'},
		];
		const rows = list.map(snapshot => [
			snapshot.tag,
			snapshot.database,
			snapshot.version,
			snapshot.container,
			formatBytes(snapshot.sizeBytes),
			`${formatUptime(Date.now() - snapshot.created.getTime())} ago`,
		]);
		for (const line of layoutTable(columns, rows, ctx.out.columns)) ctx.out.line(line);
		return exitCode.ok;
	},
};

export const snapshotRmCommand: Command = {
	name: 'snapshot rm',
	usage: '<tag...> [--yes]',
	summary: 'Remove snapshots (the data in them is gone).',
	flags: {
		yes: {type: 'boolean', short: 'y', description: 'Do not ask'},
	},
	async run(ctx, args) {
		if (args.input.length === 0) throw new UsageError('Name the snapshot tags to remove (dbarena snapshot list shows them).', 'missing_argument');
		const yes = booleanFlag(args, 'yes');
		const {listSnapshots, removeSnapshot, validateSnapshotTag} = await snapshots();
		const manager = await ctx.manager();
		for (const tag of args.input) validateSnapshotTag(tag);
		// Every tag is looked up first: a typo in the third must not leave the first two removed.
		const known = new Set((await listSnapshots(manager.engine)).map(snapshot => snapshot.tag));
		const missing = args.input.filter(tag => !known.has(tag));
		if (missing.length > 0)
			throw new UsageError(`No snapshot tagged ${missing.map(tag => `"${tag}"`).join(', ')}. Run "dbarena snapshot list" to see them.`, 'not_found');
		await confirmAction(ctx, {
			yes,
			action: `remove snapshot ${args.input.join(', ')}`,
			question: `Remove ${args.input.join(', ')}? The data in them will be lost.`,
		});
		for (const tag of args.input) await removeSnapshot(manager.engine, tag);
		if (ctx.out.json) {
			ctx.out.printJson({removed: args.input});
			return exitCode.ok;
		}
		const {ok} = marks(ctx.paint);
		for (const tag of args.input) ctx.out.line(`${ok} Removed snapshot ${tag}`);
		return exitCode.ok;
	},
};
