import {describe, expect, it, vi} from 'vitest';
import {OperationError} from '../../source/core/errors.js';
import {createDashboardOperations, type DashboardTerminal} from '../../source/store/operations.js';
import {deferred, fakeContainer, fakeCore, storeWith} from '../helpers/dashboard.js';

function setup(containers = [fakeContainer({name: 'pg'})], terminal?: Partial<DashboardTerminal>) {
	const store = storeWith(containers);
	const fake = {
		runShell: vi.fn<DashboardTerminal['runShell']>(async () => 0),
		copy: vi.fn<DashboardTerminal['copy']>(async () => ({copied: true, via: 'OSC 52'})),
		...terminal,
	};
	const operations = createDashboardOperations(store, fakeCore(), fake);
	const message = () => store.getState().message;
	return {store, operations, terminal: fake, message};
}

describe('e: the database client on the terminal', () => {
	it('hands the selected container to the terminal and reports the exit code when the dashboard is back', async () => {
		const shell = deferred<number>();
		const {operations, terminal, message} = setup(undefined, {runShell: vi.fn(async () => shell.promise)});
		operations.openShell();
		expect(terminal.runShell).toHaveBeenCalledWith(expect.objectContaining({name: 'pg'}));
		expect(message()).toEqual({text: 'Opening a shell on pg…', tone: 'progress'});
		shell.resolve(0);
		await vi.waitFor(() => {
			expect(message()).toEqual({text: 'Back from the shell on pg (exit code 0)', tone: 'success'});
		});
	});

	it('says a non-zero exit code, and an error in the status line', async () => {
		const {operations, message} = setup(undefined, {runShell: vi.fn(async () => 1)});
		operations.openShell();
		await vi.waitFor(() => {
			expect(message()).toEqual({text: 'Back from the shell on pg (exit code 1)', tone: 'info'});
		});
		const failing = setup(undefined, {runShell: vi.fn(async () => Promise.reject(new OperationError('no engine')))});
		failing.operations.openShell();
		await vi.waitFor(() => {
			expect(failing.message()).toEqual({text: 'no engine', tone: 'error'});
		});
	});

	it('does not apply to a stopped container, or with nothing selected', () => {
		const stopped = setup([fakeContainer({name: 'pg', state: 'exited'})]);
		stopped.operations.openShell();
		expect(stopped.terminal.runShell).not.toHaveBeenCalled();
		expect(stopped.message()?.text).toBe('e does not apply: pg is not running (s starts it)');
		const empty = setup([]);
		empty.operations.openShell();
		expect(empty.terminal.runShell).not.toHaveBeenCalled();
		expect(empty.message()?.text).toBe('No containers yet — press c to create one');
	});
});

describe('y: the URL to the clipboard', () => {
	it('copies the selected URL and says how, with the URL', async () => {
		const {operations, terminal, message} = setup();
		operations.copyUrl();
		expect(terminal.copy).toHaveBeenCalledWith('postgresql://postgres:dbarena@127.0.0.1:5432/testdb');
		await vi.waitFor(() => {
			expect(message()).toEqual({text: 'Copied the URL (OSC 52): postgresql://postgres:dbarena@127.0.0.1:5432/testdb', tone: 'success'});
		});
	});

	it('says why not when the terminal cannot take it', async () => {
		const {operations, message} = setup(undefined, {copy: vi.fn(async () => ({copied: false as const, why: 'tmux drops OSC 52'}))});
		operations.copyUrl();
		await vi.waitFor(() => {
			expect(message()).toEqual({text: 'Could not copy the URL of pg: tmux drops OSC 52', tone: 'error'});
		});
	});

	// Its text would be the URL on that host with a note after it: no client accepts that.
	it('copies nothing for a database on an ssh:// engine host until the local forward is open', async () => {
		const base = fakeContainer({name: 'far'});
		const far = {...base, connection: {...base.connection!, onEngineHost: 'ssh://me@build-box'}};
		const {operations, terminal, message, store} = setup([far]);
		operations.copyUrl();
		expect(terminal.copy).not.toHaveBeenCalled();
		expect(message()?.text).toBe('The local forward to far is not open yet: y copies its URL once it is (u shows the URL on ssh://me@build-box)');
		store.setState({forwards: {'id-far': {url: 'postgresql://postgres:dbarena@127.0.0.1:41234/testdb'}}});
		operations.copyUrl();
		expect(terminal.copy).toHaveBeenCalledWith('postgresql://postgres:dbarena@127.0.0.1:41234/testdb');
	});

	it('says so for a container without a published port', () => {
		const {operations, terminal, message} = setup([fakeContainer({name: 'pg', connection: undefined})]);
		operations.copyUrl();
		expect(terminal.copy).not.toHaveBeenCalled();
		expect(message()?.text).toBe('pg has no published port, so it has no URL');
	});
});
