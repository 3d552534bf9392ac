import {Box, Text, useInput} from 'ink';
import {closeOverlay} from '../../store/view-actions.js';
import {keyBindings} from '../keymap.js';
import {useDashboardContext} from '../hooks/use-dashboard.js';

const keysWidth = Math.max(...keyBindings.map(binding => binding.keys.length)) + 2;
/** Border (2) and the title line. */
const chrome = 3;

/**
 * How the keys are laid out: one column while they fit the height, else as many columns as it
 * takes, so that an 80×24 terminal still shows every key (truncated actions beat missing keys).
 */
export function helpColumns(count: number, height: number): {columns: number; rows: number} {
	const rows = Math.max(1, height - chrome);
	const columns = Math.ceil(count / rows);
	return {columns, rows: Math.ceil(count / columns)};
}

/** Every key and what it does. `?`, esc or q closes it. */
export function HelpOverlay({width, height}: {width: number; height: number}) {
	const {store} = useDashboardContext();
	useInput((input, key) => {
		if (key.escape || input === '?' || input === 'q') closeOverlay(store);
	});
	const {columns, rows} = helpColumns(keyBindings.length, height);
	const columnWidth = Math.floor((width - 4) / columns);
	const groups = Array.from({length: columns}, (_, index) => keyBindings.slice(index * rows, (index + 1) * rows));
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" width={width} height={height} paddingX={1} overflowY="hidden">
			<Text bold wrap="truncate-end">
				{'Keys  '}
				<Text dimColor>(? esc q close)</Text>
			</Text>
			<Box>
				{groups.map(group => (
					<Box key={group[0]!.keys} flexDirection="column" width={columnWidth} flexShrink={0}>
						{group.map(binding => (
							<Text key={binding.keys} wrap="truncate-end">
								<Text color="cyan">{binding.keys.padEnd(keysWidth)}</Text>
								{binding.description}
							</Text>
						))}
					</Box>
				))}
			</Box>
		</Box>
	);
}
