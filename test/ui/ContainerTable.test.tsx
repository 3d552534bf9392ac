import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {ContainerTable} from '../../source/ui/components/ContainerTable.js';
import {fakeContainer, renderWith, storeWith} from '../helpers/dashboard.js';
import {frameText, lines, waitForFrame} from '../helpers/ink.js';

const mib = 1024 * 1024;

beforeEach(() => {
	// Only the clock the uptime column reads; timers stay real so frames can be awaited.
	vi.useFakeTimers({toFake: ['Date']});
	vi.setSystemTime(new Date('2026-01-01T10:05:00Z'));
});

afterEach(() => {
	vi.useRealTimers();
});

const containers = [
	fakeContainer({name: 'pg-main', createdAt: new Date(1)}),
	fakeContainer({name: 'maria', database: 'mariadb', version: '10.11', createdAt: new Date(2), hostPort: 3306, state: 'exited', exitCode: 1}),
	fakeContainer({name: 'pg-stopped', createdAt: new Date(3), hostPort: 5433, state: 'exited', exitCode: 0}),
	fakeContainer({name: 'pg-new', createdAt: new Date(4), hostPort: 5434, startedAt: new Date('2026-01-01T10:04:48Z')}),
];

describe('ContainerTable', () => {
	it('draws every column, the selected row marked', async () => {
		const store = storeWith(containers, {
			stats: {'id-pg-main': {cpuPercent: 1.234, memoryUsedBytes: 45.2 * mib, memoryLimitBytes: 256 * mib}},
		});
		store.setState(state => ({containers: {...state.containers, 'id-pg-new': {...state.containers['id-pg-new']!, health: 'starting'}}}));
		const {instance} = await renderWith(<ContainerTable width={100} rows={4} />, store);
		const frame = lines(frameText(instance));
		expect(frame[0]).toBe(`╭${'─'.repeat(98)}╮`);
		expect(frame[1]).toBe('│  NAME              DATABASE  VERSION STATUS              PORT  UPTIME    CPU MEMORY              │');
		expect(frame[2]).toBe('│› pg-main           postgres  16      ● healthy           5432      4m   1.2% 45.2 MiB / 256 MiB  │');
		expect(frame[3]).toBe('│  maria             mariadb   10.11   ■ exited (1)        3306       -      - -                   │');
		expect(frame[4]).toBe('│  pg-stopped        postgres  16      ■ stopped           5433       -      - -                   │');
		// A starting row has a spinner; a running one without a sample yet shows "…".
		expect(frame[5]).toMatch(/^│ {2}pg-new {12}postgres {2}16 {6}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] starting {10}5434 {5}12s {6}… … {19}│$/);
		expect(frame[6]).toMatch(/^╰─+╯$/);
	});

	it('animates the spinner of a starting row', async () => {
		const store = storeWith([containers[0]!]);
		store.setState(state => ({containers: {'id-pg-main': {...state.containers['id-pg-main']!, health: 'starting'}}}));
		const {instance} = await renderWith(<ContainerTable width={100} rows={1} />, store);
		const first = frameText(instance);
		await waitForFrame(instance, frame => frame !== first && frame.includes('starting'));
	});

	it('shows an operation in progress instead of the health', async () => {
		const store = storeWith([containers[0]!], {operations: {'pg-main': 'restarting'}});
		const {instance} = await renderWith(<ContainerTable width={100} rows={1} />, store);
		expect(lines(frameText(instance))[2]).toMatch(/^│› pg-main {11}postgres {2}16 {6}. restarting /);
	});

	it('shows a create whose container does not exist yet as a row of its own, its progress over the empty columns', async () => {
		const store = storeWith([containers[0]!], {
			creates: {fresh: {name: 'fresh', database: 'postgres', version: '17', phase: 'Waiting for healthy... (12.3s)'}},
		});
		const {instance} = await renderWith(<ContainerTable width={100} rows={2} />, store);
		const row = lines(frameText(instance))[3]!;
		expect(row).toMatch(/^│ {2}fresh {13}postgres {2}17 {6}. Waiting for healthy\.\.\. \(12\.3s\) +│$/);
		expect(row).toHaveLength(lines(frameText(instance))[2]!.length);
	});

	it('shows a marked unhealthy container', async () => {
		const store = storeWith([containers[0]!]);
		store.setState(state => ({containers: {'id-pg-main': {...state.containers['id-pg-main']!, health: 'unhealthy'}}}));
		const {instance} = await renderWith(<ContainerTable width={100} rows={1} />, store);
		expect(frameText(instance)).toContain('✗ unhealthy');
	});

	it('drops the least important columns when narrow', async () => {
		const {instance} = await renderWith(<ContainerTable width={60} rows={1} />, storeWith([containers[0]!]));
		expect(lines(frameText(instance))[1]).toBe('│  NAME                 DATABASE  STATUS              PORT │');
	});

	it('scrolls to keep the selection visible when rows do not fit', async () => {
		const store = storeWith(containers, {selectedId: 'id-pg-new'});
		const {instance} = await renderWith(<ContainerTable width={100} rows={2} />, store);
		const frame = frameText(instance);
		expect(frame).toContain('› pg-new');
		expect(frame).not.toContain('pg-main');
	});

	it('says what to do when there is nothing to show', async () => {
		const empty = await renderWith(<ContainerTable width={100} rows={1} />, storeWith([]));
		expect(frameText(empty.instance)).toContain('No dbarena containers yet. Press c to create one.');
		const filtered = await renderWith(<ContainerTable width={100} rows={1} />, storeWith(containers, {filter: 'zzz'}));
		expect(frameText(filtered.instance)).toContain('Nothing matches "zzz". Press / to change the filter.');
		const running = await renderWith(<ContainerTable width={100} rows={1} />, storeWith([containers[1]!], {showAll: false}));
		expect(frameText(running.instance)).toContain('No running containers. Press a to show all.');
	});

	it('marks rows whose data came from a template or a snapshot, keeping the columns in place', async () => {
		const store = storeWith([
			fakeContainer({name: 'tpl-db', createdAt: new Date(1), source: 'template'}),
			fakeContainer({name: 'snap-db', createdAt: new Date(2), source: 'snapshot', hostPort: 5433}),
			// The name matters more: no room for both, no marker.
			fakeContainer({name: 'a-long-snapshot-name', createdAt: new Date(3), source: 'snapshot', hostPort: 5434}),
		]);
		const {instance} = await renderWith(<ContainerTable width={100} rows={3} />, store);
		const frame = lines(frameText(instance));
		expect(frame[2]).toMatch(/^│› tpl-db ·tpl +postgres/);
		expect(frame[3]).toMatch(/^│ {2}snap-db ·snap +postgres/);
		expect(frame[4]).toMatch(/^│ {2}a-long-snapshot-… postgres/);
		// Every row's DATABASE column starts where the title does.
		const column = frame[1]!.indexOf('DATABASE');
		for (const row of frame.slice(2, 5)) expect(row.indexOf('postgres')).toBe(column);
	});

	it('repaints a row when its stats change', async () => {
		const store = storeWith([containers[0]!]);
		const {instance} = await renderWith(<ContainerTable width={100} rows={1} />, store);
		store.setState({stats: {'id-pg-main': {cpuPercent: 150, memoryUsedBytes: 1.5 * 1024 * mib, memoryLimitBytes: 2 * 1024 * mib}}});
		await waitForFrame(instance, frame => frame.includes('150% 1.5 GiB / 2.0 GiB'));
	});
});
