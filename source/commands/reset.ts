import type {ContainerManager, ResetResult, WalPosition} from '../core/lifecycle.js';
import {formatDuration} from '../core/format.js';
import {describeSlots} from '../core/wal-floor.js';
import {booleanFlag} from '../cli/args.js';
import type {Command, CommandContext} from '../cli/command.js';
import {confirmAction, requireYesForVolumes} from '../cli/confirm.js';
import {connectionLines} from '../cli/connection-info.js';
import {createProgress} from '../cli/create-progress.js';
import {createdJson} from '../cli/created.js';
import {presets} from '../core/presets/catalog.js';
import {exitCode, signalExitCode} from '../cli/exit-codes.js';
import {exactlyOne} from '../cli/names.js';
import {marks, type Paint} from '../cli/output.js';
import {createReporter} from '../cli/progress.js';

export const resetCommand: Command = {
	name: 'reset',
	usage: '<name> [--data] [--yes]',
	summary: 'Back to a clean database: the same name, settings and port, with fresh data.',
	details: [
		'--data resets only the data, inside the running server, in well under a second: the container, port, settings, roles',
		'and replication slots stay (a CDC connector keeps streaming). Without it the container is made again from scratch.',
		'Asks for confirmation on a terminal; elsewhere it refuses unless --yes is given.',
		"A persistent or durable container's data lives in its volume: resetting it always needs --yes.",
		"PostgreSQL with --cdc or replication slots: the new server's WAL starts past the old one's, so",
		'a connector resuming from its stored position skips nothing. The slots that went are named.',
	],
	flags: {
		data: {type: 'boolean', description: 'Reset the data inside the running server; keep the container, roles and slots'},
		yes: {type: 'boolean', short: 'y', description: 'Do not ask; confirm that the data goes'},
	},
	examples: ['dbarena reset my-test-db --data --yes', 'dbarena reset my-test-db --yes'],
	interruptible: true,
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'reset');
		const yes = booleanFlag(args, 'yes');
		const manager = await ctx.manager();
		const container = await manager.find(name);
		requireYesForVolumes(yes, container.volume ? [container.volume] : [], `Resetting ${container.name}`);
		await confirmAction(ctx, {yes, action: `reset ${container.name}`, question: `Reset ${container.name}? All its data will be lost.`});
		if (booleanFlag(args, 'data')) return resetDataOnly(ctx, manager, container.name, yes);

		const reporter = await createReporter(ctx.out);
		reporter.active(container.name, `Removing ${container.name}...`);
		let result: ResetResult;
		try {
			result = await manager.reset(container.name, {
				signal: ctx.signal,
				confirmVolumeRemoval: yes,
				onProgress: createProgress(reporter, ctx.paint, {key: container.name}),
			});
		} finally {
			await reporter.close();
		}
		// A signal after the old container was removed does not stop the reset (the core finishes it,
		// so a database is there); it still ends the command as interrupted.
		const interrupted = ctx.interruptedBy();
		if (interrupted) ctx.out.error(`Interrupted after ${container.name}'s old data was removed: the reset was finished, so a database is there.`);
		const code = interrupted ? signalExitCode(interrupted) : exitCode.ok;
		if (ctx.out.json) {
			const {droppedSlots, walPosition} = result;
			ctx.out.printJson({containers: [createdJson(result)], droppedSlots, walPosition, errors: [], totalMs: result.totalMs});
			return code;
		}
		ctx.out.line(`${presets[container.database].title} reset, ready in ${formatDuration(result.totalMs)}`);
		if (result.walPosition) ctx.out.line(walLine(result.walPosition, ctx.paint));
		if (result.droppedSlots.length > 0) ctx.out.line(`Dropped replication slots: ${describeSlots(result.droppedSlots)}`);
		ctx.out.line();
		for (const line of connectionLines(result.connection, result.container.cdc, result.container.name)) ctx.out.line(line);
		return code;
	},
};

/** Where the WAL stands after the reset; when it could not be carried over, what that means for a connector. */
function walLine({before, after, carried, reason}: WalPosition, paint: Paint): string {
	if (carried) return `WAL position carried over: the old server ended at ${before ?? '?'}, the new one is at ${after ?? '?'}.`;
	const where = after ? `the new server's ${after}` : "the new server's position";
	return (
		`${marks(paint).warn} WAL position not carried over: ${reason ?? 'unknown'}. ` +
		`A position a CDC connector stored may be ahead of ${where}; it would skip changes until the WAL gets there.`
	);
}

async function resetDataOnly(ctx: CommandContext, manager: ContainerManager, name: string, yes: boolean): Promise<number> {
	const result = await manager.resetData(name, {confirmVolumeRemoval: yes});
	if (ctx.out.json) {
		ctx.out.printJson({...result, errors: []});
		return exitCode.ok;
	}
	const {reset, kept, terminated} = result;
	const dropped = reset.schemas.length > 0 ? `dropped ${reset.schemas.join(', ')} (${plural(reset.tables, 'table')}); ` : '';
	ctx.out.line(`${marks(ctx.paint).ok} ${name}: data reset in ${result.ms} ms: ${dropped}made again, empty.`);
	const stayed = ['the container', 'its port', 'settings', ...(kept.roles.length > 0 ? [`roles (${kept.roles.join(', ')})`] : [])];
	if (kept.slots.length > 0) stayed.push(`replication slots (${kept.slots.join(', ')})`);
	ctx.out.line(`Kept: ${stayed.join(', ')}.`);
	if (terminated > 0) ctx.out.line(`Ended ${plural(terminated, 'client session')} on it; they can reconnect at once.`);
	return exitCode.ok;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
