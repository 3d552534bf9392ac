import {containerStatus} from '../core/container-state.js';
import {formatUptime} from '../core/format.js';
import type {ManagedContainer} from '../core/types.js';
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
	// A crashed or killed container's status says why ("killed: out of memory (limit 512 MiB)"): on a
	// narrow terminal that detail goes before the names do; `inspect` has it whole.
	{header: 'STATUS', shrink: true, minWidth: 10, cut: 'end'},
	{header: 'PORTS', shrink: true, minWidth: 10},
	{header: 'UPTIME'},
];

export const listCommand: Command = {
	name: 'list',
	usage: '[--all]',
	summary: "List dbarena containers. STATUS is dbarena's health (a login was tried just now) or what the engine recorded.",
	flags: {
		all: {type: 'boolean', short: 'a', description: 'Include containers stopped on purpose (crashed or killed ones are always listed)'},
	},
	examples: ['dbarena list', 'dbarena list --all --json'],
	async run(ctx, args) {
		const all = booleanFlag(args, 'all');
		const manager = await ctx.manager();
		// Which engine answered, for --json: asked beside the listing, so it costs no time of its own.
		const identity = ctx.out.json ? manager.engineIdentity().catch(() => undefined) : undefined;
		// Asked for all, then filtered: a container that crashed or ran out of memory is news the
		// user must see without --all; only one stopped on purpose (or killed by hand) is left out.
		const every = await manager.list({all: true});
		const everyHealth = await Promise.all(every.map(async container => manager.health(container)));
		const shown = every.flatMap((container, index) => {
			const status = containerStatus(container, everyHealth[index]);
			return all || (status.word !== 'stopped' && status.word !== 'killed') ? [{container, health: everyHealth[index]!, status}] : [];
		});
		const containers = shown.map(item => item.container);
		const hidden = every.length - shown.length;
		const now = Date.now();
		const uptime = (container: ManagedContainer) =>
			container.startedAt && (container.state === 'running' || container.state === 'paused') ? now - container.startedAt.getTime() : undefined;
		if (ctx.out.json) {
			const {address, foundBy, source} = manager.engine.location;
			const {product = null, version = null} = (await identity) ?? {};
			ctx.out.printJson({
				engine: {address, foundBy, source, product, version},
				containers: shown.map(({container, health}) => {
					const ms = uptime(container);
					return {...containerJson(container, {health, secrets: false}), uptimeSeconds: ms === undefined ? null : Math.floor(ms / 1000)};
				}),
			});
			return exitCode.ok;
		}
		if (containers.length === 0) {
			ctx.out.line(all || hidden === 0 ? 'No dbarena containers.' : `No dbarena containers running (${hidden} stopped; dbarena list --all shows them).`);
			return exitCode.ok;
		}
		const rows = shown.map(({container, status}) => {
			const ms = uptime(container);
			return [
				container.name,
				container.database,
				container.version,
				status.text,
				formatPorts(container.hostIp, container.hostPort, container.containerPort),
				ms === undefined ? '-' : formatUptime(ms),
			];
		});
		for (const line of layoutTable(columns, rows, ctx.out.columns)) ctx.out.line(line);
		if (hidden > 0) ctx.out.error(`${hidden} stopped container${hidden === 1 ? '' : 's'} not shown (dbarena list --all).`);
		return exitCode.ok;
	},
};
