import {describe, expect, it, vi} from 'vitest';
import type {ManagedContainer} from '../../source/core/types.js';
import {removeContainer, setHealth, upsertContainer} from '../../source/store/container-actions.js';
import {startForwardKeeper, type OpenedForward} from '../../source/store/feeders/forward-keeper.js';
import {deferred, fakeContainer, storeWith} from '../helpers/dashboard.js';

const remote = (name: string, overrides: Partial<ManagedContainer> = {}) => {
	const container = fakeContainer({name, ...overrides});
	return {...container, connection: {...container.connection!, onEngineHost: 'ssh://me@build-box'}};
};

function fakeForwards() {
	const closed: string[] = [];
	let next = 40_000;
	const open = vi.fn(async (container: ManagedContainer): Promise<OpenedForward | undefined> => {
		if (!container.connection?.onEngineHost) return undefined;
		const port = next++;
		return {
			url: `postgresql://postgres:dbarena@127.0.0.1:${port}/testdb`,
			close: async () => {
				closed.push(container.name);
			},
		};
	});
	return {open, closed};
}

describe('the forward keeper', () => {
	it('opens one forward per healthy database on a remote engine host and puts its local URL in the store', async () => {
		const store = storeWith([remote('pg'), fakeContainer({name: 'local'})]);
		const {open} = fakeForwards();
		const keeper = startForwardKeeper(store, {open});
		await vi.waitFor(() => expect(store.getState().forwards['id-pg']).toEqual({url: 'postgresql://postgres:dbarena@127.0.0.1:40000/testdb'}));
		// A database this machine reaches directly gets nothing kept, and is asked about once.
		expect(store.getState().forwards['id-local']).toBeUndefined();
		upsertContainer(store, {...remote('pg'), status: 'changed only in a field the keeper does not care about'});
		expect(open).toHaveBeenCalledTimes(2);
		keeper.stop();
	});

	it('waits for a database to be healthy, and closes its forward when it stops or goes', async () => {
		const store = storeWith([remote('pg')]);
		setHealth(store, 'id-pg', remote('pg').startedAt, 'starting');
		const {open, closed} = fakeForwards();
		const keeper = startForwardKeeper(store, {open});
		expect(open).not.toHaveBeenCalled();
		setHealth(store, 'id-pg', remote('pg').startedAt, 'healthy');
		await vi.waitFor(() => expect(store.getState().forwards['id-pg']?.url).toMatch(/127\.0\.0\.1:40000/));
		upsertContainer(store, remote('pg', {state: 'exited'}));
		expect(store.getState().forwards['id-pg']).toBeUndefined();
		await vi.waitFor(() => expect(closed).toEqual(['pg']));
		keeper.stop();
	});

	it('gives a restarted database a forward of its own, and closes every forward when the dashboard closes', async () => {
		const store = storeWith([remote('pg'), remote('other', {hostPort: 5433})]);
		const {open, closed} = fakeForwards();
		const keeper = startForwardKeeper(store, {open});
		await vi.waitFor(() => expect(Object.keys(store.getState().forwards)).toHaveLength(2));
		const restarted = remote('pg', {startedAt: new Date('2026-01-01T11:00:00Z')});
		upsertContainer(store, restarted);
		setHealth(store, 'id-pg', restarted.startedAt, 'healthy');
		await vi.waitFor(() => expect(open).toHaveBeenCalledTimes(3));
		removeContainer(store, 'id-other');
		keeper.stop();
		await vi.waitFor(() => expect(closed.sort()).toEqual(['other', 'pg', 'pg']));
		expect(store.getState().forwards).toEqual({});
	});

	it('says why a forward could not be opened, and closes one that opens after the dashboard closed', async () => {
		const store = storeWith([remote('pg'), remote('late', {hostPort: 5433})]);
		const late = deferred<OpenedForward | undefined>();
		const closeLate = vi.fn(async () => undefined);
		const keeper = startForwardKeeper(store, {
			open: async container => (container.name === 'late' ? late.promise : Promise.reject(new Error('administratively prohibited'))),
		});
		await vi.waitFor(() => expect(store.getState().forwards['id-pg']).toEqual({error: 'administratively prohibited'}));
		keeper.stop();
		late.resolve({url: 'postgresql://x', close: closeLate});
		await vi.waitFor(() => expect(closeLate).toHaveBeenCalled());
		expect(store.getState().forwards['id-late']).toBeUndefined();
	});
});
