import {describe, expect, it} from 'vitest';
import {parseEnv, parseHostIp, parseMemory, parsePort} from '../../source/core/create/values.js';
import {InvalidValueError, UsageError} from '../../source/core/errors.js';

const mib = 1024 ** 2;
const gib = 1024 ** 3;

describe('parseMemory', () => {
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
		['6144k', 6 * mib],
		['.5g', 0.5 * gib],
	])('reads %j as %d bytes (binary units, as docker --memory)', (input, bytes) => {
		expect(parseMemory(input)).toBe(bytes);
	});

	it('rounds fractional bytes down', () => {
		expect(parseMemory('6144.0000001k')).toBe(6 * mib);
	});

	it.each(['', 'lots', '12x', '1.2.3g', '-1g', 'g', '1 gigabyte', '0', '0m'])('refuses %j with the value and what is allowed', input => {
		expect(() => parseMemory(input)).toThrow(UsageError);
		try {
			parseMemory(input);
		} catch (error) {
			expect((error as UsageError).code).toBe('invalid_memory');
			expect((error as Error).message).toContain(`"${input}"`);
		}
	});

	it('keeps the limit within what the engine takes, for numbers and notations alike', () => {
		expect(() => parseMemory('64k')).toThrow('The memory limit must be at least 6 MB.');
		expect(() => parseMemory(1024)).toThrow('The memory limit must be at least 6 MB.');
		expect(() => parseMemory('2p')).toThrow(InvalidValueError);
		expect(() => parseMemory(2 ** 51)).toThrow('at most 1 PiB');
		expect(parseMemory(300 * mib)).toBe(300 * mib);
	});

	it('names the accepted notations', () => {
		expect(() => parseMemory('lots')).toThrow(/512m, 1g, 256MB, 1\.5GiB or a number of bytes/);
	});
});

describe('parsePort', () => {
	it.each([
		['1', 1],
		['5432', 5432],
		['65535', 65_535],
		[' 80 ', 80],
	])('accepts %j', (input, port) => {
		expect(parsePort(input)).toBe(port);
	});

	it.each(['0', '65536', '70000', '-1', 'abc', '', '54.32', '1e3', '0x10'])('refuses %j naming the range', input => {
		expect(() => parsePort(input)).toThrow(`Invalid port "${input}": use a whole number from 1 to 65535.`);
	});
});

describe('parseEnv', () => {
	it('splits at the first "=" and allows empty values', () => {
		expect(parseEnv(['A=1', 'B=x=y', 'C='])).toEqual({A: '1', B: 'x=y', C: ''});
	});

	it.each(['FOO', '=bar', ''])('refuses %j without a key and "="', entry => {
		expect(() => parseEnv([entry])).toThrow(`Invalid environment entry "${entry}": use KEY=VALUE`);
	});
});

describe('parseHostIp', () => {
	it('accepts IP addresses only', () => {
		expect(parseHostIp('0.0.0.0')).toBe('0.0.0.0');
		expect(parseHostIp('::1')).toBe('::1');
		expect(() => parseHostIp('localhost')).toThrow('Invalid address "localhost"');
		expect(() => parseHostIp('300.1.1.1')).toThrow(UsageError);
	});

	it('names the option each refusal is about, so a face can name its own flag or field', () => {
		for (const [run, field] of [
			[() => parsePort('x'), 'port'],
			[() => parseHostIp('x'), 'hostIp'],
			[() => parseMemory('x'), 'memory'],
			[() => parseEnv(['x']), 'env'],
		] as const) {
			try {
				run();
				expect.unreachable();
			} catch (error) {
				expect(error).toBeInstanceOf(InvalidValueError);
				expect((error as InvalidValueError).field).toBe(field);
				expect((error as InvalidValueError).value).toBe('x');
			}
		}
	});

	it('refuses environment keys that are not variable names', () => {
		expect(() => parseEnv({'1X': 'y'})).toThrow('Invalid environment variable name "1X"');
		expect(parseEnv({TZ: 'UTC'})).toEqual({TZ: 'UTC'});
	});
});
