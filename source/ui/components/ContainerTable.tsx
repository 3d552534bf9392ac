import {Box, Text} from 'ink';
import {useMemo} from 'react';
import {useShallow} from 'zustand/react/shallow';
import {selectPendingCreateNames, selectVisibleIds, visibleWindow} from '../../store/selectors.js';
import type {DashboardState} from '../../store/state.js';
import {layoutColumns, markerWidth} from '../columns.js';
import {ContainerRow} from './ContainerRow.js';
import {CreateRow} from './CreateRow.js';
import {fitText} from '../format.js';
import {useDashboard} from '../hooks/use-dashboard.js';
import {useUptimeClock} from '../hooks/use-uptime-clock.js';

export type ContainerTableProps = {
	width: number;
	/** Rows that fitText, not counting the column titles. */
	rows: number;
};

/** Start times of the shown running containers, for the uptime clock. */
function selectStartTimes(state: DashboardState): number[] {
	return selectVisibleIds(state)
		.map(id => state.containers[id]?.container)
		.filter(container => container?.state === 'running' && container.startedAt !== undefined)
		.map(container => container!.startedAt!.getTime());
}

export function ContainerTable({width, rows}: ContainerTableProps) {
	const ids = useDashboard(useShallow(selectVisibleIds));
	const creating = useDashboard(useShallow(selectPendingCreateNames));
	const selectedId = useDashboard(state => state.selectedId);
	const focused = useDashboard(state => state.focus === 'table' && state.overlay === undefined);
	const empty = useDashboard(state => Object.keys(state.containers).length === 0);
	const filter = useDashboard(state => state.filter);
	const startTimes = useDashboard(useShallow(selectStartTimes));
	const now = useUptimeClock(startTimes);
	const columns = useMemo(() => layoutColumns(width - 2), [width]);

	const titles = ' '.repeat(markerWidth) + columns.map(column => `${fitText(column.title, column.width, column.align)} `).join('');
	// The same window as selectShownIds, whose rows are the only ones the stats sampler follows.
	const shownIds = visibleWindow(ids, selectedId === undefined ? 0 : ids.indexOf(selectedId), rows);
	const shownCreates = creating.slice(0, Math.max(0, rows - shownIds.length));

	let placeholder: string | undefined;
	if (ids.length === 0 && creating.length === 0) {
		placeholder = empty
			? 'No dbarena containers yet. Press c to create one.'
			: filter
				? `Nothing matches "${filter}". Press / to change the filter.`
				: 'No running containers. Press a to show all.';
	}

	return (
		<Box flexDirection="column" borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} width={width} height={rows + 3} flexShrink={0}>
			<Text bold wrap="truncate-end">
				{titles}
			</Text>
			{placeholder ? <Text dimColor wrap="truncate-end">{`  ${placeholder}`}</Text> : undefined}
			{shownIds.map(id => (
				<ContainerRow key={id} id={id} selected={id === selectedId} columns={columns} now={now} />
			))}
			{shownCreates.map(name => (
				<CreateRow key={name} name={name} columns={columns} />
			))}
		</Box>
	);
}
