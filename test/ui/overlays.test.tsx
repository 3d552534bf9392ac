import {homedir} from 'node:os';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import type {CreateOptions} from '../../source/core/create/plan.js';
import {ConfirmDestroy} from '../../source/ui/components/ConfirmDestroy.js';
import {ConfirmReset} from '../../source/ui/components/ConfirmReset.js';
import {CreateForm} from '../../source/ui/components/CreateForm.js';
import {HelpOverlay, helpColumns} from '../../source/ui/components/HelpOverlay.js';
import {keyBindings} from '../../source/ui/keymap.js';
import {dashboardLayout, tableChrome} from '../../source/ui/layout.js';
import {useDashboard} from '../../source/ui/hooks/use-dashboard.js';
import {createFormReducer, formToOptions, initialFormState} from '../../source/ui/hooks/use-create-form.js';
import {fakeContainer, fakeCore, renderWith, storeWith} from '../helpers/dashboard.js';
import {frameText, keys, lines, press, settle, waitForFrame} from '../helpers/ink.js';

describe('HelpOverlay', () => {
	it('lists every key', async () => {
		const store = storeWith([], {overlay: {kind: 'help'}});
		const {instance} = await renderWith(<HelpOverlay width={100} height={keyBindings.length + 3} />, store);
		const frame = frameText(instance);
		expect(lines(frame)[1]).toBe('│ Keys  (? esc q close)                                                                            │');
		for (const binding of keyBindings) expect(frame).toContain(`${binding.keys}`);
		expect(frame).toContain('d              destroy it (asks first; removing its volume is a second choice)');
		expect(frame).toContain('R              reset it: y recreates it, d resets only the data (asks first)');
		expect(frame).toContain('S              take a snapshot of the selected running container');
		expect(frame).toContain("e              open the database's own client (psql, mysql); quit it to come back");
		expect(frame).toContain('y              copy the connection URL to the clipboard (OSC 52; inside tmux, its buffer too)');
	});

	it('shows every key on an 80×24 terminal, in the space the dashboard gives it', async () => {
		const layout = dashboardLayout({columns: 80, rows: 24, rowCount: 3, showDetails: true});
		const height = layout.tableRows + tableChrome + layout.bottomHeight;
		const store = storeWith([], {overlay: {kind: 'help'}});
		const {instance} = await renderWith(<HelpOverlay width={80} height={height} />, store);
		const frame = lines(frameText(instance));
		expect(frame).toHaveLength(height);
		for (const line of frame) expect(line.length).toBeLessThanOrEqual(80);
		// Each key at the head of its column, padded as the overlay pads it.
		const keysWidth = Math.max(...keyBindings.map(binding => binding.keys.length)) + 2;
		for (const binding of keyBindings) expect(frame.join('\n'), binding.keys).toContain(binding.keys.padEnd(keysWidth));
	});

	it('shows every key in two columns when one does not fit the height', async () => {
		expect(helpColumns(17, 20)).toEqual({columns: 1, rows: 17});
		expect(helpColumns(17, 19)).toEqual({columns: 2, rows: 9});
		const store = storeWith([], {overlay: {kind: 'help'}});
		const {instance} = await renderWith(<HelpOverlay width={80} height={12} />, store);
		const frame = lines(frameText(instance));
		expect(frame).toHaveLength(12);
		for (const binding of keyBindings) expect(frame.join('\n')).toContain(binding.keys);
		// The columns share a row: the first key of each.
		const {rows} = helpColumns(keyBindings.length, 12);
		expect(frame[2]).toContain(keyBindings[0]!.keys);
		expect(frame[2]).toContain(keyBindings[rows]!.keys);
	});

	it.each([
		['?', '?'],
		['esc', keys.escape],
		['q', 'q'],
	])('closes with %s', async (_name, input) => {
		const store = storeWith([], {overlay: {kind: 'help'}});
		const {instance} = await renderWith(<HelpOverlay width={100} height={20} />, store);
		instance.stdin.write(input);
		await vi.waitFor(() => {
			expect(store.getState().overlay).toBeUndefined();
		});
	});
});

describe('the create form state', () => {
	it('cycles choices, resets the version for another database, and edits text fields', () => {
		let state = initialFormState();
		expect(state).toMatchObject({database: 'postgres', version: '18', mode: 'fast'});
		state = createFormReducer(state, {type: 'cycle', delta: 1});
		expect(state).toMatchObject({database: 'mysql', version: '8.4'});
		state = createFormReducer(state, {type: 'cycle', delta: -2});
		expect(state.database).toBe('sqlserver');
		state = createFormReducer(state, {type: 'move', delta: 3});
		expect(state.field).toBe('name');
		for (const text of ['a', 'b', ' ', '/', 'c']) state = createFormReducer(state, {type: 'type', text});
		expect(state.name).toBe('abc');
		state = createFormReducer(state, {type: 'erase'});
		state = createFormReducer(state, {type: 'move', delta: 1});
		for (const text of ['5', 'x', '4', '3', '3', '3', '3']) state = createFormReducer(state, {type: 'type', text});
		expect(state).toMatchObject({name: 'ab', port: '54333'});
		state = createFormReducer(state, {type: 'move', delta: 1});
		expect(state.field).toBe('cdc');
		state = createFormReducer(state, {type: 'cycle', delta: 1});
		expect(state.cdc).toBe(true);
		state = createFormReducer(state, {type: 'cycle', delta: -1});
		expect(state.cdc).toBe(false);
		state = createFormReducer(state, {type: 'move', delta: 1});
		expect(state.field).toBe('init');
		// Paths may hold spaces and anything else a file name can.
		for (const text of ['./my seed/', ',', ' b.sql', 'x']) state = createFormReducer(state, {type: 'type', text});
		state = createFormReducer(state, {type: 'erase'});
		// Control characters are no part of a path typed here.
		for (const text of ['\u007F', '\t', '\u0000']) state = createFormReducer(state, {type: 'type', text});
		expect(state.init).toBe('./my seed/, b.sql');
		state = createFormReducer(state, {type: 'move', delta: 1});
		expect(state.field).toBe('database');
	});

	it('init paths: separated by commas, trimmed, empty ones dropped, ~/ is the home folder (no shell expands it here)', () => {
		expect(formToOptions({...initialFormState(), init: ' ./db/schema.sql, ./db/seed/ ,, '})).toEqual({
			database: 'postgres',
			version: '18',
			mode: 'fast',
			init: ['./db/schema.sql', './db/seed/'],
		});
		expect(formToOptions({...initialFormState(), init: '~/seed.sql'}).init).toEqual([path.join(homedir(), 'seed.sql')]);
		expect(formToOptions({...initialFormState(), init: ' , '})).not.toHaveProperty('init');
	});

	it('turns into create options, values as typed (the core checks them)', () => {
		expect(formToOptions(initialFormState())).toEqual({database: 'postgres', version: '18', mode: 'fast'});
		expect(formToOptions({...initialFormState(), name: 'x', port: '6000'})).toEqual({
			database: 'postgres',
			version: '18',
			mode: 'fast',
			name: 'x',
			port: '6000',
		});
		expect(formToOptions({...initialFormState(), cdc: true})).toEqual({database: 'postgres', version: '18', mode: 'fast', cdc: true});
		expect(formToOptions({...initialFormState(), port: '70000'})).toMatchObject({port: '70000'});
	});
});

describe('CreateForm', () => {
	async function renderForm(onSubmit: (options: CreateOptions) => string | undefined = () => undefined) {
		const submit = vi.fn(onSubmit);
		const cancel = vi.fn();
		const rendered = await renderWith(<CreateForm width={100} height={10} onSubmit={submit} onCancel={cancel} />, storeWith([]));
		return {...rendered, submit, cancel};
	}

	it('shows every field with its choices', async () => {
		const {instance} = await renderForm();
		expect(lines(frameText(instance))).toEqual([
			`╭${'─'.repeat(98)}╮`,
			'│ Create a database  ↑↓ field · ←→ choose · enter create · esc cancel                              │',
			'│ › Database ‹ postgres ›    PostgreSQL · MySQL · MariaDB · SQL Server                             │',
			'│   Version  ‹ 18 ›          14 15 16 17 18                                                        │',
			'│   Mode     ‹ fast ›        on disk, gone with the container; durability off: for tests           │',
			'│   Name                     optional: a name is generated                                         │',
			'│   Port                     optional: 5432 if free, else the next free port                       │',
			'│   CDC      ‹ off ›         on: ready for a CDC connector (Debezium)                              │',
			'│   Init                     optional: .sql, .sql.gz, .sh, -Fc dumps or folders; commas between    │',
			`╰${'─'.repeat(98)}╯`,
		]);
	});

	it('is driven by the keys and submits what it shows', async () => {
		const {instance, submit} = await renderForm();
		await press(instance, keys.right, frame => frame.includes('‹ mysql ›'));
		await press(instance, keys.left, frame => frame.includes('‹ postgres ›'));
		await press(instance, keys.down, frame => frame.includes('› Version'));
		await press(instance, keys.left, frame => frame.includes('‹ 17 ›'));
		await press(instance, keys.left, frame => frame.includes('‹ 16 ›'));
		await press(instance, keys.tab, frame => frame.includes('› Mode'));
		await press(instance, ' ', frame => frame.includes('‹ persistent ›'));
		await press(instance, keys.down, frame => frame.includes('› Name'));
		for (const character of 'my-db') await press(instance, character);
		await press(instance, keys.backspace, frame => frame.includes('my-d▏'));
		await press(instance, keys.down, frame => frame.includes('› Port'));
		await press(instance, '6', frame => frame.includes('6▏'));
		await press(instance, keys.up, frame => frame.includes('› Name'));
		instance.stdin.write(keys.enter);
		await vi.waitFor(() => {
			expect(submit).toHaveBeenCalledWith({database: 'postgres', version: '16', mode: 'persistent', name: 'my-d', port: '6'});
		});
	});

	it('submits what was typed just before enter, even in the same chunk (a paste, fast typing)', async () => {
		const {instance, submit} = await renderForm();
		await press(instance, keys.down);
		await press(instance, keys.down);
		await press(instance, keys.down, frame => frame.includes('› Name'));
		instance.stdin.write(`pasted-name${keys.enter}`);
		await vi.waitFor(() => {
			expect(submit).toHaveBeenCalledWith(expect.objectContaining({name: 'pasted-name'}));
		});
	});

	it('CDC is off unless chosen; space or ←→ turn it on', async () => {
		const {instance, submit} = await renderForm();
		await press(instance, keys.up, frame => frame.includes('› Init'));
		await press(instance, keys.up, frame => frame.includes('› CDC      ‹ off ›'));
		await press(instance, keys.right, frame => frame.includes('› CDC      ‹ on ›') && frame.includes('change data capture'));
		instance.stdin.write(keys.enter);
		await vi.waitFor(() => {
			expect(submit).toHaveBeenCalledWith({database: 'postgres', version: '18', mode: 'fast', cdc: true});
		});
	});

	it('init: the paths typed go to the create, and a long one shows its end, where the typing is', async () => {
		const {instance, submit} = await renderForm();
		await press(instance, keys.up, frame => frame.includes('› Init'));
		const long = `./${'very-long-folder/'.repeat(6)}seed.sql`;
		instance.stdin.write(`${long},./b.sql`);
		const frame = await waitForFrame(instance, text => text.includes('./b.sql▏'));
		expect(lines(frame).find(line => line.includes('› Init'))).toMatch(/› Init +…[\w/-]+seed\.sql,\.\/b\.sql▏ +│$/);
		instance.stdin.write(keys.enter);
		await vi.waitFor(() => {
			expect(submit).toHaveBeenCalledWith({database: 'postgres', version: '18', mode: 'fast', init: [long, './b.sql']});
		});
	});

	it('backspaces that arrive in one chunk (held down, or sent by tmux) each erase one character; none is typed', async () => {
		const {instance, submit} = await renderForm();
		await press(instance, keys.up, frame => frame.includes('› Init'));
		instance.stdin.write('./seed.sql.missing');
		await waitForFrame(instance, text => text.includes('.missing▏'));
		instance.stdin.write(keys.backspace.repeat('.missing'.length));
		await waitForFrame(instance, text => text.includes('./seed.sql▏'));
		instance.stdin.write(keys.enter);
		await vi.waitFor(() => {
			expect(submit).toHaveBeenCalledWith(expect.objectContaining({init: ['./seed.sql']}));
		});
	});

	it('shows why a submit was refused and stays open', async () => {
		const {instance} = await renderForm(() => 'A container named "x" already exists; choose another name.');
		await press(instance, keys.enter, frame => frame.includes('A container named "x" already exists'));
	});

	it('escape cancels', async () => {
		const {instance, cancel} = await renderForm();
		instance.stdin.write(keys.escape);
		await vi.waitFor(() => {
			expect(cancel).toHaveBeenCalled();
		});
	});
});

describe('ConfirmDestroy', () => {
	const withVolume = fakeContainer({name: 'keep', mode: 'persistent', volume: 'keep-data'});

	async function renderConfirm(container = fakeContainer({name: 'pg'})) {
		const core = fakeCore({destroy: vi.fn(async name => ({container: fakeContainer({name})}))});
		const store = storeWith([container], {overlay: {kind: 'confirm-destroy', name: container.name, volume: container.volume, step: 'container'}});
		return renderWith(<StoreOverlay />, store, core);
	}

	it('asks once for a container without a volume; y destroys', async () => {
		const {instance, core, operations} = await renderConfirm();
		expect(lines(frameText(instance)).slice(1, 5)).toEqual([
			'║ Destroy pg?                                                                                      ║',
			'║ Its data goes with it (no volume).                                                               ║',
			'║                                                                                                  ║',
			'║ y  destroy    n / esc  keep it                                                                   ║',
		]);
		instance.stdin.write('y');
		await vi.waitFor(() => {
			expect(core.destroy).toHaveBeenCalledWith('pg', {});
		});
		await operations.settled();
	});

	it.each([
		['n', 'n'],
		['esc', keys.escape],
	])('%s keeps the container', async (_name, input) => {
		const {instance, core, store} = await renderConfirm();
		instance.stdin.write(input);
		await vi.waitFor(() => {
			expect(store.getState().overlay).toBeUndefined();
		});
		expect(core.destroy).not.toHaveBeenCalled();
	});

	it('asks a second question about the volume; only y removes it', async () => {
		const {instance, core, operations} = await renderConfirm(withVolume);
		expect(frameText(instance)).toContain('Its data is in volume keep-data; you choose what happens to it next.');
		await press(instance, 'y', frame => frame.includes('Also remove volume keep-data?'));
		expect(core.destroy).not.toHaveBeenCalled();
		expect(frameText(instance)).toContain('y  remove the volume too    n  keep the volume    esc  cancel, destroy nothing');
		instance.stdin.write('y');
		await vi.waitFor(() => {
			expect(core.destroy).toHaveBeenCalledWith('keep', {removeVolume: true, confirmVolumeRemoval: true});
		});
		await operations.settled();
	});

	it('n at the volume question destroys the container and keeps the volume', async () => {
		const {instance, core, operations} = await renderConfirm(withVolume);
		await press(instance, 'y', frame => frame.includes('Also remove volume'));
		instance.stdin.write('n');
		await vi.waitFor(() => {
			expect(core.destroy).toHaveBeenCalledWith('keep', {});
		});
		await operations.settled();
	});

	it('esc at the volume question destroys nothing', async () => {
		const {instance, core, store} = await renderConfirm(withVolume);
		await press(instance, 'y', frame => frame.includes('Also remove volume'));
		instance.stdin.write(keys.escape);
		await vi.waitFor(() => {
			expect(store.getState().overlay).toBeUndefined();
		});
		expect(core.destroy).not.toHaveBeenCalled();
	});
});

/** Renders the dialog for the store's overlay, as the App does, so its second step shows. */
function StoreOverlay() {
	const overlay = useDashboard(state => state.overlay);
	return overlay?.kind === 'confirm-destroy' ? <ConfirmDestroy overlay={overlay} width={100} height={8} /> : null;
}

describe('ConfirmReset', () => {
	async function renderConfirm(container = fakeContainer({name: 'pg'})) {
		const store = storeWith([container], {
			overlay: {kind: 'confirm-reset', name: container.name, volume: container.volume, running: container.state === 'running'},
		});
		return renderWith(<ResetOverlay />, store, fakeCore({}, [container]));
	}

	it('asks about a container without a volume; y resets it', async () => {
		const {instance, core, operations} = await renderConfirm();
		expect(lines(frameText(instance)).slice(1, 5)).toEqual([
			'║ Reset pg?                                                                                        ║',
			'║ It is recreated with fresh data (same name, port and settings); what is in it now is lost.       ║',
			'║                                                                                                  ║',
			'║ y  recreate    d  data only (keeps container, roles, slots)    n / esc  keep it                  ║',
		]);
		instance.stdin.write('y');
		await vi.waitFor(() => {
			expect(core.reset).toHaveBeenCalledTimes(1);
		});
		expect(core.reset.mock.calls[0]![1]).not.toHaveProperty('confirmVolumeRemoval');
		await operations.settled();
	});

	it('says the data in the volume will be deleted; y confirms the volume removal', async () => {
		const {instance, core, operations} = await renderConfirm(fakeContainer({name: 'keep', mode: 'durable', volume: 'keep-data'}));
		const frame = frameText(instance);
		expect(frame).toContain('Its data is in volume keep-data: resetting deletes that data for good');
		expect(frame).toContain('y  recreate and delete the data in the volume    d  data only');
		instance.stdin.write('y');
		await vi.waitFor(() => {
			expect(core.reset).toHaveBeenCalledWith('keep', expect.objectContaining({confirmVolumeRemoval: true}));
		});
		await operations.settled();
	});

	it('d resets the data only, in the running server, and says what stayed', async () => {
		const {instance, core, store, operations} = await renderConfirm();
		instance.stdin.write('d');
		await vi.waitFor(() => {
			expect(core.resetData).toHaveBeenCalledWith('pg', {});
		});
		await operations.settled();
		expect(core.reset).not.toHaveBeenCalled();
		expect(store.getState().message?.text).toBe("Reset pg's data in 42 ms: 3 tables dropped; kept slots orders_slot");
	});

	it('offers no data-only reset for a stopped container (the server must run), and d does nothing', async () => {
		const {instance, core} = await renderConfirm(fakeContainer({name: 'pg', state: 'exited'}));
		expect(frameText(instance)).not.toContain('data only');
		instance.stdin.write('d');
		await settle();
		expect(core.resetData).not.toHaveBeenCalled();
	});

	it.each([
		['n', 'n'],
		['esc', keys.escape],
		['N', 'N'],
	])('%s keeps it as it is', async (_name, input) => {
		const {instance, core, store} = await renderConfirm(fakeContainer({name: 'keep', mode: 'persistent', volume: 'keep-data'}));
		instance.stdin.write(input);
		await vi.waitFor(() => {
			expect(store.getState().overlay).toBeUndefined();
		});
		expect(store.getState().message?.text).toBe('Kept keep as it is');
		expect(core.reset).not.toHaveBeenCalled();
	});

	it('other keys do nothing', async () => {
		const {instance, core, store} = await renderConfirm();
		instance.stdin.write('x');
		await settle();
		expect(store.getState().overlay?.kind).toBe('confirm-reset');
		expect(core.reset).not.toHaveBeenCalled();
		instance.stdin.write('Y');
		await vi.waitFor(() => {
			expect(core.reset).toHaveBeenCalledTimes(1);
		});
		expect(store.getState().overlay).toBeUndefined();
	});
});

function ResetOverlay() {
	const overlay = useDashboard(state => state.overlay);
	return overlay?.kind === 'confirm-reset' ? <ConfirmReset overlay={overlay} width={100} height={8} /> : null;
}
