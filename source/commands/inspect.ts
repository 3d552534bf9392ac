import {containerStatus} from '../core/container-state.js';
import {dataOriginText, modeText} from '../core/describe-container.js';
import {presets} from '../core/presets/catalog.js';
import {formatBytes, formatUptime} from '../core/format.js';
import type {Command} from '../cli/command.js';
import {connectionLines} from '../cli/connection-info.js';
import {exitCode} from '../cli/exit-codes.js';
import {formatPorts} from '../cli/format.js';
import {exactlyOne} from '../cli/names.js';
import {containerJson, publicLabels} from '../cli/serialize.js';

export const inspectCommand: Command = {
	name: 'inspect',
	usage: '<name>',
	summary: "Show a container's settings, health and connection info (including the password).",
	flags: {},
	examples: ['dbarena inspect my-test-db', 'dbarena inspect my-test-db --json'],
	async run(ctx, args) {
		const name = exactlyOne(args.input, 'inspect');
		const manager = await ctx.manager();
		const container = await manager.inspect(name);
		const health = await manager.health(container);
		// Read back from the server, not from our flags: what a connector will really meet.
		const cdcStatus = container.state === 'running' ? await manager.cdcStatus(container).catch(() => undefined) : undefined;
		if (ctx.out.json) {
			ctx.out.printJson({...containerJson(container, {health, secrets: true}), cdcStatus: cdcStatus ?? null, labels: publicLabels(container.labels)});
			return exitCode.ok;
		}
		const since = (date: Date) => `${date.toISOString()} (${formatUptime(Date.now() - date.getTime())} ago)`;
		const status = containerStatus(container, health);
		const rows: Array<[string, string]> = [
			['Name', container.name],
			['ID', container.id.slice(0, 12)],
			['Database', `${presets[container.database].title} ${container.version}`],
			['Image', container.image],
			['Mode', modeText(container.mode)],
			['State', status.text],
			...(status.hint ? [['Hint', status.hint] as [string, string]] : []),
			['Created', since(container.createdAt)],
			['Started', container.startedAt ? since(container.startedAt) : 'never'],
			...(container.finishedAt ? [['Finished', since(container.finishedAt)] as [string, string]] : []),
			['Ports', formatPorts(container.hostIp, container.hostPort, container.containerPort)],
			['Volume', container.volume ?? '-'],
			['Memory', container.memoryLimitBytes ? formatBytes(container.memoryLimitBytes) : 'no limit'],
			['Data from', dataOriginText(container)],
		];
		if (cdcStatus) {
			const settings = Object.entries(cdcStatus.settings)
				.map(([key, value]) => `${key}=${value}`)
				.join(', ');
			rows.push(['CDC', `${cdcStatus.ready ? 'ready' : 'off'} (${settings})`]);
			if (container.cdc)
				rows.push([
					'CDC login',
					`${container.cdc.user} / ${container.cdc.password}${container.cdc.publication ? `, publication ${container.cdc.publication}` : ''}`,
				]);
			for (const slot of cdcStatus.slots ?? []) {
				rows.push([
					`Slot ${slot.name}`,
					`${slot.plugin}, ${slot.active ? 'active' : 'inactive'}, ${slot.lagBytes === null ? '?' : formatBytes(slot.lagBytes)} behind`,
				]);
			}
		}
		const width = Math.max(...rows.map(([key]) => key.length)) + 1;
		for (const [key, value] of rows) ctx.out.line(`${`${key}:`.padEnd(width)} ${value}`);
		if (container.connection) {
			ctx.out.line();
			for (const line of connectionLines(container.connection, container.cdc, container.name)) ctx.out.line(line);
		}
		return exitCode.ok;
	},
};
