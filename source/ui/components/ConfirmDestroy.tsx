import {Box, Text, useInput} from 'ink';
import type {Overlay} from '../../store/state.js';
import {useDashboardContext} from '../hooks/use-dashboard.js';

type ConfirmOverlay = Extract<Overlay, {kind: 'confirm-destroy'}>;

/**
 * "Destroy it?" and, for a container with a volume, the separate question about its data. Only an
 * explicit y on the second question removes the volume; every other key keeps it.
 */
export function ConfirmDestroy({overlay, width, height}: {overlay: ConfirmOverlay; width: number; height: number}) {
	const {operations} = useDashboardContext();
	useInput((input, key) => {
		const answer = input.toLowerCase();
		if (key.escape) {
			operations.cancelDestroy();
		} else if (overlay.step === 'container') {
			if (answer === 'y') operations.confirmDestroy();
			else if (answer === 'n') operations.cancelDestroy();
		} else if (answer === 'y') {
			operations.chooseVolumeRemoval(true);
		} else if (answer === 'n') {
			operations.chooseVolumeRemoval(false);
		}
	});

	const question =
		overlay.step === 'container'
			? [
					`Destroy ${overlay.name}?`,
					overlay.volume ? `Its data is in volume ${overlay.volume}; you choose what happens to it next.` : 'Its data goes with it (no volume).',
					'y  destroy    n / esc  keep it',
				]
			: [
					`Also remove volume ${overlay.volume ?? ''}?`,
					'Removing it deletes the data for good; keeping it lets a new container with the same name reuse it.',
					'y  remove the volume too    n  keep the volume    esc  cancel, destroy nothing',
				];

	return (
		<Box flexDirection="column" borderStyle="double" borderColor="red" width={width} height={height} paddingX={1} overflowY="hidden">
			<Text bold color="red" wrap="truncate-end">
				{question[0]}
			</Text>
			<Text wrap="wrap">{question[1]}</Text>
			<Text> </Text>
			<Text color="cyan" wrap="truncate-end">
				{question[2]}
			</Text>
		</Box>
	);
}
