import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {appendLogLines, resetLogs} from '../../source/store/log-buffer.js';
import {containersOf, deferred, fakeContainer, fakeCore, renderDashboard, storeWith} from '../helpers/dashboard.js';
import {frameText, keys, lines, press, waitForFrame, type InkInstance} from '../helpers/ink.js';

beforeEach(() => {
	vi.useFakeTimers({toFake: ['Date']});
	vi.setSystemTime(new Date('2026-01-01T10:05:00Z'));
});

afterEach(() => {
	vi.useRealTimers();
});

const numbered = (from: number, count: number) => Array.from({length: count}, (_, index) => `log line ${from + index}`);

/** Three containers, the first selected, with 60 log lines for it. */
function fullStore() {
	const store = storeWith([
		fakeContainer({name: 'alpha', createdAt: new Date(1)}),
		fakeContainer({name: 'bravo', createdAt: new Date(2), database: 'mysql', version: '8.4', hostPort: 3306, state: 'exited', exitCode: 0}),
		fakeContainer({name: 'charlie', createdAt: new Date(3), hostPort: 5433, mode: 'persistent', volume: 'charlie-data'}),
	]);
	resetLogs(store, 'id-alpha');
	appendLogLines(store, 'id-alpha', numbered(1, 60));
	return store;
}

const selectedRow = (frame: string) => /› (\w+)/.exec(frame)?.[1];
/** The status line's second line: the last message. */
const statusLine = (frame: string) => lines(frame).at(-2) ?? '';
/** The input listeners go away when the app exits. */
const exited = (instance: InkInstance) => instance.stdin.listenerCount('readable') === 0;

// Some tests press twenty keys; each waits for its frame, which takes longer on a loaded machine.
describe('the dashboard', {timeout: 30_000}, () => {
	it('fills the terminal: header, table, details and logs, status and keys', async () => {
		const {instance} = await renderDashboard(fullStore());
		const frame = lines(frameText(instance));
		// ink-testing-library's terminal is 100 columns; 24 rows is the fallback height; one line is
		// left free so Ink can rewrite changed lines instead of clearing the screen.
		expect(frame).toHaveLength(23);
		expect(frame[0]).toBe(`dbarena${' '.repeat(79)}all containers`);
		expect(frame[3]).toMatch(/^│› alpha +postgres +16 +● healthy +5432 +4m +… … +│$/);
		expect(frame[4]).toMatch(/^│ {2}bravo +mysql +8\.4 +■ stopped +3306 +- +- - +│$/);
		expect(frame[8]).toMatch(/^│ Details · alpha +││ Logs · alpha · following +│$/);
		expect(frame[17]).toMatch(/log line 60 +│$/);
		expect(frame[19]).toBe('  URL       postgresql://postgres:dbarena@127.0.0.1:5432/testdb  y copies it');
		expect(frame[20]).toBe('● connected unix:///var/run/docker.sock · 2 running · 1 stopped');
		expect(frame[21]).toBe('');
		expect(frame[22]).toBe('↑↓ select  enter details  c create  s start/stop  r restart  R reset  S snapshot  d destroy  l logs…');
	});

	it('↓ ↑ j k move the selection', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, keys.down, frame => selectedRow(frame) === 'bravo');
		await press(instance, 'j', frame => selectedRow(frame) === 'charlie');
		await press(instance, 'k', frame => selectedRow(frame) === 'bravo');
		await press(instance, keys.up, frame => selectedRow(frame) === 'alpha');
	});

	it('enter hides and shows the details panel', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, keys.enter, frame => !frame.includes('Details ·') && frame.includes('│ Logs · alpha'));
		await press(instance, keys.enter, frame => frame.includes('Details · alpha'));
	});

	it('c opens the form; enter creates in the background while the screen stays live', async () => {
		const gate = deferred<void>();
		const store = fullStore();
		const core = fakeCore({}, containersOf(store));
		const create = core.create.getMockImplementation()!;
		core.create.mockImplementation(async (options, operation) => {
			operation?.onProgress?.({type: 'pull-start', image: 'postgres'});
			await gate.promise;
			return create(options, operation);
		});
		const {instance} = await renderDashboard(store, core);
		await press(instance, 'c', frame => frame.includes('Create a database'));
		await press(instance, keys.down, frame => frame.includes('› Version'));
		await press(instance, keys.left, frame => frame.includes('‹ 17 ›'));
		await press(instance, keys.down);
		await press(instance, keys.down, frame => frame.includes('› Name'));
		for (const character of 'newdb') await press(instance, character);
		const busy = await press(instance, keys.enter, frame => frame.includes('Creating newdb: Image postgres not cached, pulling...'));
		// The row is there with its progress, and the rest of the screen still works.
		expect(busy).toMatch(/newdb +postgres +17 +. Image postgres not cached, pulling\.\.\./);
		await press(instance, keys.down, frame => selectedRow(frame) === 'bravo');
		gate.resolve();
		await press(instance, keys.down, frame => frame.includes('newdb is ready (1.5 s): postgresql://postgres:dbarena@127.0.0.1:5440/testdb'));
		expect(core.plan.mock.calls[0]?.[0]).toEqual({database: 'postgres', version: '17', mode: 'fast', name: 'newdb'});
		// The plan the form's options made is the one created: nothing is planned twice.
		expect(core.create.mock.calls[0]?.[0]).toBe(core.plan.mock.results[0]?.value);
	});

	it('c then esc closes the form without creating', async () => {
		const {instance, core} = await renderDashboard(fullStore());
		await press(instance, 'c', frame => frame.includes('Create a database'));
		await press(instance, keys.escape, frame => frame.includes('Details · alpha'));
		expect(core.create).not.toHaveBeenCalled();
	});

	it('s stops a running container and starts a stopped one', async () => {
		const {instance, core} = await renderDashboard(fullStore());
		await press(instance, 's', frame => statusLine(frame).includes('Stopped alpha'));
		expect(core.stop).toHaveBeenCalledWith('alpha');
		await press(instance, 'j', frame => selectedRow(frame) === 'bravo');
		await press(instance, 's', frame => statusLine(frame).includes('Started bravo, ready in 0.8 s'));
	});

	it('r restarts, and says so when the container is not running', async () => {
		const {instance, core} = await renderDashboard(fullStore());
		await press(instance, 'r', frame => statusLine(frame).includes('Restarted alpha, ready in 0.7 s'));
		expect(core.restart).toHaveBeenCalledTimes(1);
		await press(instance, 'j', frame => selectedRow(frame) === 'bravo');
		await press(instance, 'r', frame => statusLine(frame).includes('bravo is not running; press s to start it'));
	});

	it('d asks, y destroys', async () => {
		const {instance, core} = await renderDashboard(fullStore());
		await press(instance, 'd', frame => frame.includes('Destroy alpha?'));
		await press(instance, 'y', frame => statusLine(frame).includes('Destroyed alpha'));
		expect(core.destroy).toHaveBeenCalledWith('alpha', {});
	});

	it('d on a container with a volume asks about the volume separately', async () => {
		const {instance, core} = await renderDashboard(fullStore());
		await press(instance, 'j');
		await press(instance, 'j', frame => selectedRow(frame) === 'charlie');
		await press(instance, 'd', frame => frame.includes('Its data is in volume charlie-data'));
		await press(instance, 'y', frame => frame.includes('Also remove volume charlie-data?'));
		await press(instance, 'y', frame => statusLine(frame).includes('Destroyed charlie'));
		expect(core.destroy).toHaveBeenCalledWith('charlie', {removeVolume: true, confirmVolumeRemoval: true});
	});

	it('R asks before resetting; y resets in the background and reports in the status line', async () => {
		const {instance, core} = await renderDashboard(fullStore());
		await press(instance, 'R', frame => frame.includes('Reset alpha?') && frame.includes('y  recreate    d  data only'));
		expect(core.reset).not.toHaveBeenCalled();
		const frame = await press(instance, 'y', frame => statusLine(frame).includes('Reset alpha: fresh data, ready in 0.9 s'));
		expect(selectedRow(frame)).toBe('alpha');
		expect(core.reset).toHaveBeenCalledTimes(1);
		expect(core.reset.mock.calls[0]![1]).not.toHaveProperty('confirmVolumeRemoval');
	});

	it('R on a container with a volume says its data will be deleted, and only y confirms that', async () => {
		const gate = deferred<void>();
		const store = fullStore();
		const known = containersOf(store);
		const core = fakeCore(
			{
				async reset(name) {
					await gate.promise;
					const container = {...known.find(container => container.name === name)!, id: 'id-charlie-2'};
					const created = {container, connection: container.connection!, pulled: false, readyMs: 1100, totalMs: 1500, volumeReused: false};
					return {...created, droppedSlots: [], walPosition: null};
				},
			},
			known,
		);
		const {instance} = await renderDashboard(store, core);
		await press(instance, 'j');
		await press(instance, 'j', frame => selectedRow(frame) === 'charlie');
		await press(instance, 'R', frame => frame.includes('Reset charlie?'));
		expect(frameText(instance)).toContain('Its data is in volume charlie-data: resetting deletes that data for good');
		await press(instance, 'n', frame => statusLine(frame).includes('Kept charlie as it is'));
		await press(instance, 'R', frame => frame.includes('Reset charlie?'));
		await press(
			instance,
			'y',
			frame => statusLine(frame).includes('Resetting charlie (deleting the data in volume charlie-data)…') && frame.includes('resetting'),
		);
		expect(core.reset).toHaveBeenCalledWith('charlie', expect.objectContaining({confirmVolumeRemoval: true}));
		gate.resolve();
		const frame = await waitForFrame(instance, frame => statusLine(frame).includes('Reset charlie: fresh data, ready in 1.1 s'));
		expect(selectedRow(frame)).toBe('charlie');
	});

	it('S takes a snapshot of a running container; on a stopped one it says it does not apply', async () => {
		const {instance, core} = await renderDashboard(fullStore());
		await press(instance, 'S', frame => statusLine(frame).includes('Snapshot alpha-20260101-100500 taken in 2.3 s'));
		expect(core.snapshot).toHaveBeenCalledWith('alpha');
		await press(instance, 'j', frame => selectedRow(frame) === 'bravo');
		await press(instance, 'S', frame => statusLine(frame).includes('S does not apply: bravo is not running'));
		expect(core.snapshot).toHaveBeenCalledTimes(1);
	});

	it('c with CDC on passes cdc: true to the create', async () => {
		const {instance, core, operations} = await renderDashboard(fullStore());
		await press(instance, 'c', frame => frame.includes('Create a database'));
		for (let index = 0; index < 5; index++) await press(instance, keys.down);
		await press(instance, ' ', frame => frame.includes('‹ on ›'));
		await press(instance, keys.enter, frame => !frame.includes('Create a database'));
		await operations.settled();
		expect(core.create).toHaveBeenCalledWith(expect.objectContaining({preset: expect.objectContaining({kind: 'postgres'}), cdc: true}), expect.anything());
	});

	it('l focuses the logs: ↑↓ j k PgUp PgDn g G Home End scroll, p pauses, esc and l go back', async () => {
		const {instance, store} = await renderDashboard(fullStore());
		await press(instance, 'l', frame => frame.includes('▶ Logs · alpha') && statusLine(frame).startsWith('Logs: ↑↓ j k scroll'));
		const bottom = () => lines(frameText(instance))[17] ?? '';
		await press(instance, keys.up, () => bottom().includes('log line 59'));
		await press(instance, 'k', () => bottom().includes('log line 58'));
		await press(instance, keys.down, () => bottom().includes('log line 59'));
		await press(instance, 'j', () => bottom().includes('log line 60'));
		// A page is the pane's height (9 lines here) less one line of overlap.
		await press(instance, keys.pageUp, () => bottom().includes('log line 52'));
		await press(instance, keys.pageDown, () => bottom().includes('log line 60'));
		await press(instance, 'g', () => /log line 9 /.test(bottom()));
		await press(instance, 'G', () => bottom().includes('log line 60') && frameText(instance).includes('following'));
		await press(instance, keys.home, () => /log line 9 /.test(bottom()));
		await press(instance, keys.end, () => bottom().includes('log line 60'));
		await press(instance, 'p', frame => frame.includes('Logs paused: p or End follows again'));
		appendLogLines(store, 'id-alpha', ['log line 61']);
		await press(instance, keys.up, frame => frame.includes('2 new below'));
		await press(instance, 'p', frame => frame.includes('Following the logs') && bottom().includes('log line 61'));
		await press(instance, keys.escape, frame => !frame.includes('▶ Logs'));
		expect(store.getState().focus).toBe('table');
		await press(instance, 'l', frame => frame.includes('▶ Logs'));
		await press(instance, 'l', frame => !frame.includes('▶ Logs'));
		await press(instance, keys.tab, frame => frame.includes('▶ Logs'));
	});

	it('PgUp and PgDn scroll the logs from the table too', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, keys.pageUp, frame => frame.includes('paused'));
		await press(instance, keys.pageDown, frame => frame.includes('following'));
	});

	// A URL inside a box is either cut or wrapped with the border in it; a mouse copies neither as a working URL.
	it.each([
		[80, 24],
		[100, 24],
		[120, 40],
	])('shows the selected URL whole, on a line of its own under the details and logs, at %ix%i', async (columns, rows) => {
		const {instance} = await renderDashboard(fullStore());
		Object.defineProperty(instance.stdout, 'rows', {value: rows, configurable: true});
		Object.defineProperty(instance.stdout, 'columns', {value: columns, configurable: true});
		instance.stdout.emit('resize');
		const frame = lines(await waitForFrame(instance, text => lines(text).length === rows - 1 && lines(text)[0]!.length === columns));
		const url = 'postgresql://postgres:dbarena@127.0.0.1:5432/testdb';
		// Under the bottom border of the two panes, above the status line, aligned with the details' values.
		expect(frame.at(-5)).toMatch(/^╰─+╯╰─+╯$/);
		expect(frame.at(-4)).toBe(`  URL       ${url}  y copies it`);
		expect(frame.at(-3)).toMatch(/^● connected/);
		expect(frame.filter(line => line.includes('postgresql://'))).toHaveLength(1);
		// The logs gave the line up: the page still ends with the newest line.
		expect(frame.at(-6)).toMatch(/log line 60 +│$/);
		await press(instance, keys.enter, text => !text.includes('Details ·'));
		expect(frameText(instance)).not.toContain('postgresql://');
	});

	it('u shows the connection URL in the status line', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, 'u', frame => statusLine(frame) === 'postgresql://postgres:dbarena@127.0.0.1:5432/testdb');
	});

	it('a switches between all containers and running ones', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, 'a', frame => frame.includes('running containers only') && !frame.includes('bravo'));
		await press(instance, 'a', frame => frame.includes('all containers') && frame.includes('bravo'));
	});

	it('/ filters as typed; enter keeps the filter, esc clears it', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, '/', frame => statusLine(frame).startsWith('/ '));
		await press(instance, 'm', frame => !/│[› ] alpha/.test(frame));
		await press(instance, 'y', frame => frame.includes('› bravo') && !frame.includes('charlie'));
		await press(instance, keys.backspace, frame => statusLine(frame).startsWith('/ m '));
		await press(instance, keys.enter, frame => lines(frame).at(-3)!.includes('filter "m" 1/3'));
		// With the prompt closed, letters are keys again.
		await press(instance, '/', frame => statusLine(frame).startsWith('/ m'));
		await press(instance, keys.escape, frame => /│[› ] alpha/.test(frame) && frame.includes('charlie'));
	});

	it('? opens the help and ? closes it', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, '?', frame => frame.includes('Keys  (? esc q close)'));
		await press(instance, '?', frame => frame.includes('Details · alpha'));
	});

	it('takes keys typed faster than a frame one by one', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, 'jj', frame => selectedRow(frame) === 'charlie');
		await press(instance, '/', frame => statusLine(frame).startsWith('/ '));
		await press(instance, 'my\r', frame => lines(frame).at(-3)!.includes('filter "my" 1/3'));
	});

	it('keys typed ahead in one chunk go where they were meant: into the prompt it opens, and to the table after enter closes it', async () => {
		const {instance} = await renderDashboard(fullStore());
		// "/my" then enter then "a" (all containers vs running ones), as a paste or tmux sends them.
		// The filter is "my" (not "mya"), and the a was the table's: only bravo matched, and it is not running.
		await press(instance, '/my\ra', frame => frame.includes('Nothing matches "my"') && frame.includes('running containers only'));
	});

	it('says so when a key does nothing', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, 'x', frame => statusLine(frame).includes('"x" does nothing here; press ? for the keys'));
	});

	it('says so when a key needs a container and none is selected', async () => {
		const {instance} = await renderDashboard(storeWith([]));
		await press(instance, 's', frame => statusLine(frame).includes('No containers yet — press c to create one'));
		await press(instance, 'l', frame => statusLine(frame).includes('No container selected, so there are no logs to focus'));
		await press(instance, 'p', frame => statusLine(frame).includes('No logs to pause: select a container first'));
	});

	it('q quits', async () => {
		const {instance} = await renderDashboard(fullStore());
		instance.stdin.write('q');
		await vi.waitFor(() => {
			expect(exited(instance)).toBe(true);
		});
	});

	it('Ctrl-C quits, even from the create form', async () => {
		const {instance} = await renderDashboard(fullStore());
		await press(instance, 'c', frame => frame.includes('Create a database'));
		instance.stdin.write(keys.ctrlC);
		await vi.waitFor(() => {
			expect(exited(instance)).toBe(true);
		});
	});

	it('lays itself out again when the terminal is resized', async () => {
		const {instance} = await renderDashboard(fullStore());
		Object.defineProperty(instance.stdout, 'rows', {value: 40, configurable: true});
		Object.defineProperty(instance.stdout, 'columns', {value: 120, configurable: true});
		instance.stdout.emit('resize');
		const frame = await press(instance, '', text => lines(text).length === 39);
		expect(lines(frame)[0]).toBe(`dbarena${' '.repeat(99)}all containers`);
		expect(lines(frame)[36]).toBe('● connected unix:///var/run/docker.sock · 2 running · 1 stopped');
	});

	it('shows a failed operation in the status line and keeps running', async () => {
		const store = fullStore();
		const core = fakeCore({stop: vi.fn(async () => Promise.reject(new Error('Docker is not reachable at unix:///var/run/docker.sock')))}, containersOf(store));
		const {instance} = await renderDashboard(store, core);
		await press(instance, 's', frame => statusLine(frame) === 'Docker is not reachable at unix:///var/run/docker.sock');
		await press(instance, 'j', frame => selectedRow(frame) === 'bravo');
	});

	it('tells the store how many table rows fit, so only those rows are sampled', async () => {
		const many = Array.from({length: 20}, (_, index) => fakeContainer({name: `db${String(index + 1).padStart(2, '0')}`, createdAt: new Date(index)}));
		const {instance, store} = await renderDashboard(storeWith(many));
		// 24 rows: 23 drawn, 19 between header and status; the table gets 40 % of them less its chrome.
		const drawn = lines(frameText(instance)).filter(line => /^│[› ] db\d\d /.test(line));
		expect(drawn).toHaveLength(4);
		expect(store.getState().tableRows).toBe(4);
	});
});
