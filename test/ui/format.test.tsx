import {describe, expect, it} from 'vitest';
import {layoutColumns} from '../../source/ui/columns.js';
import {fitText, formatPercent, nextUptimeTick} from '../../source/ui/format.js';
import {dashboardLayout} from '../../source/ui/layout.js';
import {rowStatus} from '../../source/ui/row-status.js';
import {fakeContainer} from '../helpers/dashboard.js';

describe('format', () => {
	it('percent with one decimal below 100', () => {
		expect(formatPercent(0)).toBe('0.0%');
		expect(formatPercent(12.345)).toBe('12.3%');
		expect(formatPercent(199.96)).toBe('200%');
	});

	it('the uptime clock ticks every second during a first minute, else on the wall-clock minute', () => {
		const now = Date.UTC(2026, 0, 1, 10, 0, 30, 250);
		expect(nextUptimeTick(now, [])).toBeUndefined();
		expect(nextUptimeTick(now, [now - 10_000, now - 3_600_000])).toBe(750);
		expect(nextUptimeTick(now, [now - 90_000, now - 3_600_000])).toBe(29_750);
	});

	it('fit cuts with an ellipsis or pads', () => {
		expect(fitText('postgres', 5)).toBe('post…');
		expect(fitText('pg', 5)).toBe('pg   ');
		expect(fitText('42', 5, 'right')).toBe('   42');
		expect(fitText('x', 0)).toBe('');
		expect(fitText('xy', 1)).toBe('…');
	});
});

describe('layout', () => {
	it('gives the table what it needs up to 40 % and the logs the rest, one line short of the terminal', () => {
		expect(dashboardLayout({columns: 120, rows: 40, rowCount: 3, showDetails: true})).toEqual({
			width: 120,
			height: 39,
			tableRows: 3,
			bottomHeight: 29,
			// The details' URL line takes one line from the panes.
			paneHeight: 28,
			logLines: 25,
			detailsWidth: 50,
		});
		expect(dashboardLayout({columns: 120, rows: 40, rowCount: 50, showDetails: false})).toMatchObject({
			tableRows: 11,
			bottomHeight: 21,
			paneHeight: 21,
			logLines: 18,
			detailsWidth: 0,
		});
		expect(dashboardLayout({columns: 10, rows: 5, rowCount: 0, showDetails: true})).toMatchObject({width: 40, height: 16, tableRows: 1});
	});

	it('keeps the name and status columns when narrow', () => {
		expect(layoutColumns(118).map(column => [column.key, column.width])).toEqual([
			['name', 37],
			['database', 9],
			['version', 7],
			['status', 18],
			['port', 5],
			['uptime', 7],
			['cpu', 6],
			['memory', 19],
		]);
		expect(layoutColumns(40).map(column => column.key)).toEqual(['name', 'status']);
	});
});

describe('row status', () => {
	const entry = (overrides: Parameters<typeof fakeContainer>[0], health: 'starting' | 'healthy' | 'unhealthy' | 'stopped') => ({
		container: fakeContainer(overrides),
		health,
	});

	it('shows an operation first, then readiness, then how it stopped', () => {
		expect(rowStatus(entry({name: 'a'}, 'healthy'), 'stopping')).toEqual({text: 'stopping', color: 'cyan', busy: true});
		expect(rowStatus(entry({name: 'a'}, 'starting'), undefined)).toEqual({text: 'starting', color: 'yellow', busy: true});
		expect(rowStatus(entry({name: 'a'}, 'healthy'), undefined).text).toBe('● healthy');
		expect(rowStatus(entry({name: 'a'}, 'unhealthy'), undefined).text).toBe('✗ unhealthy');
		expect(rowStatus(entry({name: 'a', state: 'exited', exitCode: 1}, 'stopped'), undefined)).toEqual({text: '■ exited (1)', color: 'red', busy: false});
		expect(rowStatus(entry({name: 'a', state: 'exited', exitCode: 137}, 'stopped'), undefined)).toEqual({text: '■ killed', color: 'gray', busy: false});
		expect(rowStatus(entry({name: 'a', state: 'exited', exitCode: 137, oomKilled: true}, 'stopped'), undefined)).toEqual({
			text: '✗ out of memory',
			color: 'red',
			busy: false,
		});
		expect(rowStatus(entry({name: 'a', state: 'exited', exitCode: 0}, 'stopped'), undefined).text).toBe('■ stopped');
		expect(rowStatus(entry({name: 'a', state: 'created'}, 'stopped'), undefined).text).toBe('■ created');
		expect(rowStatus(entry({name: 'a', state: 'paused'}, 'stopped'), undefined)).toEqual({text: '‖ paused', color: 'yellow', busy: false});
	});
});
