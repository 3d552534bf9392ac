/** The containers table's columns, and which ones give way when the terminal is narrow. */
export type ColumnKey = 'name' | 'database' | 'version' | 'status' | 'port' | 'uptime' | 'cpu' | 'memory';

export type Column = {
	key: ColumnKey;
	title: string;
	width: number;
	align: 'left' | 'right';
};

const fixedColumns: readonly Column[] = [
	{key: 'database', title: 'DATABASE', width: 9, align: 'left'},
	{key: 'version', title: 'VERSION', width: 7, align: 'left'},
	{key: 'status', title: 'STATUS', width: 18, align: 'left'},
	{key: 'port', title: 'PORT', width: 5, align: 'right'},
	{key: 'uptime', title: 'UPTIME', width: 7, align: 'right'},
	{key: 'cpu', title: 'CPU', width: 6, align: 'right'},
	{key: 'memory', title: 'MEMORY', width: 19, align: 'left'},
];

/** Dropped first when space runs out: the numbers can be read elsewhere, the name and status cannot. */
const dropOrder: readonly ColumnKey[] = ['memory', 'cpu', 'uptime', 'version', 'port', 'database'];

export const markerWidth = 2;
const minNameWidth = 16;
const maxNameWidth = 40;

/** Columns for a table `width` cells wide (inside its border), each followed by one space. */
export function layoutColumns(width: number): Column[] {
	let columns = [...fixedColumns];
	const used = () => markerWidth + columns.reduce((sum, column) => sum + column.width + 1, 0);
	for (const key of dropOrder) {
		if (width - used() >= minNameWidth) break;
		columns = columns.filter(column => column.key !== key);
	}
	const nameWidth = Math.max(minNameWidth, Math.min(maxNameWidth, width - used() - 1));
	return [{key: 'name', title: 'NAME', width: nameWidth, align: 'left'}, ...columns];
}
