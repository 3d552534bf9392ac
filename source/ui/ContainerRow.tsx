import {Text} from 'ink';
import {memo} from 'react';
import type {Column, ColumnKey} from './columns.js';
import {fit, formatBytes, formatPercent, formatUptime} from './format.js';
import {rowStatus} from './row-status.js';
import {useDashboard} from './use-dashboard.js';
import {useSpinnerFrame} from './use-spinner-frame.js';

export type ContainerRowProps = {
	id: string;
	selected: boolean;
	columns: readonly Column[];
	/** The uptime clock; see useUptimeClock. */
	now: number;
};

/**
 * One container. Memoised and subscribed to its own entry, stats and operation only, so a stats
 * sample for one container repaints one row.
 */
export const ContainerRow = memo(function ContainerRow({id, selected, columns, now}: ContainerRowProps) {
	const entry = useDashboard(state => state.containers[id]);
	const stats = useDashboard(state => state.stats[id]);
	const operation = useDashboard(state => entry ? state.operations[entry.container.name] : undefined);
	const status = entry ? rowStatus(entry, operation) : undefined;
	const frame = useSpinnerFrame(status?.busy ?? false);
	if (!entry || !status) return null;

	const {container} = entry;
	const running = container.state === 'running';
	const cells: Record<ColumnKey, string> = {
		name: container.name,
		database: container.database,
		version: container.version,
		status: status.busy ? `${frame} ${status.text}` : status.text,
		port: container.hostPort === undefined ? '-' : String(container.hostPort),
		uptime: running && container.startedAt ? formatUptime(now - container.startedAt.getTime()) : '-',
		cpu: running ? (stats ? formatPercent(stats.cpuPercent) : '…') : '-',
		memory: running ? (stats ? `${formatBytes(stats.memoryUsedBytes)} / ${formatBytes(stats.memoryLimitBytes)}` : '…') : '-',
	};
	const text = (keys: readonly Column[]) => keys.map(column => `${fit(cells[column.key], column.width, column.align)} `).join('');
	const statusIndex = columns.findIndex(column => column.key === 'status');

	return (
		<Text inverse={selected} wrap="truncate-end">
			{selected ? '› ' : '  '}
			{text(columns.slice(0, statusIndex))}
			<Text color={status.color}>{fit(cells.status, columns[statusIndex]?.width ?? 0)}</Text>
			{' '}
			{text(columns.slice(statusIndex + 1))}
		</Text>
	);
});
