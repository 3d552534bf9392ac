import {describe, expect, it} from 'vitest';
import {formatPorts} from '../../source/cli/format.js';
import {layoutTable, truncateMiddle, type Column} from '../../source/cli/table.js';

const columns: Column[] = [
	{header: 'NAME', shrink: true, minWidth: 12},
	{header: 'TYPE'},
	{header: 'VERSION'},
	{header: 'STATUS'},
	{header: 'PORTS'},
	{header: 'UPTIME'},
];
const rows = [
	['dbarena-postgres-16-a3f9', 'postgres', '16', 'healthy', '5432->5432', '30s'],
	['dbarena-mariadb-10.11-ca0b', 'mariadb', '10.11', 'starting', '3306->3306', '2m'],
];

describe('layoutTable', () => {
	it('lays out the list with aligned columns and no trailing spaces', () => {
		expect(layoutTable(columns, rows)).toEqual([
			'NAME                        TYPE      VERSION  STATUS    PORTS       UPTIME',
			'dbarena-postgres-16-a3f9    postgres  16       healthy   5432->5432  30s',
			'dbarena-mariadb-10.11-ca0b  mariadb   10.11    starting  3306->3306  2m',
		]);
	});

	it('never cuts without a width (pipes and files get whole names)', () => {
		expect(layoutTable(columns, rows).join('\n')).toContain('dbarena-mariadb-10.11-ca0b');
	});

	it('fits a narrow terminal by shortening the name in the middle, keeping the unique suffix', () => {
		const lines = layoutTable(columns, rows, 64);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(64);
		expect(lines).toEqual([
			'NAME             TYPE      VERSION  STATUS    PORTS       UPTIME',
			'dbarena…16-a3f9  postgres  16       healthy   5432->5432  30s',
			'dbarena…11-ca0b  mariadb   10.11    starting  3306->3306  2m',
		]);
	});

	it('goes below the minimum only when it must, and never below five characters', () => {
		const lines = layoutTable(columns, rows, 60);
		expect(lines[1]).toBe('dbare…-a3f9  postgres  16       healthy   5432->5432  30s');
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
		const tiny = layoutTable(columns, rows, 20);
		expect(tiny[1]!.startsWith('db…f9  postgres')).toBe(true);
	});

	it("cuts a long status at its end, after the name: a crashed container's row still fits", () => {
		const withStatus: Column[] = columns.map(column => (column.header === 'STATUS' ? {...column, shrink: true, minWidth: 10, cut: 'end'} : column));
		const crashed = [...rows, ['dbarena-mysql-8.4-77aa', 'mysql', '8.4', 'killed: out of memory (limit 512 MiB)', '21234->3306', '-']];
		const lines = layoutTable(withStatus, crashed, 60);
		for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
		expect(lines[3]).toMatch(/^dbar\S*…\S*77aa +mysql +8\.4 +killed: ?\S*… +21234->3306 +-$/);
		// Only as far as it must: at 80 columns the names are whole and only the status is cut.
		expect(layoutTable(withStatus, crashed, 80)[3]).toMatch(/^dbarena-mysql-8\.4-77aa +mysql +8\.4 +killed: out… +21234->3306 +-$/);
	});

	it('right-aligns when asked', () => {
		expect(
			layoutTable(
				[{header: 'A'}, {header: 'SIZE', align: 'right'}],
				[
					['x', '1 B'],
					['y', '10 MiB'],
				],
			),
		).toEqual(['A    SIZE', 'x     1 B', 'y  10 MiB']);
	});
});

describe('truncateMiddle', () => {
	it('keeps short text and cuts long text to the exact width', () => {
		expect(truncateMiddle('abc', 5)).toBe('abc');
		expect(truncateMiddle('abcdefghij', 5)).toBe('ab…ij');
		expect(truncateMiddle('abcdefghij', 6)).toBe('abc…ij');
		expect(truncateMiddle('abcdefghij', 1)).toBe('…');
	});
});

describe('formatPorts', () => {
	it('names the address only when it is not the loopback default', () => {
		expect(formatPorts('127.0.0.1', 5432, 5432)).toBe('5432->5432');
		expect(formatPorts('0.0.0.0', 15_432, 5432)).toBe('0.0.0.0:15432->5432');
		expect(formatPorts('::1', 5432, 5432)).toBe('[::1]:5432->5432');
		expect(formatPorts('127.0.0.1', undefined, 5432)).toBe('-');
	});
});
