import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {CdcStatus} from '../../source/core/cdc.js';
import type {ManagedContainer} from '../../source/core/types.js';
import {setCdcView, upsertContainer} from '../../source/store/container-actions.js';
import {startCdcPoller} from '../../source/store/feeders/cdc-poller.js';
import {selectContainer} from '../../source/store/view-actions.js';
import {deferred, fakeContainer, storeWith} from '../helpers/dashboard.js';

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

const cdc = {user: 'cdc', password: 'secret', publication: 'dbarena_pub'};
const status = (lagBytes: number): CdcStatus => ({
	ready: true,
	settings: {max_replication_slots: '10', max_wal_senders: '10', wal_level: 'logical'},
	slots: [{name: 'debezium', plugin: 'pgoutput', active: true, lagBytes}],
});

describe('the CDC poller', () => {
	it('reads the selected --cdc container at once, then at most every two seconds', async () => {
		const store = storeWith([fakeContainer({name: 'pg', cdc})]);
		let lag = 0;
		const read = vi.fn(async (_container: ManagedContainer) => status(lag));
		const poller = startCdcPoller(store, {read});
		expect(read).toHaveBeenCalledTimes(1);
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getState().cdc).toEqual({containerId: 'id-pg', status: status(0), error: undefined});
		lag = 4096;
		await vi.advanceTimersByTimeAsync(1999);
		expect(read).toHaveBeenCalledTimes(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(read).toHaveBeenCalledTimes(2);
		expect(store.getState().cdc?.status?.slots?.[0]?.lagBytes).toBe(4096);
		poller.stop();
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).toHaveBeenCalledTimes(2);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('sets no timer and reads nothing while no --cdc container is selected', async () => {
		const store = storeWith([fakeContainer({name: 'plain'}), fakeContainer({name: 'off', cdc, state: 'exited'})]);
		const read = vi.fn(async () => status(0));
		startCdcPoller(store, {read});
		selectContainer(store, 'id-off');
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).not.toHaveBeenCalled();
		expect(vi.getTimerCount()).toBe(0);
		expect(store.getState().cdc).toBeUndefined();
	});

	it('stops, and drops the result, when the selection moves away', async () => {
		const store = storeWith([fakeContainer({name: 'pg', cdc}), fakeContainer({name: 'plain'})]);
		const read = vi.fn(async () => status(0));
		startCdcPoller(store, {read});
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getState().cdc?.containerId).toBe('id-pg');
		selectContainer(store, 'id-plain');
		expect(store.getState().cdc).toBeUndefined();
		expect(vi.getTimerCount()).toBe(0);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(read).toHaveBeenCalledTimes(1);
	});

	it('ignores an answer that arrives after the selection moved', async () => {
		const store = storeWith([fakeContainer({name: 'pg', cdc}), fakeContainer({name: 'plain'})]);
		const answer = deferred<CdcStatus | undefined>();
		startCdcPoller(store, {read: async () => answer.promise});
		selectContainer(store, 'id-plain');
		answer.resolve(status(0));
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getState().cdc).toBeUndefined();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('stops when the container stops, and records a failed read', async () => {
		const container = fakeContainer({name: 'pg', cdc});
		const store = storeWith([container]);
		const read = vi.fn(async () => {
			throw new Error('connection refused\nat somewhere');
		});
		startCdcPoller(store, {read});
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getState().cdc).toEqual({containerId: 'id-pg', status: undefined, error: 'connection refused'});
		const {startedAt: _startedAt, ...rest} = container;
		upsertContainer(store, {...rest, state: 'exited'});
		expect(store.getState().cdc).toBeUndefined();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('setCdcView writes only for the selected container, and only a change', () => {
		const store = storeWith([fakeContainer({name: 'pg', cdc}), fakeContainer({name: 'plain'})]);
		const listener = vi.fn();
		store.subscribe(listener);
		setCdcView(store, {containerId: 'id-plain', status: status(0), error: undefined});
		expect(listener).not.toHaveBeenCalled();
		setCdcView(store, {containerId: 'id-pg', status: status(0), error: undefined});
		setCdcView(store, {containerId: 'id-pg', status: status(0), error: undefined});
		expect(listener).toHaveBeenCalledTimes(1);
	});
});
