import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {parseMemorySize} from '../../source/cli/memory-size.js';
import {parseBind, parseEnv, parseMode, parsePort, parseSeconds, parseTail} from '../../source/cli/values.js';

const mib = 1024 ** 2;
const gib = 1024 ** 3;

describe('parseMemorySize', () => {
	it.each([
		['512m', 512 * mib],
		['512M', 512 * mib],
		['1g', gib],
		['256MB', 256 * mib],
		['256mib', 256 * mib],
		['1.5GiB', 1.5 * gib],
		['1.5 g', 1.5 * gib],
		['268435456', 268_435_456],
		['268435456b', 268_435_456],
		['64k', 64 * 1024],
		['.5g', 0.5 * gib],
	])('reads %j as %d bytes (binary units, as docker --memory)', (input, bytes) => {
		expect(parseMemorySize(input)).toBe(bytes);
	});

	it('rounds fractional bytes down', () => {
		expect(parseMemorySize('1.0000001k')).toBe(1024);
	});

	it.each(['', 'lots', '12x', '1.2.3g', '-1g', 'g', '1 gigabyte', '0', '0m'])('refuses %j with the value and the allowed forms', input => {
		expect(() => parseMemorySize(input)).toThrow(UsageError);
		try {
			parseMemorySize(input);
		} catch (error) {
			expect((error as UsageError).code).toBe('invalid_memory');
			expect((error as Error).message).toContain(`"${input}"`);
		}
	});

	it('names the accepted notations', () => {
		expect(() => parseMemorySize('lots')).toThrow(/512m, 1g, 256MB, 1\.5GiB or a number of bytes/);
	});
});

describe('parsePort', () => {
	it.each([['1', 1], ['5432', 5432], ['65535', 65_535], [' 80 ', 80]])('accepts %j', (input, port) => {
		expect(parsePort(input)).toBe(port);
	});

	it.each(['0', '65536', '70000', '-1', 'abc', '', '54.32', '1e3', '0x10'])('refuses %j naming the range', input => {
		expect(() => parsePort(input)).toThrow(`Invalid --port "${input}": use a whole number from 1 to 65535.`);
	});
});

describe('parseEnv', () => {
	it('splits at the first "=" and allows empty values', () => {
		expect(parseEnv(['A=1', 'B=x=y', 'C='])).toEqual({A: '1', B: 'x=y', C: ''});
	});

	it.each(['FOO', '=bar', ''])('refuses %j without a key and "="', entry => {
		expect(() => parseEnv([entry])).toThrow(`Invalid --env "${entry}": use KEY=VALUE`);
	});
});

describe('parseSeconds and parseTail', () => {
	it('reads timeouts, decimals allowed unless integer is asked for', () => {
		expect(parseSeconds('timeout', '1.5', {allowZero: false})).toBe(1.5);
		expect(parseSeconds('timeout', '0', {allowZero: true, integer: true})).toBe(0);
		expect(() => parseSeconds('timeout', '1.5', {allowZero: true, integer: true})).toThrow(/whole number/);
	});

	it.each(['-5', 'soon', '', '0'])('refuses the readiness timeout %j', input => {
		expect(() => parseSeconds('timeout', input, {allowZero: false})).toThrow(`Invalid --timeout "${input}"`);
	});

	it('reads tails, "all" meaning no limit', () => {
		expect(parseTail('20')).toBe(20);
		expect(parseTail('0')).toBe(0);
		expect(parseTail('all')).toBeUndefined();
		expect(() => parseTail('-3')).toThrow('Invalid --tail "-3": use a whole number of lines (0 to 10000000) or "all".');
		expect(() => parseTail('ten')).toThrow(UsageError);
	});
});

describe('parseMode and parseBind', () => {
	it('takes at most one mode flag', () => {
		expect(parseMode({persistent: false, durable: false, fast: false})).toBeUndefined();
		expect(parseMode({persistent: true, durable: false, fast: false})).toBe('persistent');
		expect(() => parseMode({persistent: true, durable: false, fast: true})).toThrow('Conflicting flags --persistent and --fast: choose one of --persistent, --durable or --fast.');
	});

	it('accepts IP addresses only', () => {
		expect(parseBind('0.0.0.0')).toBe('0.0.0.0');
		expect(parseBind('::1')).toBe('::1');
		expect(() => parseBind('localhost')).toThrow('Invalid --bind "localhost"');
		expect(() => parseBind('300.1.1.1')).toThrow(UsageError);
	});
});
