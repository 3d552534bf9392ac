import {UsageError} from '../core/errors.js';
import {formatDuration} from '../core/format.js';
import {booleanFlag} from '../cli/args.js';
import {firstError, reportFailures, settleEach} from '../cli/batch.js';
import type {Command} from '../cli/command.js';
import {confirmAction, requireYesForVolumes} from '../cli/confirm.js';
import {exitCode} from '../cli/exit-codes.js';
import {findAll} from '../cli/names.js';
import {marks} from '../cli/output.js';

export const destroyCommand: Command = {
	name: 'destroy',
	usage: '<name...> [--remove-volume] [--yes] | --all [--yes]',
	summary: 'Remove containers. Their volumes (persistent data) are kept unless --remove-volume and --yes.',
	details: ['Asks for confirmation on a terminal; elsewhere it refuses unless --yes is given.', 'Removing a volume always needs --yes, even on a terminal.'],
	flags: {
		all: {type: 'boolean', description: 'Destroy every dbarena container (running or stopped)'},
		removeVolume: {type: 'boolean', description: "Also remove the containers' volumes (needs --yes)"},
		yes: {type: 'boolean', short: 'y', description: 'Do not ask; confirm the removal'},
	},
	examples: ['dbarena destroy dbarena-postgres-16-a3f9', 'dbarena destroy my-test-db --remove-volume --yes', 'dbarena destroy --all --yes'],
	async run(ctx, args) {
		const all = booleanFlag(args, 'all');
		const yes = booleanFlag(args, 'yes');
		const removeVolume = booleanFlag(args, 'removeVolume');
		if (all && args.input.length > 0) throw new UsageError('Give container names or --all, not both.', 'conflicting_flags');
		const manager = await ctx.manager();
		const targets = all ? await manager.list({all: true}) : await findAll(manager, args.input, 'destroy');
		if (targets.length === 0) {
			if (ctx.out.json) ctx.out.printJson({containers: [], errors: []});
			else ctx.out.line('No dbarena containers to destroy.');
			return exitCode.ok;
		}
		const names = targets.map(container => container.name);
		const volumes = targets.flatMap(container => (container.volume ? [container.volume] : []));
		if (removeVolume) requireYesForVolumes(yes, volumes, `Destroying ${names.join(', ')} with --remove-volume`);
		await confirmAction(ctx, {
			yes,
			action: `destroy ${names.join(', ')}`,
			question: `Destroy ${names.length === 1 ? names[0]! : `${names.length} containers (${names.join(', ')})`}?`,
		});

		const {ok} = marks(ctx.paint);
		const outcomes = await settleEach(names, async name => manager.destroy(name, {removeVolume, confirmVolumeRemoval: yes}));
		const {code, errors} = reportFailures(ctx, outcomes);
		if (ctx.out.json) {
			const destroyed = outcomes.flatMap(outcome =>
				outcome.ok
					? [
							{
								name: outcome.name,
								id: outcome.value.container.id,
								volumeRemoved: outcome.value.volumeRemoved ?? null,
								volumeKept: outcome.value.volumeKept ?? null,
							},
						]
					: [],
			);
			ctx.out.printJson({containers: destroyed, errors, ...firstError(errors, code)});
			return errors.length === 0 ? exitCode.ok : code;
		}
		for (const outcome of outcomes) {
			if (!outcome.ok) continue;
			ctx.out.line(`${ok} Container ${outcome.name} destroyed (${formatDuration(outcome.ms)})`);
			if (outcome.value.volumeRemoved) ctx.out.line(`${ok} Volume ${outcome.value.volumeRemoved} removed`);
			if (outcome.value.volumeKept)
				ctx.out.line(`  Volume ${outcome.value.volumeKept} kept (remove it with: dbarena volumes rm ${outcome.value.volumeKept} --yes)`);
		}
		return errors.length === 0 ? exitCode.ok : code;
	},
};
