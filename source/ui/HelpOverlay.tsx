import {Box, Text, useInput} from 'ink';
import {closeOverlay} from '../store/view-actions.js';
import {keyBindings} from './keymap.js';
import {useDashboardContext} from './use-dashboard.js';

const keysWidth = Math.max(...keyBindings.map(binding => binding.keys.length)) + 2;

/** Every key and what it does. `?`, esc or q closes it. */
export function HelpOverlay({width, height}: {width: number; height: number}) {
	const {store} = useDashboardContext();
	useInput((input, key) => {
		if (key.escape || input === '?' || input === 'q') closeOverlay(store);
	});
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" width={width} height={height} paddingX={1} overflowY="hidden">
			<Text bold wrap="truncate-end">Keys  <Text dimColor>(? esc q close)</Text></Text>
			{keyBindings.slice(0, Math.max(0, height - 3)).map(binding => (
				<Text key={binding.keys} wrap="truncate-end">
					<Text color="cyan">{binding.keys.padEnd(keysWidth)}</Text>
					{binding.action}
				</Text>
			))}
		</Box>
	);
}
