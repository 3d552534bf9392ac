import {Box, Text} from 'ink';
import type {ChangeOperation} from '../../core/changes/types.js';
import {shownChanges} from '../../store/change-buffer.js';
import {selectSelectedEntry} from '../../store/selectors.js';
import type {ChangesView, ContainerEntry} from '../../store/state.js';
import {changeLine, countLines, summaryLine} from '../change-lines.js';
import {useDashboard} from '../hooks/use-dashboard.js';

export type ChangesPaneProps = {
	width: number;
	height: number;
	/** Lines of text it has room for (height minus border and title), as for the log pane. */
	lines: number;
};

const operationColour: Record<ChangeOperation, string> = {insert: 'green', update: 'yellow', delete: 'red'};

/** Why there is no stream to show for the selection, or undefined when there is one. */
function absence(entry: ContainerEntry | undefined, view: ChangesView | undefined): string | undefined {
	if (!entry) return 'Select a --cdc database to see its changes.';
	const {name, cdc, state} = entry.container;
	if (!cdc) return `${name}: not a --cdc database: create it with --cdc`;
	if (view) return undefined;
	if (state !== 'running') return `${name}: the container is not running`;
	return `${name}: waiting for the database to be ready`;
}

function emptyLine(view: ChangesView, filtered: boolean): string | undefined {
	if (view.stream === 'opening') return 'opening the change stream…';
	if (view.events.length === 0) return view.stream === 'open' ? 'waiting for changes… (commit something to see it here)' : undefined;
	return filtered ? 'no change shown matches the filter (o and t change it)' : undefined;
}

/**
 * The change stream of the selected --cdc database, in the log pane's place (C): the lag and the
 * filters, the counts per table and operation, then the newest changes, one per line.
 */
export function ChangesPane({width, height, lines}: ChangesPaneProps) {
	const entry = useDashboard(selectSelectedEntry);
	const changes = useDashboard(state => state.changes);
	const filter = useDashboard(state => state.changesFilter);
	const view = entry && changes.containerId === entry.container.id ? changes : undefined;
	const missing = absence(entry, view);
	const inner = Math.max(1, width - 4);

	const state = view?.stream === 'opening' ? 'opening' : view?.stream === 'ended' ? 'ended' : 'following';
	const title = entry && view ? `Changes · ${entry.container.name} · ${state}` : 'Changes';

	let body: React.ReactNode;
	if (missing || !view) {
		body = <Text dimColor>{missing}</Text>;
	} else {
		const filtered = filter.operation !== undefined || filter.table !== undefined;
		// The summary line, the note, and at least two change lines come before the counts.
		const noteLines = view.note ? 1 : 0;
		const counts = countLines(view.counts, Math.min(Math.floor((lines - 1) / 3), lines - 3 - noteLines));
		const room = Math.max(0, lines - 1 - counts.length - noteLines);
		const events = shownChanges(view, filter, room);
		const empty = events.length === 0 ? emptyLine(view, filtered) : undefined;
		body = (
			<>
				<Text wrap="truncate-end">{summaryLine(view, filter)}</Text>
				{counts.map(line => (
					<Text key={line} dimColor wrap="truncate-end">
						{line}
					</Text>
				))}
				{events.map((event, index) => {
					const line = changeLine(event, inner);
					// Time, then the operation in its colour, then the rest: the same line the width was fitted for.
					const time = line.slice(0, 13);
					const operation = line.slice(13, 19);
					return (
						// biome-ignore lint/suspicious/noArrayIndexKey: positions repeat within a transaction; the window's position is the key
						<Text key={index} wrap="truncate-end">
							{time}
							<Text color={operationColour[event.operation]}>{operation}</Text>
							{line.slice(19)}
						</Text>
					);
				})}
				{empty ? <Text dimColor>{empty}</Text> : undefined}
				{view.note ? <Text dimColor wrap="truncate-end">{`— ${view.note}`}</Text> : undefined}
			</>
		);
	}

	return (
		<Box flexDirection="column" borderStyle="round" borderColor="gray" width={width} height={height} flexGrow={1} paddingX={1} overflowY="hidden">
			<Box flexShrink={0}>
				<Text bold wrap="truncate-end">
					{title}
				</Text>
			</Box>
			{body}
		</Box>
	);
}
