import chalk from 'chalk';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {CdcStatus} from '../../source/core/cdc.js';
import type {Vitals} from '../../source/core/vitals/read-vitals.js';
import {startCdcPoller} from '../../source/store/feeders/cdc-poller.js';
import {selectContainer} from '../../source/store/view-actions.js';
import {DetailsPanel} from '../../source/ui/components/DetailsPanel.js';
import {fakeContainer, renderWith, storeWith} from '../helpers/dashboard.js';
import {frameText, lines, waitForFrame} from '../helpers/ink.js';

const cdc = {user: 'cdc', password: 'secret', publication: 'dbarena_pub'};
const pgStatus = (lagBytes: number | null): CdcStatus => ({
	ready: true,
	settings: {max_replication_slots: '10', max_wal_senders: '10', wal_level: 'logical'},
	slots: [{name: 'debezium', plugin: 'pgoutput', active: true, lagBytes}],
});

describe('DetailsPanel', () => {
	it('shows connection info, image, mode, volume and labels of the selected container', async () => {
		const container = fakeContainer({
			name: 'pg-keep',
			id: 'abcdef0123456789',
			mode: 'persistent',
			volume: 'pg-keep-data',
			labels: {'dbarena.managed': 'true', 'dbarena.database': 'postgres', team: 'billing'},
		});
		const {instance} = await renderWith(<DetailsPanel width={80} height={18} />, storeWith([container]));
		expect(lines(frameText(instance))).toEqual([
			`╭${'─'.repeat(78)}╮`,
			'│ Details · pg-keep                                                            │',
			'│ State     healthy                                                            │',
			'│ User      postgres                                                           │',
			'│ Password  dbarena                                                            │',
			'│ Database  testdb                                                             │',
			'│ Host      127.0.0.1:5432                                                     │',
			'│ Image     127.0.0.1:5000/library/postgres:16-alpine                          │',
			'│ Mode      persistent (data in a named volume, kept after destroy)            │',
			'│ Data from a fresh initialisation                                             │',
			'│ Volume    pg-keep-data                                                       │',
			'│ ID        abcdef012345                                                       │',
			'│ Labels    dbarena.database=postgres                                          │',
			'│           dbarena.managed=true                                               │',
			'│           team=billing                                                       │',
			'│                                                                              │',
			'│                                                                              │',
			`╰${'─'.repeat(78)}╯`,
		]);
	});

	it('on an ssh:// engine host, says where the database listens there', async () => {
		const base = fakeContainer({name: 'far'});
		const container = {...base, connection: {...base.connection!, onEngineHost: 'ssh://me@build-box'}};
		const {instance} = await renderWith(<DetailsPanel width={100} height={10} />, storeWith([container]));
		expect(lines(frameText(instance))[6]).toBe(`│ Host      127.0.0.1:5432 on ssh://me@build-box${' '.repeat(51)}│`);
	});

	// A URL cut inside the box cannot be used, and one wrapped there is copied with the border in it:
	// every URL goes on the full-width line under the panel (UrlLine), where it is whole.
	it('shows no URL inside the box, at any width', async () => {
		for (const width of [40, 50, 64, 100]) {
			const {instance} = await renderWith(<DetailsPanel width={width} height={10} />, storeWith([fakeContainer({name: 'pg'})]));
			const frame = lines(frameText(instance));
			expect(frame.join('\n')).not.toContain('postgresql:');
			expect(frame[3]).toMatch(/^│ User {6}postgres +│$/);
			expect(frame.every(line => line.length === width)).toBe(true);
		}
	});

	it('cuts what does not fit in its height', async () => {
		const {instance} = await renderWith(<DetailsPanel width={80} height={5} />, storeWith([fakeContainer({name: 'pg'})]));
		expect(lines(frameText(instance))).toHaveLength(5);
	});

	it('says when nothing is selected', async () => {
		const {instance} = await renderWith(<DetailsPanel width={40} height={5} />, storeWith([]));
		expect(frameText(instance)).toContain('No container selected.');
	});

	it('says when a container has no published port', async () => {
		const {instance} = await renderWith(<DetailsPanel width={60} height={8} />, storeWith([fakeContainer({name: 'pg', connection: undefined})]));
		expect(frameText(instance)).toContain('Host      - (no published port)');
	});

	it.each([
		['fresh', {}, 'a fresh initialisation'],
		['template', {source: 'template' as const, sourceImage: 'dbarena-template:pg16'}, 'a template (dbarena-template:pg16)'],
		['snapshot', {source: 'snapshot' as const, sourceSnapshot: 'pg-before-migration'}, 'snapshot pg-before-migration'],
		['a reused volume', {source: 'volume' as const, mode: 'persistent' as const, volume: 'pg-data'}, 'volume pg-data (kept from before)'],
	])('says where the data came from (%s)', async (_name, overrides, expected) => {
		const {instance} = await renderWith(<DetailsPanel width={80} height={18} />, storeWith([fakeContainer({name: 'pg', ...overrides})]));
		expect(lines(frameText(instance))).toContain(`│ Data from ${expected.padEnd(67)}│`);
	});

	it.each([
		['fast, fresh', {mode: 'fast' as const}, 'fast (data on disk until destroy, durability off)'],
		['fast, from a template', {mode: 'fast' as const, source: 'template' as const}, 'fast (data on disk until destroy, durability off)'],
		['fast, from a snapshot', {mode: 'fast' as const, source: 'snapshot' as const}, 'fast (data on disk until destroy, durability off)'],
		['durable, from a template', {mode: 'durable' as const, source: 'template' as const}, 'durable (named volume, full durability)'],
	])('says what the mode means for the data (%s)', async (_name, overrides, expected) => {
		const {instance} = await renderWith(<DetailsPanel width={80} height={18} />, storeWith([fakeContainer({name: 'pg', ...overrides})]));
		expect(lines(frameText(instance))).toContain(`│ Mode      ${expected.padEnd(67)}│`);
	});

	it('shows the CDC login and, from the store, the settings and slots the server reports', async () => {
		const store = storeWith([fakeContainer({name: 'pg', cdc, labels: {}})], {cdc: {containerId: 'id-pg', status: pgStatus(2048), error: undefined}});
		const {instance} = await renderWith(<DetailsPanel width={100} height={18} />, store);
		const frame = lines(frameText(instance));
		expect(frame.slice(12, 16)).toEqual([
			'│ CDC       user cdc · password secret · publication dbarena_pub                                   │',
			'│ CDC now   ready · max_replication_slots=10 max_wal_senders=10 wal_level=logical                  │',
			'│ Slots     debezium pgoutput active lag 2048 B                                                    │',
			'│                                                                                                  │',
		]);
	});

	it('says when the CDC settings cannot be read, or are not read yet', async () => {
		const store = storeWith([fakeContainer({name: 'pg', cdc, labels: {}})]);
		const {instance} = await renderWith(<DetailsPanel width={100} height={18} />, store);
		expect(frameText(instance)).toContain("CDC now   reading the server's settings…");
		store.setState({cdc: {containerId: 'id-pg', status: undefined, error: 'connection refused'}});
		await waitForFrame(instance, frame => frame.includes('CDC now   unknown: connection refused'));
		const stopped = storeWith([fakeContainer({name: 'pg', cdc, labels: {}, state: 'exited'})]);
		const rendered = await renderWith(<DetailsPanel width={100} height={18} />, stopped);
		expect(frameText(rendered.instance)).toContain('CDC       user cdc');
		expect(frameText(rendered.instance)).not.toContain('CDC now');
	});

	it('follows the slot lag as the CDC poller refreshes it, for the selected container only', async () => {
		const store = storeWith([fakeContainer({name: 'pg', cdc, labels: {}}), fakeContainer({name: 'plain', labels: {}})]);
		let lag = 0;
		const read = vi.fn(async () => pgStatus(lag));
		const poller = startCdcPoller(store, {read, intervalMs: 20});
		try {
			const {instance} = await renderWith(<DetailsPanel width={100} height={18} />, store);
			await waitForFrame(instance, frame => frame.includes('debezium pgoutput active lag 0 B'));
			lag = 123_456;
			await waitForFrame(instance, frame => frame.includes('debezium pgoutput active lag 123456 B'));
			selectContainer(store, 'id-plain');
			const frame = await waitForFrame(instance, frame => frame.includes('Details · plain'));
			expect(frame).not.toContain('CDC');
			const reads = read.mock.calls.length;
			await new Promise(resolve => setTimeout(resolve, 60));
			expect(read).toHaveBeenCalledTimes(reads);
		} finally {
			poller.stop();
		}
	});

	it('names an out-of-memory kill with the limit, and says what to do', async () => {
		const container = fakeContainer({name: 'pg', state: 'exited', exitCode: 137, oomKilled: true, memoryLimitBytes: 256 * 1024 * 1024});
		const {instance} = await renderWith(<DetailsPanel width={100} height={18} />, storeWith([container]));
		const frame = lines(frameText(instance));
		expect(frame[2]).toBe(`│ State     ${'killed: out of memory (limit 256 MiB)'.padEnd(87)}│`);
		expect(frame.join('\n')).toMatch(/larger --memory/);
	});

	it('says a paused container is paused, and how to resume it', async () => {
		const {instance} = await renderWith(<DetailsPanel width={100} height={18} />, storeWith([fakeContainer({name: 'pg', state: 'paused'})]));
		const frame = frameText(instance);
		expect(frame).toContain('State     paused');
		expect(frame).toContain('Resume it with "dbarena start pg".');
	});

	describe('vitals', () => {
		const level = chalk.level;
		afterEach(() => {
			chalk.level = level;
		});
		const mib = 1024 * 1024;
		const pgVitals = (overrides: Partial<Vitals> = {}): Vitals => ({
			takenAt: 0,
			connections: {active: 2, idle: 3, max: 100},
			commits: 5000,
			cacheHitRatio: 0.9876,
			databaseBytes: 7.5 * mib,
			slots: [
				{name: 'debezium', plugin: 'pgoutput', active: true, retainedWalBytes: 1024, walStatus: 'reserved'},
				{name: 'forgotten', plugin: 'test_decoding', active: false, retainedWalBytes: 48 * mib, walStatus: 'reserved'},
			],
			disk: {path: '/var/lib/postgresql/data', usedBytes: 40 * 1024 * mib, sizeBytes: 100 * 1024 * mib},
			...overrides,
		});
		const vitalsLines = (frame: string) =>
			lines(frame).filter(line => /│ (Sessions|Commits|Size|WAL held|Binlog|GTID|Vitals) /.test(line) || /│ {11}forgotten/.test(line));

		it('shows connections, commits per second, cache, size, disk and the slots with the WAL they hold', async () => {
			const vitals = {containerId: 'id-pg', vitals: pgVitals(), commitsPerSecond: 12.34, error: undefined};
			const {instance} = await renderWith(<DetailsPanel width={100} height={24} />, storeWith([fakeContainer({name: 'pg', labels: {}})], {vitals}));
			expect(vitalsLines(frameText(instance))).toEqual([
				'│ Sessions  2 active · 3 idle · max 100                                                            │',
				'│ Commits   12.3/s · cache hit 98.8%                                                               │',
				'│ Size      7.5 MiB · disk 40% of 100 GiB                                                          │',
				'│ WAL held  debezium · 1.0 KiB · active pgoutput                                                   │',
				'│           forgotten · 48.0 MiB · INACTIVE test_decoding                                          │',
			]);
		});

		it('says "-" for commits per second until there are two samples', async () => {
			const vitals = {containerId: 'id-pg', vitals: pgVitals({slots: []}), commitsPerSecond: null, error: undefined};
			const {instance} = await renderWith(<DetailsPanel width={100} height={24} />, storeWith([fakeContainer({name: 'pg', labels: {}})], {vitals}));
			expect(frameText(instance)).toContain('│ Commits   - /s · cache hit 98.8%');
			expect(frameText(instance)).toContain('│ WAL held  none (no replication slots)');
		});

		it('colours an inactive slot that holds WAL yellow, and red when the disk is nearly full', async () => {
			chalk.level = 1;
			const container = fakeContainer({name: 'pg', labels: {}});
			const view = (vitals: Vitals) => ({containerId: 'id-pg', vitals, commitsPerSecond: 0, error: undefined});
			const {instance} = await renderWith(<DetailsPanel width={100} height={24} />, storeWith([container], {vitals: view(pgVitals())}));
			const yellow = '\u001B[33m';
			const red = '\u001B[31m';
			const rawLine = (name: string) => (instance.lastFrame() ?? '').split('\n').find(line => line.includes(name)) ?? '';
			expect(rawLine('forgotten')).toContain(`${yellow}forgotten · 48.0 MiB · INACTIVE`);
			expect(rawLine('debezium')).not.toContain(yellow);
			const full = await renderWith(
				<DetailsPanel width={100} height={24} />,
				storeWith([container], {vitals: view(pgVitals({disk: {path: '/data', usedBytes: 95, sizeBytes: 100}}))}),
			);
			const fullLine = (full.instance.lastFrame() ?? '').split('\n').find(line => line.includes('forgotten')) ?? '';
			expect(fullLine).toContain(`${red}forgotten · 48.0 MiB · INACTIVE`);
		});

		it('MySQL and MariaDB: the binlog position and size, and the GTID set', async () => {
			const vitals: Vitals = {
				takenAt: 0,
				connections: {active: 1, idle: 0, max: 151},
				commits: 10,
				cacheHitRatio: null,
				databaseBytes: 49_152,
				binlog: {file: 'binlog.000002', position: 1234, gtidSet: '0-1-42', totalBytes: 2234},
			};
			const store = storeWith([fakeContainer({name: 'maria', database: 'mariadb', labels: {}})], {
				vitals: {containerId: 'id-maria', vitals, commitsPerSecond: 0.5, error: undefined},
			});
			const {instance} = await renderWith(<DetailsPanel width={100} height={24} />, store);
			expect(vitalsLines(frameText(instance))).toEqual([
				'│ Sessions  1 active · 0 idle · max 151                                                            │',
				'│ Commits   0.5/s · cache hit -                                                                    │',
				'│ Size      48.0 KiB                                                                               │',
				'│ Binlog    binlog.000002:1234 · 2.2 KiB of binary logs                                            │',
				'│ GTID      0-1-42                                                                                 │',
			]);
			const off = storeWith([fakeContainer({name: 'maria', database: 'mariadb', labels: {}})], {
				vitals: {containerId: 'id-maria', vitals: {...vitals, binlog: null}, commitsPerSecond: 0.5, error: undefined},
			});
			expect(frameText((await renderWith(<DetailsPanel width={100} height={24} />, off)).instance)).toContain('│ Binlog    off (fast mode without --cdc)');
		});

		it('shows a failed sample as "vitals unavailable" with the reason, and nothing for another container', async () => {
			const store = storeWith([fakeContainer({name: 'pg', labels: {}}), fakeContainer({name: 'other', labels: {}})], {
				vitals: {containerId: 'id-pg', vitals: undefined, commitsPerSecond: null, error: 'connection refused'},
			});
			const {instance} = await renderWith(<DetailsPanel width={100} height={24} />, store);
			expect(frameText(instance)).toContain('│ Vitals    vitals unavailable: connection refused');
			selectContainer(store, 'id-other');
			const frame = await waitForFrame(instance, text => text.includes('Details · other'));
			expect(frame).not.toContain('Vitals');
			expect(frame).not.toContain('Sessions');
		});
	});
});
