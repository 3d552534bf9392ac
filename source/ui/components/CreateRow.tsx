import {Text} from 'ink';
import {memo} from 'react';
import type {Column, ColumnKey} from '../columns.js';
import {fitText} from '../format.js';
import {useDashboard} from '../hooks/use-dashboard.js';
import {useSpinnerFrame} from '../hooks/use-spinner-frame.js';

/**
 * A create whose container does not exist yet (pulling the image, making the volume). Its status
 * runs on over the port, uptime, CPU and memory columns, which such a row has no values for: the
 * progress words are the command line's ("Waiting for healthy... (1.2s)"), longer than the
 * status column.
 */
export const CreateRow = memo(function CreateRow({name, columns}: {name: string; columns: readonly Column[]}) {
	const progress = useDashboard(state => state.creates[name]);
	const frame = useSpinnerFrame(progress !== undefined);
	if (!progress) return null;
	const cells: Partial<Record<ColumnKey, string>> = {
		name,
		database: progress.database,
		version: progress.version,
	};
	// layoutColumns never drops the status column.
	const statusAt = columns.findIndex(column => column.key === 'status');
	// Every column is followed by one space; the last one's is kept, as in the other rows.
	const statusWidth = columns.slice(statusAt).reduce((sum, column) => sum + column.width + 1, 0) - 1;
	return (
		<Text dimColor wrap="truncate-end">
			{'  '}
			{columns
				.slice(0, statusAt)
				.map(column => `${fitText(cells[column.key] ?? '', column.width, column.align)} `)
				.join('')}
			{`${fitText(`${frame} ${progress.phase}`, statusWidth)} `}
		</Text>
	);
});
