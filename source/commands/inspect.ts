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
import {seedFileNames, shortHash} from '../core/seed/files.js';
import type {VitalsSample} from '../core/vitals/read-vitals.js';
import {binlogText, diskText, rateText, ratioText, sessionsText, slotText} from '../core/vitals/text.js';
import {errorText} from '../cli/error-text.js';

/** The first line of an error: a driver's message may carry its stack below. */
const errorLine = (error: Error) => errorText(error).split('\n')[0] ?? '';

/** The vitals as inspect prints them: one sample, so commits per second cannot be known ("-"). */
function vitalsRows(sample: VitalsSample | Error): Array<[string, string]> {
	if (sample instanceof Error) return [['Vitals', `vitals unavailable: ${errorLine(sample)}`]];
	const {vitals} = sample;
	const rows: Array<[string, string]> = [
		['Sessions', sessionsText(vitals)],
		['Commits', `${rateText(null)} (one sample; the dashboard shows the rate) · ${vitals.commits} since the statistics began`],
		['Cache hit', ratioText(vitals.cacheHitRatio)],
		['Size', formatBytes(vitals.databaseBytes)],
	];
	if (vitals.disk) rows.push(['Disk', diskText(vitals.disk)]);
	if (vitals.slots?.length === 0) rows.push(['WAL held', 'none (no replication slots)']);
	for (const slot of vitals.slots ?? []) rows.push([`WAL held`, slotText(slot)]);
	if (vitals.binlog !== undefined) rows.push(['Binlog', binlogText(vitals.binlog)]);
	if (vitals.binlog) rows.push(['GTID', vitals.binlog.gtidSet || '(none yet)']);
	return rows;
}

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
		const running = container.state === 'running';
		const [health, cdcStatus, vitals] = await Promise.all([
			manager.health(container),
			// Read back from the server, not from our flags: what a connector will really meet.
			running ? manager.cdcStatus(container).catch(() => undefined) : undefined,
			// A failure to read them is said, not fatal: the rest of inspect still holds.
			running ? manager.vitals(container, {disk: true}).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))) : undefined,
		]);
		if (ctx.out.json) {
			ctx.out.printJson({
				...containerJson(container, {health, secrets: true}),
				cdcStatus: cdcStatus ?? null,
				vitals:
					vitals && !(vitals instanceof Error) ? {...vitals.vitals, takenAt: new Date(vitals.vitals.takenAt).toISOString(), commitsPerSecond: null} : null,
				vitalsError: vitals instanceof Error ? errorLine(vitals) : null,
				labels: publicLabels(container.labels),
			});
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
			...(container.seed ? [['Seed', `${shortHash(container.seed.hash)} (${seedFileNames(container.seed.files).join(', ')})`] as [string, string]] : []),
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
		if (vitals) rows.push(...vitalsRows(vitals));
		const width = Math.max(...rows.map(([key]) => key.length)) + 1;
		for (const [key, value] of rows) ctx.out.line(`${`${key}:`.padEnd(width)} ${value}`);
		if (container.connection) {
			ctx.out.line();
			for (const line of connectionLines(container.connection, container.cdc, container.name)) ctx.out.line(line);
		}
		return exitCode.ok;
	},
};
