import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useShallow} from 'zustand/react/shallow';
import {selectCounts} from '../../store/selectors.js';
import type {EngineState, StatusTone} from '../../store/state.js';
import {useDashboard} from '../hooks/use-dashboard.js';

const engineColors: Record<EngineState, 'green' | 'yellow' | 'red'> = {
	connecting: 'yellow',
	connected: 'green',
	reconnecting: 'yellow',
	unreachable: 'red',
};

const toneColors: Record<StatusTone, 'green' | 'red' | 'cyan' | undefined> = {
	// The terminal's own colour: white would vanish on a light background.
	info: undefined,
	success: 'green',
	error: 'red',
	progress: 'cyan',
};

/**
 * Two lines: the engine (state, which engine when it fits, and address) with the counts, then the
 * last action's result or error with the whole width to itself, since that is the line people need
 * to read in full. While the filter is typed the second line is its prompt.
 */
export function StatusLine({width}: {width: number}) {
	const engine = useDashboard(state => state.engine);
	const counts = useDashboard(useShallow(selectCounts));
	const message = useDashboard(state => state.message);
	const filter = useDashboard(state => state.filter);
	const filterEditing = useDashboard(state => state.filterEditing);
	const loads = useDashboard(state => state.loads);

	const shown = filter && !filterEditing ? ` · filter "${filter}" ${counts.shown}/${counts.total}` : '';
	// Loads (w) say that they run and how fast, whichever container is selected.
	const loading = Object.values(loads)
		.map(load => ` · load ${load.name} ${load.achievedRate.toFixed(1)}/s (${load.ops} writes)`)
		.join('');
	let second: ReactNode;
	if (filterEditing) {
		second = (
			<Text wrap="truncate-end">
				<Text color="cyan">/ </Text>
				{filter}
				<Text inverse> </Text>
				<Text dimColor>{`  ${counts.shown} of ${counts.total} · enter keeps the filter · esc clears it`}</Text>
			</Text>
		);
	} else {
		// A space keeps the line's height when there is no message yet.
		second = message ? (
			<Text color={toneColors[message.tone]} wrap="truncate-end">
				{message.text}
			</Text>
		) : (
			<Text> </Text>
		);
	}

	const stateText = `● ${engine.state}`;
	const where = `${engine.address}${engine.foundBy ? ` (${engine.foundBy})` : ''}`;
	const counted = ` · ${counts.running} running · ${counts.stopped} stopped${shown}`;
	// Which engine it is goes first when the line is narrow: the counts and the address say more.
	const named = engine.product && `${stateText} ${engine.product} at ${where}${counted}${loading}`.length <= width ? `${engine.product} at ` : '';
	return (
		<Box width={width} flexDirection="column" flexShrink={0}>
			<Text wrap="truncate-end">
				<Text color={engineColors[engine.state]}>{stateText}</Text>
				<Text dimColor>{` ${named}${where}`}</Text>
				{counted}
				{loading ? <Text color="cyan">{loading}</Text> : null}
			</Text>
			{second}
		</Box>
	);
}
