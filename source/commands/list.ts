import {formatUptime} from '../core/format.js';
import {booleanFlag} from '../cli/args.js';
import type {Command} from '../cli/command.js';
import {exitCode} from '../cli/exit-codes.js';
import {formatPorts} from '../cli/format.js';
import {containerJson} from '../cli/serialize.js';
import {layoutTable, type Column} from '../cli/table.js';

const columns: Column[] = [
	{header: 'NAME', shrink: true, minWidth: 12},
	{header: 'TYPE'},
	{header: 'VERSION'},
	{header: 'STATUS'},
	{header: 'PORTS', shrink: true, minWidth: 10},
	{header: 'UPTIME'},
];

export const listCommand: Command = {
	name: 'list',
	usage: '[--all]',
	summary: "List dbarena containers. STATUS is dbarena's health: a login was tried just now.",
	flags: {
		all: {type: 'boolean', short: 'a', description: 'Include stopped containers'},
	},
	examples: ['dbarena list', 'dbarena list --all --json'],
	async run(ctx, args) {
		const all = booleanFlag(args, 'all');
		const manager = await ctx.manager();
		const containers = await manager.list({all});
		const healths = await Promise.all(containers.map(async container => manager.health(container)));
		const now = Date.now();
		if (ctx.out.json) {
			ctx.out.printJson({
				containers: containers.map((container, index) => ({
					...containerJson(container, {health: healths[index]!, secrets: false}),
					uptimeSeconds: container.startedAt ? Math.floor((now - container.startedAt.getTime()) / 1000) : null,
				})),
			});
			return exitCode.ok;
		}
		if (containers.length === 0) {
			ctx.out.line(all ? 'No dbarena containers.' : 'No dbarena containers running (dbarena list --all shows stopped ones).');
			return exitCode.ok;
		}
		const rows = containers.map((container, index) => [
			container.name,
			container.database,
			container.version,
			healths[index]!,
			formatPorts(container.hostIp, container.hostPort, container.containerPort),
			container.startedAt ? formatUptime(now - container.startedAt.getTime()) : '-',
		]);
		for (const line of layoutTable(columns, rows, ctx.out.columns)) ctx.out.line(line);
		return exitCode.ok;
	},
};
