import {describe, expect, it} from 'vitest';
import {formatBytes, formatDuration, formatUptime} from '../../source/core/format.js';

describe('formatDuration', () => {
	it('tenths of a second below a minute, then minutes and seconds', () => {
		expect(formatDuration(2800)).toBe('2.8s');
		expect(formatDuration(15_240)).toBe('15.2s');
		expect(formatDuration(65_000)).toBe('1m 05s');
		expect(formatDuration(-1)).toBe('0.0s');
	});
});

describe('formatUptime', () => {
	it('seconds only in the first minute, then minutes, then two units', () => {
		expect(formatUptime(30_000)).toBe('30s');
		expect(formatUptime(59_999)).toBe('59s');
		expect(formatUptime(60_000)).toBe('1m');
		expect(formatUptime(12 * 60_000 + 5000)).toBe('12m');
		expect(formatUptime(3_599_999)).toBe('59m');
		expect(formatUptime(3_600_000 + 5 * 60_000)).toBe('1h 5m');
		expect(formatUptime(3 * 3_600_000 + 12 * 60_000)).toBe('3h 12m');
		expect(formatUptime(2 * 86_400_000 + 4 * 3_600_000)).toBe('2d 4h');
		expect(formatUptime(3 * 86_400_000 + 7_200_000)).toBe('3d 2h');
		expect(formatUptime(-10)).toBe('0s');
	});

	it('keeps both units on the hour and the day, and fits the dashboard column (7) up to 99 days', () => {
		expect(formatUptime(3 * 3_600_000)).toBe('3h 0m');
		expect(formatUptime(2 * 86_400_000)).toBe('2d 0h');
		expect(formatUptime(86_400_000 - 1)).toBe('23h 59m');
		expect(formatUptime(100 * 86_400_000 - 1)).toBe('99d 23h');
	});
});

describe('formatBytes', () => {
	it('binary units with one decimal below 100 and whole numbers above', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(1536)).toBe('1.5 KiB');
		expect(formatBytes(45.24 * 1024 * 1024)).toBe('45.2 MiB');
		expect(formatBytes(268_435_456)).toBe('256 MiB');
		expect(formatBytes(1024 ** 3)).toBe('1.0 GiB');
		expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
		expect(formatBytes(-5)).toBe('0 B');
	});
});
