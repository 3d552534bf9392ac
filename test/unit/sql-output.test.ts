import {describe, expect, it} from 'vitest';
import {csvField, csvLines, queryJson, queryText, uniqueColumns} from '../../source/cli/sql-output.js';
import type {SqlResult} from '../../source/core/sql-query.js';

const result = (columns: string[], rows: SqlResult['rows']): SqlResult => ({columns, rows, command: 'SELECT', rowCount: rows.length});

describe('CSV (RFC 4180)', () => {
	it.each([
		['plain', 'plain'],
		['a,b', '"a,b"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['cr\rhere', '"cr\rhere"'],
		[' spaced ', ' spaced '],
		['', '""'],
		[null, ''],
		[42, '42'],
		[1.5, '1.5'],
		[false, 'false'],
		[{a: [1, 'x,y']}, '"{""a"":[1,""x,y""]}"'],
	] as const)('%j -> %s', (value, field) => {
		expect(csvField(value as SqlResult['rows'][number][number])).toBe(field);
	});

	it('tells NULL from an empty string, as psql --csv does', () => {
		expect(csvLines(result(['a', 'b', 'c'], [[null, '', 'x']]))).toEqual(['a,b,c', ',"",x']);
	});

	it('quotes column names too, and prints nothing for a statement without rows', () => {
		expect(csvLines(result(['id', 'first, last'], []))).toEqual(['id,"first, last"']);
		expect(csvLines({columns: [], rows: [], command: 'INSERT', rowCount: 3})).toEqual([]);
	});
});

describe('--json', () => {
	it('rows as objects; a column name given twice gets _2 rather than losing a value', () => {
		expect(uniqueColumns(['id', 'id', 'n', 'id'])).toEqual(['id', 'id_2', 'n', 'id_3']);
		expect(queryJson('db', result(['?column?', '?column?'], [[1, 2]]))).toEqual({
			name: 'db',
			columns: ['?column?', '?column?_2'],
			rows: [{'?column?': 1, '?column?_2': 2}],
			rowCount: 1,
			command: 'SELECT',
		});
	});

	it('a statement without rows: what it did', () => {
		expect(queryJson('db', {columns: [], rows: [], command: 'INSERT', rowCount: 3})).toEqual({
			name: 'db',
			columns: [],
			rows: [],
			rowCount: 3,
			command: 'INSERT',
		});
	});
});

describe('the table for a person', () => {
	it('numbers to the right, NULL spelled out, a line break shown as \\n, then the count', () => {
		expect(
			queryText(
				result(
					['id', 'note', 'amount'],
					[
						[1, 'two\nlines', '1.50'],
						[10, null, null],
					],
				),
			),
		).toEqual(['id  note        amount', ' 1  two\\nlines  1.50', '10  NULL        NULL', '(2 rows)']);
	});

	it('a statement without rows says what it did', () => {
		expect(queryText({columns: [], rows: [], command: 'INSERT', rowCount: 1})).toEqual(['INSERT (1 row affected)']);
		expect(queryText({columns: [], rows: [], command: 'CREATE', rowCount: null})).toEqual(['CREATE']);
		expect(queryText({columns: [], rows: [], command: null, rowCount: 2})).toEqual(['OK (2 rows affected)']);
	});
});
