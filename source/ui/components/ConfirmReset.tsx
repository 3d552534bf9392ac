import {Box, Text, useInput} from 'ink';
import type {Overlay} from '../../store/state.js';
import {useDashboardContext} from '../hooks/use-dashboard.js';

type ConfirmOverlay = Extract<Overlay, {kind: 'confirm-reset'}>;

/**
 * "Reset it?" For a container with a volume the question says that the data in it is deleted, and
 * only the y to that question lets the reset remove it.
 */
export function ConfirmReset({overlay, width, height}: {overlay: ConfirmOverlay; width: number; height: number}) {
	const {operations} = useDashboardContext();
	useInput((input, key) => {
		const answer = input.toLowerCase();
		if (key.escape || answer === 'n') operations.cancelReset();
		else if (answer === 'y') operations.confirmReset();
		// Only while it runs: the data reset happens inside the server.
		else if (answer === 'd' && overlay.running) operations.confirmDataReset();
	});

	const explanation = overlay.volume
		? `Its data is in volume ${overlay.volume}: resetting deletes that data for good and starts again from a fresh database (same name, port and settings).`
		: 'It is recreated with fresh data (same name, port and settings); what is in it now is lost.';
	return (
		<Box flexDirection="column" borderStyle="double" borderColor="red" width={width} height={height} paddingX={1} overflowY="hidden">
			<Text bold color="red" wrap="truncate-end">{`Reset ${overlay.name}?`}</Text>
			<Text wrap="wrap">{explanation}</Text>
			<Text> </Text>
			<Text color="cyan" wrap="truncate-end">
				{[
					overlay.volume ? 'y  recreate and delete the data in the volume' : 'y  recreate',
					...(overlay.running ? ['d  data only (keeps container, roles, slots)'] : []),
					'n / esc  keep it',
				].join('    ')}
			</Text>
		</Box>
	);
}
