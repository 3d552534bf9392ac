import {Box, Text} from 'ink';
import {useDashboard} from '../hooks/use-dashboard.js';

/** The top line: what this is and which containers the table shows. */
export function Header({width}: {width: number}) {
	const showAll = useDashboard(state => state.showAll);
	return (
		<Box width={width} justifyContent="space-between">
			<Text bold color="cyan">
				dbarena
			</Text>
			<Text dimColor>{showAll ? 'all containers' : 'running containers only'}</Text>
		</Box>
	);
}
