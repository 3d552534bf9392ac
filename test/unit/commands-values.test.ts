import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {parseMode, parseSeconds, parseTail} from '../../source/cli/values.js';

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

describe('parseMode', () => {
	it('takes at most one mode flag', () => {
		expect(parseMode({persistent: false, durable: false, fast: false})).toBeUndefined();
		expect(parseMode({persistent: true, durable: false, fast: false})).toBe('persistent');
		expect(() => parseMode({persistent: true, durable: false, fast: true})).toThrow(
			'Conflicting flags --persistent and --fast: choose one of --persistent, --durable or --fast.',
		);
	});
});
