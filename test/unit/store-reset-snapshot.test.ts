import {describe, expect, it} from 'vitest';
import type {CreateResult, ResetResult} from '../../source/core/lifecycle.js';
import {createDashboardOperations} from '../../source/store/operations.js';
import {deferred, fakeContainer, fakeCore, storeWith} from '../helpers/dashboard.js';

const withVolume = fakeContainer({name: 'keep', mode: 'persistent', volume: 'keep-data'});

function setup(containers = [fakeContainer({name: 'pg'})], core = fakeCore({}, containers)) {
	const store = storeWith(containers);
	const operations = createDashboardOperations(store, core);
	return {store, operations, core};
}

describe('reset (R)', () => {
	it('asks first; y resets without touching a volume the container does not have', async () => {
		const {store, operations, core} = setup();
		operations.requestReset();
		expect(store.getState().overlay).toEqual({kind: 'confirm-reset', name: 'pg', volume: undefined, running: true});
		expect(core.reset).not.toHaveBeenCalled();
		operations.confirmReset();
		expect(store.getState().overlay).toBeUndefined();
		expect(store.getState().operations['pg']).toBe('resetting');
		await operations.settled();
		expect(core.reset).toHaveBeenCalledTimes(1);
		expect(core.reset.mock.calls[0]![1]).not.toHaveProperty('confirmVolumeRemoval');
		expect(store.getState().message).toEqual({text: 'Reset pg: fresh data, ready in 0.9 s', tone: 'success'});
	});

	it('passes confirmVolumeRemoval only for the y to a question that named the volume', async () => {
		const {store, operations, core} = setup([withVolume]);
		operations.requestReset();
		expect(store.getState().overlay).toEqual({kind: 'confirm-reset', name: 'keep', volume: 'keep-data', running: true});
		operations.confirmReset();
		expect(store.getState().message).toEqual({text: 'Resetting keep (deleting the data in volume keep-data)…', tone: 'progress'});
		await operations.settled();
		expect(core.reset).toHaveBeenCalledWith('keep', expect.objectContaining({confirmVolumeRemoval: true}));
	});

	it('keeps the row while the container is replaced, then selects the new one and drops the old', async () => {
		const gate = deferred<void>();
		const core = fakeCore({
			async reset(name, operation) {
				operation?.onProgress?.({type: 'waiting', name: 'pg', elapsedMs: 1200});
				await gate.promise;
				const container = fakeContainer({name, id: 'id-new'});
				const created: CreateResult = {container, connection: container.connection!, pulled: false, readyMs: 800, totalMs: 1000, volumeReused: false};
				const result: ResetResult = {...created, droppedSlots: [], walPosition: null};
				return result;
			},
		});
		const {store, operations} = setup([fakeContainer({name: 'other', createdAt: new Date(0)}), fakeContainer({name: 'pg', createdAt: new Date(1)})], core);
		store.setState({selectedId: 'id-pg'});
		operations.requestReset();
		operations.confirmReset();
		expect(store.getState().creates['pg']).toEqual({name: 'pg', database: 'postgres', version: '16', phase: 'Waiting for healthy... (1.2s)'});
		expect(store.getState().message).toEqual({text: 'Resetting pg: Waiting for healthy... (1.2s)', tone: 'progress'});
		gate.resolve();
		await operations.settled();
		const state = store.getState();
		expect(Object.keys(state.containers).sort()).toEqual(['id-new', 'id-other']);
		expect(state.containers['id-new']?.health).toBe('healthy');
		expect(state.selectedId).toBe('id-new');
		expect(state.creates).toEqual({});
		expect(state.operations).toEqual({});
	});

	it('the status line names the replication slots that went, and a WAL position it could not carry over', async () => {
		const core = fakeCore({
			async reset(name) {
				const container = fakeContainer({name, id: 'id-new'});
				const created: CreateResult = {container, connection: container.connection!, pulled: false, readyMs: 800, totalMs: 1000, volumeReused: false};
				const result: ResetResult = {
					...created,
					droppedSlots: [{name: 'orders_slot', type: 'logical', plugin: 'pgoutput', database: 'testdb'}],
					walPosition: {before: null, after: '0/19004A8', carried: false, reason: 'the old server did not shut down cleanly'},
				};
				return result;
			},
		});
		const {store, operations} = setup(undefined, core);
		operations.requestReset();
		operations.confirmReset();
		await operations.settled();
		expect(store.getState().message).toEqual({
			text:
				'Reset pg: fresh data, ready in 0.8 s; dropped replication slots orders_slot (pgoutput); ' +
				'WAL position not carried over (the old server did not shut down cleanly)',
			tone: 'success',
		});
	});

	it('n (cancel) resets nothing', () => {
		const {store, operations, core} = setup([withVolume]);
		operations.requestReset();
		operations.cancelReset();
		expect(store.getState().overlay).toBeUndefined();
		expect(store.getState().message?.text).toBe('Kept keep as it is');
		expect(core.reset).not.toHaveBeenCalled();
	});

	it('shows a failure in the status line', async () => {
		const {store, operations} = setup(
			undefined,
			fakeCore({
				async reset() {
					throw new Error('image gone\nstack');
				},
			}),
		);
		operations.requestReset();
		operations.confirmReset();
		await operations.settled();
		expect(store.getState().message).toEqual({text: 'image gone', tone: 'error'});
		expect(store.getState().creates).toEqual({});
	});
});

describe('snapshot (S)', () => {
	it('snapshots a running container in the background', async () => {
		const {store, operations, core} = setup();
		operations.snapshot();
		expect(store.getState().operations['pg']).toBe('snapshotting');
		expect(store.getState().message).toEqual({text: 'Taking a snapshot of pg…', tone: 'progress'});
		await operations.settled();
		expect(core.snapshot).toHaveBeenCalledWith('pg');
		expect(store.getState().message).toEqual({text: 'Snapshot pg-20260101-100500 taken in 2.3 s (pg paused 0.4 s)', tone: 'success'});
	});

	it('says the key does not apply to a stopped container', () => {
		const {store, operations, core} = setup([fakeContainer({name: 'off', state: 'exited'})]);
		operations.snapshot();
		expect(store.getState().message?.text).toBe('S does not apply: off is not running (a snapshot needs a running container; s starts it)');
		expect(core.snapshot).not.toHaveBeenCalled();
	});

	it('refuses while the container is busy', async () => {
		const {store, operations, core} = setup();
		operations.snapshot();
		operations.snapshot();
		expect(store.getState().message?.text).toBe('pg is busy (snapshotting); wait for it to finish');
		await operations.settled();
		expect(core.snapshot).toHaveBeenCalledTimes(1);
	});
});
