import {Text} from 'ink';
import {memo} from 'react';
import type {ManagedContainer} from '../../core/types.js';
import {formatBytes, formatUptime} from '../../core/format.js';
import type {Column, ColumnKey} from '../columns.js';
import {fitText, formatPercent} from '../format.js';
import {rowStatus} from '../row-status.js';
import {useDashboard} from '../hooks/use-dashboard.js';
import {useSpinnerFrame} from '../hooks/use-spinner-frame.js';

export type ContainerRowProps = {
	id: string;
	selected: boolean;
	columns: readonly Column[];
	/** The uptime clock; see useUptimeClock. */
	now: number;
};

/** A small note after the name for data that did not come from a fresh init (details say more). */
const originMarkers: Record<ManagedContainer['source'], string> = {fresh: '', template: ' ·tpl', snapshot: ' ·snap', volume: ' ·vol'};

/** The name comes first: the marker shows only when both fit in the column (the details say it anyway). */
export function nameWithMarker(name: string, marker: string, width: number): string {
	return [...name].length + marker.length <= width ? name + marker : name;
}

/**
 * One container. Memoised and subscribed to its own entry, stats and operation only, so a stats
 * sample for one container repaints one row.
 */
export const ContainerRow = memo(function ContainerRow({id, selected, columns, now}: ContainerRowProps) {
	const entry = useDashboard(state => state.containers[id]);
	const stats = useDashboard(state => state.stats[id]);
	const operation = useDashboard(state => (entry ? state.operations[entry.container.name] : undefined));
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
	const nameWidth = columns.find(column => column.key === 'name')?.width ?? 0;
	cells.name = nameWithMarker(container.name, originMarkers[container.source], nameWidth);
	const text = (keys: readonly Column[]) => keys.map(column => `${fitText(cells[column.key], column.width, column.align)} `).join('');
	const statusIndex = columns.findIndex(column => column.key === 'status');

	return (
		<Text inverse={selected} wrap="truncate-end">
			{selected ? '› ' : '  '}
			{text(columns.slice(0, statusIndex))}
			<Text color={status.color}>{fitText(cells.status, columns[statusIndex]?.width ?? 0)}</Text> {text(columns.slice(statusIndex + 1))}
		</Text>
	);
});
