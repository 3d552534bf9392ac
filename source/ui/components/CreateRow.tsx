import {Text} from 'ink';
import {memo} from 'react';
import type {Column, ColumnKey} from '../columns.js';
import {fit} from '../format.js';
import {useDashboard} from '../hooks/use-dashboard.js';
import {useSpinnerFrame} from '../hooks/use-spinner-frame.js';

/** A create whose container does not exist yet (pulling the image, making the volume). */
export const CreateRow = memo(function CreateRow({name, columns}: {name: string; columns: readonly Column[]}) {
	const progress = useDashboard(state => state.creates[name]);
	const frame = useSpinnerFrame(progress !== undefined);
	if (!progress) return null;
	const cells: Partial<Record<ColumnKey, string>> = {
		name,
		database: progress.database,
		version: progress.version,
		status: `${frame} ${progress.phase}`,
	};
	return (
		<Text dimColor wrap="truncate-end">
			{'  '}
			{columns.map(column => `${fit(cells[column.key] ?? '', column.width, column.align)} `).join('')}
		</Text>
	);
});
