/** A plain column table that fits a terminal width: `list` and the other listings print one. */

export type Column = {
	header: string;
	/** May be cut (with an ellipsis) when the table is wider than the terminal. */
	shrink?: boolean;
	/** How narrow a shrinkable column may become. */
	minWidth?: number;
	/**
	 * Where a cut value loses characters: in the middle (the default: generated names differ at
	 * their end) or at the end (a status: its first word is what matters). A column cut at the end
	 * gives up its width before the others do.
	 */
	cut?: 'middle' | 'end';
	align?: 'left' | 'right';
};

const gap = '  ';

/**
 * Cut a value to `width` with an ellipsis in the middle: generated names differ only in their
 * last characters (dbarena-postgres-16-a3f9), so cutting the end would make rows look alike.
 */
/** Cut a value to `width` at its end, with an ellipsis. */
export function truncateEnd(text: string, width: number): string {
	if (text.length <= width) return text;
	if (width <= 1) return '…'.slice(0, width);
	return `${text.slice(0, width - 1)}…`;
}

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
 * down to their minimum (those cut at the end first), then widest first down to five characters;
 * if that is still not enough the lines are left to wrap.
 */
export function layoutTable(columns: Column[], rows: string[][], maxWidth?: number): string[] {
	const widths = columns.map((column, index) => Math.max(column.header.length, ...rows.map(row => (row[index] ?? '').length)));
	if (maxWidth !== undefined) {
		let excess = widths.reduce((sum, width) => sum + width, 0) + gap.length * (columns.length - 1) - maxWidth;
		// First down to each column's comfortable minimum; on a very narrow terminal further, to
		// a few characters, since a cut name is still better than a wrapped table.
		const floors = [(column: Column) => Math.max(column.minWidth ?? 8, column.header.length), (column: Column) => Math.max(5, column.header.length)];
		for (const [pass, floor] of floors.entries()) {
			// Down to the minimums, a column cut at the end goes first; below them, the widest.
			const first = (index: number) => (pass === 0 && columns[index]!.cut === 'end' ? 0 : 1);
			while (excess > 0) {
				const widest = columns
					.map((column, index) => ({index, room: widths[index]! - floor(column)}))
					.filter(({index, room}) => columns[index]!.shrink && room > 0)
					.sort((a, b) => first(a.index) - first(b.index) || widths[b.index]! - widths[a.index]!)[0];
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
				const text = columns[index]!.cut === 'end' ? truncateEnd(cell, width) : truncateMiddle(cell, width);
				const last = index === cells.length - 1;
				if (columns[index]!.align === 'right') return text.padStart(width);
				return last ? text : text.padEnd(width);
			})
			.join(gap)
			.trimEnd();
	return [render(columns.map(column => column.header)), ...rows.map(row => render(columns.map((_, index) => row[index] ?? '')))];
}
