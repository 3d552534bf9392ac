/** A plain column table that fits a terminal width: `list` and the other listings print one. */

export type Column = {
	header: string;
	/** May be cut (with an ellipsis) when the table is wider than the terminal. */
	shrink?: boolean;
	/** How narrow a shrinkable column may become. */
	minWidth?: number;
	align?: 'left' | 'right';
};

const gap = '  ';

/**
 * Cut a value to `width` with an ellipsis in the middle: generated names differ only in their
 * last characters (dbarena-postgres-16-a3f9), so cutting the end would make rows look alike.
 */
export function truncateMiddle(text: string, width: number): string {
	if (text.length <= width) return text;
	if (width <= 1) return '…'.slice(0, width);
	const keep = width - 1;
	const head = Math.ceil(keep / 2);
	return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/**
 * Lay out rows under headers. Without `maxWidth` (output to a pipe or file) nothing is cut, so
 * scripts always see whole values. With it, shrinkable columns give up width, widest first,
 * down to their minimum, then down to five characters; if that is still not enough the lines
 * are left to wrap.
 */
export function layoutTable(columns: Column[], rows: string[][], maxWidth?: number): string[] {
	const widths = columns.map((column, index) => Math.max(column.header.length, ...rows.map(row => (row[index] ?? '').length)));
	if (maxWidth !== undefined) {
		let excess = widths.reduce((sum, width) => sum + width, 0) + gap.length * (columns.length - 1) - maxWidth;
		// First down to each column's comfortable minimum; on a very narrow terminal further, to
		// a few characters, since a cut name is still better than a wrapped table.
		for (const floor of [(column: Column) => Math.max(column.minWidth ?? 8, column.header.length), (column: Column) => Math.max(5, column.header.length)]) {
			while (excess > 0) {
				const widest = columns
					.map((column, index) => ({index, room: widths[index]! - floor(column)}))
					.filter(({index, room}) => columns[index]!.shrink && room > 0)
					.sort((a, b) => widths[b.index]! - widths[a.index]!)[0];
				if (!widest) break;
				widths[widest.index] = widths[widest.index]! - 1;
				excess--;
			}
		}
	}
	const render = (cells: string[]) =>
		cells
			.map((cell, index) => {
				const width = widths[index]!;
				const text = truncateMiddle(cell, width);
				const last = index === cells.length - 1;
				if (columns[index]!.align === 'right') return text.padStart(width);
				return last ? text : text.padEnd(width);
			})
			.join(gap)
			.trimEnd();
	return [render(columns.map(column => column.header)), ...rows.map(row => render(columns.map((_, index) => row[index] ?? '')))];
}
