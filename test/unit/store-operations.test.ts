import {describe, expect, it, vi} from 'vitest';
import {ConfirmationRequiredError, NameConflictError} from '../../source/core/errors.js';
import type {CreateResult} from '../../source/core/lifecycle.js';
import {describeError} from '../../source/store/operation-runner.js';
import {createDashboardOperations} from '../../source/store/operations.js';
import {deferred, fakeContainer, fakeCore, storeWith} from '../helpers/dashboard.js';

function setup(containers = [fakeContainer({name: 'pg'})], core = fakeCore()) {
	const store = storeWith(containers);
	const operations = createDashboardOperations(store, core);
	return {store, operations, core};
}

describe('create', () => {
	it('refuses invalid options at once, for the form to show', () => {
		const {operations, core} = setup();
		expect(operations.create({database: 'oracle'})).toBe('Unknown database "oracle". Supported: postgres, mysql, mariadb, sqlserver.');
		expect(operations.create({database: 'postgres', name: 'pg'})).toBe('A container named "pg" already exists; choose another name.');
		expect(core.create).not.toHaveBeenCalled();
	});

	it('runs in the background with progress, then selects the new container as healthy', async () => {
		const gate = deferred<void>();
		const core = fakeCore({
			async create(options, operation) {
				operation?.onProgress?.({type: 'pull-start', image: 'x'});
				operation?.onProgress?.({type: 'pull-progress', image: 'x', layer: 'l1', status: 'Downloading', current: 50, total: 200});
				await gate.promise;
				const container = fakeContainer({name: options.name!, hostPort: 5440, createdAt: new Date(5)});
				const result: CreateResult = {container, connection: container.connection!, pulled: true, readyMs: 900, totalMs: 2500, volumeReused: false};
				return result;
			},
		});
		const {store, operations} = setup(undefined, core);
		store.setState({overlay: {kind: 'create'}});
		expect(operations.create({database: 'pg', version: '16', name: 'fresh'})).toBeUndefined();

		expect(store.getState().overlay).toBeUndefined();
		expect(store.getState().creates['fresh']).toEqual({
			name: 'fresh',
			database: 'postgres',
			version: '16',
			phase: 'Image x not cached, pulling... 0/1 layers, 25% of 200 B',
		});
		expect(store.getState().operations['fresh']).toBe('creating');
		expect(store.getState().message).toEqual({text: 'Creating fresh: Image x not cached, pulling... 0/1 layers, 25% of 200 B', tone: 'progress'});

		gate.resolve();
		await operations.settled();
		const state = store.getState();
		expect(state.creates).toEqual({});
		expect(state.operations).toEqual({});
		expect(state.selectedId).toBe('id-fresh');
		expect(state.containers['id-fresh']?.health).toBe('healthy');
		expect(state.message).toEqual({text: 'fresh is ready (2.5 s): postgresql://postgres:dbarena@127.0.0.1:5440/testdb', tone: 'success'});
	});

	it('passes the planned name, so the row and the container agree', async () => {
		const {operations, core} = setup();
		operations.create({database: 'postgres'});
		await operations.settled();
		expect(core.create.mock.calls[0]?.[0].name).toMatch(/^dbarena-postgres-18-[\da-f]{4}$/);
	});

	it('reports a failure in the status line', async () => {
		const {store, operations} = setup(undefined, fakeCore({create: vi.fn(async () => Promise.reject(new NameConflictError('x')))}));
		operations.create({database: 'postgres', name: 'x'});
		await operations.settled();
		expect(store.getState().message).toEqual({text: new NameConflictError('x').message, tone: 'error'});
		expect(store.getState().creates).toEqual({});
	});
});

describe('start, stop, restart', () => {
	it('s stops a running container', async () => {
		const {store, operations, core} = setup();
		operations.toggleStartStop();
		expect(store.getState().operations).toEqual({pg: 'stopping'});
		expect(store.getState().message).toEqual({text: 'Stopping pg…', tone: 'progress'});
		await operations.settled();
		expect(core.stop).toHaveBeenCalledWith('pg');
		expect(store.getState().containers['id-pg']?.health).toBe('stopped');
		expect(store.getState().message).toEqual({text: 'Stopped pg', tone: 'success'});
	});

	it('s starts a stopped container and it is healthy once start returns', async () => {
		const {store, operations, core} = setup([fakeContainer({name: 'pg', state: 'exited'})]);
		operations.toggleStartStop();
		await operations.settled();
		expect(core.start).toHaveBeenCalledWith('pg', expect.objectContaining({signal: expect.any(AbortSignal) as AbortSignal}));
		expect(store.getState().containers['id-pg']?.health).toBe('healthy');
		expect(store.getState().message?.text).toBe('Started pg, ready in 0.8 s');
	});

	it('refuses a second action while one runs', async () => {
		const gate = deferred<never>();
		const {store, operations, core} = setup(undefined, fakeCore({stop: vi.fn(async () => gate.promise)}));
		operations.toggleStartStop();
		operations.restart();
		expect(store.getState().message?.text).toBe('pg is busy (stopping); wait for it to finish');
		expect(core.restart).not.toHaveBeenCalled();
		gate.reject(new Error('boom'));
		await operations.settled();
		expect(store.getState().message).toEqual({text: 'boom', tone: 'error'});
	});

	it('r restarts a running container and refuses a stopped one', async () => {
		const {store, operations, core} = setup([fakeContainer({name: 'pg'}), fakeContainer({name: 'off', state: 'exited'})]);
		operations.restart();
		await operations.settled();
		expect(core.restart).toHaveBeenCalledTimes(1);
		expect(store.getState().message?.text).toBe('Restarted pg, ready in 0.7 s');
		store.setState({selectedId: 'id-off'});
		operations.restart();
		expect(store.getState().message?.text).toBe('off is not running; press s to start it');
	});

	it('says so when nothing is selected', () => {
		const {store, operations} = setup([]);
		operations.toggleStartStop();
		expect(store.getState().message?.text).toBe('No containers yet — press c to create one');
	});
});

describe('destroy', () => {
	it('asks first, then destroys a container without a volume', async () => {
		const {store, operations, core} = setup();
		operations.requestDestroy();
		expect(store.getState().overlay).toEqual({kind: 'confirm-destroy', name: 'pg', volume: undefined, step: 'container'});
		operations.confirmDestroy();
		expect(store.getState().overlay).toBeUndefined();
		await operations.settled();
		expect(core.destroy).toHaveBeenCalledWith('pg', {});
		expect(store.getState().message?.text).toBe('Destroyed pg');
	});

	it('removes a volume only after the second, explicit choice', async () => {
		const core = fakeCore({
			destroy: vi.fn(async (name, options) =>
				options?.removeVolume ? {container: fakeContainer({name}), volumeRemoved: 'pg-data'} : {container: fakeContainer({name}), volumeKept: 'pg-data'},
			),
		});
		const {store, operations} = setup([fakeContainer({name: 'pg', mode: 'persistent', volume: 'pg-data'})], core);
		operations.requestDestroy();
		operations.confirmDestroy();
		expect(store.getState().overlay).toMatchObject({step: 'volume'});
		expect(core.destroy).not.toHaveBeenCalled();
		operations.chooseVolumeRemoval(true);
		await operations.settled();
		expect(core.destroy).toHaveBeenCalledWith('pg', {removeVolume: true, confirmVolumeRemoval: true});
		expect(store.getState().message?.text).toBe('Destroyed pg and its volume pg-data');
	});

	it('keeps the volume when asked to', async () => {
		const core = fakeCore({destroy: vi.fn(async name => ({container: fakeContainer({name}), volumeKept: 'pg-data'}))});
		const {store, operations} = setup([fakeContainer({name: 'pg', volume: 'pg-data'})], core);
		operations.requestDestroy();
		operations.confirmDestroy();
		operations.chooseVolumeRemoval(false);
		await operations.settled();
		expect(core.destroy).toHaveBeenCalledWith('pg', {});
		expect(store.getState().message?.text).toBe('Destroyed pg; volume pg-data kept');
	});

	it('cancel destroys nothing', () => {
		const {store, operations, core} = setup();
		operations.requestDestroy();
		operations.cancelDestroy();
		expect(store.getState().overlay).toBeUndefined();
		expect(store.getState().message?.text).toBe('Kept pg');
		expect(core.destroy).not.toHaveBeenCalled();
	});

	it('shows an engine refusal', async () => {
		const {store, operations} = setup(undefined, fakeCore({destroy: vi.fn(async () => Promise.reject(new ConfirmationRequiredError('confirm it')))}));
		operations.requestDestroy();
		operations.confirmDestroy();
		await operations.settled();
		expect(store.getState().message).toEqual({text: 'confirm it', tone: 'error'});
	});
});

describe('url', () => {
	it('shows the connection URL, even while the container is busy', () => {
		const {store, operations} = setup([fakeContainer({name: 'pg', state: 'exited'})]);
		store.setState({operations: {pg: 'starting'}});
		operations.showUrl();
		expect(store.getState().message?.text).toBe('postgresql://postgres:dbarena@127.0.0.1:5432/testdb  (pg is exited)');
	});

	it('says when there is no URL', () => {
		const {store, operations} = setup([fakeContainer({name: 'pg', connection: undefined})]);
		operations.showUrl();
		expect(store.getState().message?.text).toBe('pg has no published port, so it has no URL');
	});
});

it('shutdown aborts what still runs and waits for it', async () => {
	let aborted = false;
	const core = fakeCore({
		async create(_options, operation) {
			await new Promise<void>(resolve => {
				operation?.signal?.addEventListener('abort', () => {
					resolve();
				});
			});
			aborted = true;
			throw new Error('interrupted');
		},
	});
	const {operations} = setup(undefined, core);
	operations.create({database: 'postgres', name: 'slow'});
	await operations.shutdown(1000);
	expect(aborted).toBe(true);
});

describe('helpers', () => {
	it('describeError keeps the first line', () => {
		expect(describeError(new Error('first\nsecond'))).toBe('first');
		expect(describeError('plain')).toBe('plain');
	});
});
