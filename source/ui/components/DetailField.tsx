import {Box, Text} from 'ink';

/** The width of a details field's name column. */
export const labelWidth = 10;

/** One line of the details panel: a dim name, then its value cut (or wrapped) to the room left. */
export function Field({name, value, color, wrap = false}: {name: string; value: string; color?: string; wrap?: boolean}) {
	return (
		<Box flexShrink={0}>
			<Box width={labelWidth} flexShrink={0}>
				<Text dimColor>{name}</Text>
			</Box>
			<Box flexGrow={1}>
				<Text wrap={wrap ? 'wrap' : 'truncate-end'} {...(color ? {color} : {})}>
					{value}
				</Text>
			</Box>
		</Box>
	);
}
