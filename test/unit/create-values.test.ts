import {describe, expect, it} from 'vitest';
import {connectionInfo} from '../../source/core/connection.js';
import {planCreate} from '../../source/core/create/plan.js';
import {parseEnv, parseHostIp, parseImage, parseMemory, parsePort} from '../../source/core/create/values.js';
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

describe('parseImage and exposure', () => {
	it('accepts references the engine takes and refuses the rest, naming the value', () => {
		for (const good of ['postgres:16-alpine', '127.0.0.1:5000/library/mariadb:10.11', 'mcr.microsoft.com/mssql/server:2022-latest', 'my/pg:16']) {
			expect(parseImage(good)).toBe(good);
		}
		for (const bad of ['UPPER/Bad', '', 'a b', 'x:']) expect(() => parseImage(bad)).toThrow(`Invalid image "${bad}"`);
	});

	it('refuses a non-loopback address with the default password, not with a password of its own', () => {
		expect(() => planCreate({database: 'postgres', hostIp: '0.0.0.0'}, {})).toThrow(/reachable from the network.*well known/);
		expect(() => planCreate({database: 'postgres', hostIp: '::'}, {})).toThrow(/reachable from the network/);
		expect(planCreate({database: 'postgres', hostIp: '0.0.0.0', password: 'mine'}, {}).hostIp).toBe('0.0.0.0');
		expect(planCreate({database: 'postgres', hostIp: '0.0.0.0', randomPassword: true}, {}).hostIp).toBe('0.0.0.0');
		expect(planCreate({database: 'postgres', hostIp: '127.0.0.2'}, {}).hostIp).toBe('127.0.0.2');
	});

	it('one URL builder: an IPv6 host is bracketed in the URL, not in host', () => {
		const info = connectionInfo('postgres', {user: 'postgres', password: 'pw', database: 'testdb'}, '::1', 5434);
		expect(info).toMatchObject({host: '::1', port: 5434, url: 'postgresql://postgres:pw@[::1]:5434/testdb'});
		expect(connectionInfo('mysql', {user: 'root', password: 'pw', database: 'testdb'}, '::', 3306).url).toBe('mysql://root:pw@[::1]:3306/testdb');
	});

	it('refuses MySQL passwords the official image pastes into SQL unescaped; MariaDB escapes them', () => {
		expect(() => planCreate({database: 'mysql', password: "it's"}, {})).toThrow('A MySQL password cannot contain');
		expect(planCreate({database: 'mariadb', password: "it's"}, {}).credentials.password).toBe("it's");
	});
});
