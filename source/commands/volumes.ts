import {UsageError} from '../core/errors.js';
import {booleanFlag} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {exitCode} from '../cli/exit-codes.js';
import {marks} from '../cli/output.js';
import {layoutTable} from '../cli/table.js';

// volume-store.ts reaches dockerode through core/docker; it is imported when a command runs.
const volumeStore = async () => import('../core/volume-store.js');

export const volumesListCommand: Command = {
	name: 'volumes list',
	usage: '',
	summary: 'List dbarena volumes: the data of persistent and durable containers.',
	flags: {},
	async run(ctx) {
		const {listManagedVolumes} = await volumeStore();
		const volumes = await listManagedVolumes((await ctx.manager()).engine);
		if (ctx.out.json) {
			ctx.out.printJson({
				volumes: volumes.map(volume => ({
					name: volume.name,
					database: volume.database,
					version: volume.version,
					createdAt: volume.createdAt?.toISOString() ?? null,
					createdFor: volume.createdFor ?? null,
					usedBy: volume.usedBy,
				})),
			});
			return exitCode.ok;
		}
		if (volumes.length === 0) {
			ctx.out.line('No dbarena volumes (create --persistent or --durable makes one).');
			return exitCode.ok;
		}
		const rows = volumes.map(volume => [
			volume.name,
			volume.database,
			volume.version,
			volume.createdAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '-',
			volume.usedBy.join(', ') || '-',
		]);
		const columns = [
			{header: 'NAME', shrink: true, minWidth: 12},
			{header: 'DATABASE'},
			{header: 'VERSION'},
			{header: 'CREATED'},
			{header: 'USED BY', shrink: true, minWidth: 8},
		];
		for (const line of layoutTable(columns, rows, ctx.out.columns)) ctx.out.line(line);
		return exitCode.ok;
	},
};

export const volumesRmCommand: Command = {
	name: 'volumes rm',
	usage: '<volume...> --yes',
	summary: 'Remove dbarena volumes and the data in them.',
	details: [
		"A volume holds a persistent container's data; removing one always needs --yes, even on a terminal.",
		'A volume still used by a container is refused: destroy the container first.',
	],
	flags: {
		yes: {type: 'boolean', short: 'y', description: 'Confirm that the data goes (required)'},
	},
	examples: ['dbarena volumes rm my-test-db-data --yes'],
	async run(ctx, args) {
		const {removeManagedVolumes} = await volumeStore();
		if (args.input.length === 0) throw new UsageError('Name at least one volume to remove (see "dbarena volumes list").', 'missing_argument');
		// The core checks the names (did-you-mean), that none is in use, then the confirmation.
		const removed = await removeManagedVolumes((await ctx.manager()).engine, args.input, {confirmed: booleanFlag(args, 'yes')});
		if (ctx.out.json) {
			ctx.out.printJson({removed});
			return exitCode.ok;
		}
		const {ok} = marks(ctx.paint);
		for (const name of removed) ctx.out.line(`${ok} Volume ${name} removed`);
		return exitCode.ok;
	},
};
