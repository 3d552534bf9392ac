import {Box, Text} from 'ink';
import {logWindow} from '../../store/log-buffer.js';
import {useDashboard} from '../hooks/use-dashboard.js';

export type LogPaneProps = {
	width: number;
	height: number;
	/** Lines of text it has room for (height minus border and title). */
	lines: number;
};

/** The selected container's logs: following the end by default, or held where the user scrolled. */
export function LogPane({width, height, lines}: LogPaneProps) {
	const logs = useDashboard(state => state.logs);
	const name = useDashboard(state => (state.logs.containerId === undefined ? undefined : state.containers[state.logs.containerId]?.container.name));
	const focused = useDashboard(state => state.focus === 'logs' && state.overlay === undefined);
	// The note (why the stream ended) takes the last line when there is one.
	const textLines = logs.note ? Math.max(0, lines - 1) : lines;
	const view = logWindow(logs, textLines);

	const state = view.following ? 'following' : `paused${view.newBelow > 0 ? ` · ${view.newBelow} new below` : ''} · End follows`;
	const title = name ? `Logs · ${name} · ${state}` : 'Logs';

	return (
		<Box
			flexDirection="column"
			borderStyle="round"
			borderColor={focused ? 'cyan' : 'gray'}
			width={width}
			height={height}
			flexGrow={1}
			paddingX={1}
			overflowY="hidden"
		>
			{/* The arrow marks the focus where colours are off; the keys are in the status line. */}
			<Box flexShrink={0}>
				<Text bold wrap="truncate-end">
					{focused ? `▶ ${title}` : title}
				</Text>
			</Box>
			{view.lines.map((line, index) => (
				// Lines repeat ("checkpoint starting"), so the key is the position in the window.
				// biome-ignore lint/suspicious/noArrayIndexKey: lines repeat and have no identity of their own; the window's position is the key
				<Text key={index} wrap="truncate-end">
					{line === '' ? ' ' : line}
				</Text>
			))}
			{logs.note ? <Text dimColor wrap="truncate-end">{`— ${logs.note}`}</Text> : undefined}
			{!name && logs.lines.length === 0 ? <Text dimColor>Select a container to see its logs.</Text> : undefined}
		</Box>
	);
}
