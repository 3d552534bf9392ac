import {InvalidValueError} from '../errors.js';

/** The three kinds of write a load makes, in the order `mix` weighs them. */
export const opKinds = ['insert', 'update', 'delete'] as const;
export type OpKind = (typeof opKinds)[number];

export type Mix = Readonly<Record<OpKind, number>>;

/**
 * What a load does. `durationSeconds` undefined: until it is stopped (Ctrl-C, the dashboard key).
 * Every value is checked here once, whichever face it came from.
 */
export type LoadOptions = {
	rate: number;
	durationSeconds: number | undefined;
	tables: number;
	mix: Mix;
};

/** Enough for a connector to have something to read, little enough for a 256 MB fast server. */
export const defaultLoadOptions: LoadOptions = {rate: 50, durationSeconds: undefined, tables: 1, mix: {insert: 60, update: 30, delete: 10}};

/** One connection writing one statement at a time: beyond this its round trips cannot keep up. */
const maxRate = 10_000;
const maxTables = 100;
const dayInSeconds = 86_400;

const decimal = /^(\d+(\.\d*)?|\.\d+)$/;

export function parseRate(input: number | string): number {
	const text = String(input).trim();
	const rate = decimal.test(text) ? Number(text) : Number.NaN;
	if (!(rate >= 1 && rate <= maxRate))
		throw new InvalidValueError('rate', 'rate', String(input), `use a number of operations per second from 1 to ${maxRate}.`);
	return rate;
}

export function parseDuration(input: number | string): number {
	const text = String(input).trim();
	const seconds = decimal.test(text) ? Number(text) : Number.NaN;
	if (!(seconds > 0 && seconds <= dayInSeconds)) {
		throw new InvalidValueError('duration', 'duration', String(input), 'use a number of seconds greater than 0 and at most 86400 (a day).');
	}
	return seconds;
}

export function parseTables(input: number | string): number {
	const text = String(input).trim();
	const tables = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!(tables >= 1 && tables <= maxTables))
		throw new InvalidValueError('tables', 'number of tables', String(input), `use a whole number from 1 to ${maxTables}.`);
	return tables;
}

/** "insert:update:delete" weights, as "60:30:10"; they need not add up to 100. */
export function parseMix(input: string): Mix {
	const parts = input.trim().split(':');
	const rule = 'use three whole numbers insert:update:delete, such as 60:30:10, not all 0.';
	if (parts.length !== 3 || parts.some(part => !/^\d{1,6}$/.test(part.trim()))) throw new InvalidValueError('mix', 'mix', input, rule);
	const [insert, update, remove] = parts.map(part => Number(part.trim())) as [number, number, number];
	if (insert + update + remove === 0) throw new InvalidValueError('mix', 'mix', input, rule);
	return {insert, update, delete: remove};
}

/** The options as typed (undefined: the default), checked. */
export function parseLoadOptions(input: {rate?: string | number; duration?: string | number; tables?: string | number; mix?: string}): LoadOptions {
	return {
		rate: input.rate === undefined ? defaultLoadOptions.rate : parseRate(input.rate),
		durationSeconds: input.duration === undefined ? undefined : parseDuration(input.duration),
		tables: input.tables === undefined ? defaultLoadOptions.tables : parseTables(input.tables),
		mix: input.mix === undefined ? defaultLoadOptions.mix : parseMix(input.mix),
	};
}
