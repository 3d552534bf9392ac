import {describe, expect, it} from 'vitest';
import {clearStats, removeContainer, replaceContainers, setEngineState, setHealth, setStats, upsertContainer} from '../../source/store/container-actions.js';
import {selectCounts, selectPendingCreateNames, selectSelectedEntry, selectVisibleIds} from '../../source/store/selectors.js';
import type {ContainerStats} from '../../source/store/state.js';
import {endFilter, moveSelection, selectContainer, setFilter, startFilter, toggleDetails, toggleShowAll} from '../../source/store/view-actions.js';
import {fakeContainer, storeWith} from '../helpers/dashboard.js';

const mib = 1024 * 1024;
const sample = (cpuPercent: number, memoryMib: number): ContainerStats => ({cpuPercent, memoryUsedBytes: memoryMib * mib, memoryLimitBytes: 256 * mib});

/** Counts notifications: an update that changes nothing visible must not notify (or render). */
function notifications(store: ReturnType<typeof storeWith>): () => number {
	let count = 0;
	store.subscribe(() => {
		count++;
	});
	return () => count;
}

describe('upsertContainer', () => {
	it('adds a new running container as starting: readiness has not been proven yet', () => {
		const store = storeWith([]);
		upsertContainer(store, fakeContainer({name: 'a'}));
		expect(store.getState().containers['id-a']?.health).toBe('starting');
		expect(store.getState().selectedId).toBe('id-a');
	});

	it('keeps the health of the same run and resets it for a new run', () => {
		const store = storeWith([fakeContainer({name: 'a'})]);
		upsertContainer(store, fakeContainer({name: 'a', status: 'healthy'}));
		expect(store.getState().containers['id-a']?.health).toBe('healthy');
		upsertContainer(store, fakeContainer({name: 'a', startedAt: new Date('2026-01-02T00:00:00Z')}));
		expect(store.getState().containers['id-a']?.health).toBe('starting');
	});

	it('marks a container that is not running as stopped and drops its stats', () => {
		const store = storeWith([fakeContainer({name: 'a'})], {stats: {'id-a': sample(1, 10)}});
		upsertContainer(store, fakeContainer({name: 'a', state: 'exited', exitCode: 137}));
		expect(store.getState().containers['id-a']?.health).toBe('stopped');
		expect(store.getState().stats['id-a']).toBeUndefined();
	});

	it('does not notify when the container is unchanged', () => {
		const store = storeWith([fakeContainer({name: 'a'})]);
		const count = notifications(store);
		upsertContainer(store, fakeContainer({name: 'a'}));
		expect(count()).toBe(0);
	});
});

describe('removeContainer', () => {
	it('removes it and selects the row that took its place', () => {
		const store = storeWith(
			[
				fakeContainer({name: 'a', createdAt: new Date(1)}),
				fakeContainer({name: 'b', createdAt: new Date(2)}),
				fakeContainer({name: 'c', createdAt: new Date(3)}),
			],
			{selectedId: 'id-b'},
		);
		removeContainer(store, 'id-b');
		expect(Object.keys(store.getState().containers).sort()).toEqual(['id-a', 'id-c']);
		expect(store.getState().selectedId).toBe('id-c');
		removeContainer(store, 'id-c');
		expect(store.getState().selectedId).toBe('id-a');
		removeContainer(store, 'id-a');
		expect(store.getState().selectedId).toBeUndefined();
	});

	it('does nothing for an unknown id', () => {
		const store = storeWith([fakeContainer({name: 'a'})]);
		const count = notifications(store);
		removeContainer(store, 'nope');
		expect(count()).toBe(0);
	});
});

describe('replaceContainers', () => {
	it('replaces the set, keeping health for the same run and entries that changed meanwhile', () => {
		const store = storeWith([fakeContainer({name: 'a'}), fakeContainer({name: 'gone'}), fakeContainer({name: 'newer', state: 'exited'})]);
		replaceContainers(store, [fakeContainer({name: 'a'}), fakeContainer({name: 'b'}), fakeContainer({name: 'newer'})], new Set(['id-newer']));
		const {containers} = store.getState();
		expect(Object.keys(containers).sort()).toEqual(['id-a', 'id-b', 'id-newer']);
		expect(containers['id-a']?.health).toBe('healthy');
		expect(containers['id-b']?.health).toBe('starting');
		// The list is older than the event that said "exited"; the event wins.
		expect(containers['id-newer']?.container.state).toBe('exited');
	});
});

describe('setHealth', () => {
	it('records a result for the run it was measured on only', () => {
		const container = fakeContainer({name: 'a'});
		const store = storeWith([container]);
		upsertContainer(store, {...container, startedAt: new Date('2026-02-01T00:00:00Z')});
		setHealth(store, 'id-a', container.startedAt, 'healthy');
		expect(store.getState().containers['id-a']?.health).toBe('starting');
		setHealth(store, 'id-a', new Date('2026-02-01T00:00:00Z'), 'healthy');
		expect(store.getState().containers['id-a']?.health).toBe('healthy');
	});

	it('ignores stopped containers and unknown ids', () => {
		const store = storeWith([fakeContainer({name: 'a', state: 'exited'})]);
		const count = notifications(store);
		setHealth(store, 'id-a', undefined, 'healthy');
		setHealth(store, 'nope', undefined, 'healthy');
		expect(count()).toBe(0);
	});
});

describe('setStats', () => {
	it('writes several containers in one update', () => {
		const store = storeWith([fakeContainer({name: 'a'}), fakeContainer({name: 'b'})]);
		const count = notifications(store);
		setStats(
			store,
			new Map([
				['id-a', sample(1.5, 20)],
				['id-b', sample(3, 40)],
			]),
		);
		expect(count()).toBe(1);
		expect(store.getState().stats['id-b']).toEqual(sample(3, 40));
	});

	it('writes meaningful changes only, and nothing for containers that are not running', () => {
		const store = storeWith([fakeContainer({name: 'a'}), fakeContainer({name: 'b', state: 'exited'})], {stats: {'id-a': sample(1.5, 20)}});
		const count = notifications(store);
		// An idle database's flicker: under a CPU point, a few hundred KiB.
		setStats(
			store,
			new Map([
				['id-a', sample(2.2, 20.3)],
				['id-b', sample(3, 40)],
			]),
		);
		expect(count()).toBe(0);
		setStats(store, new Map([['id-a', sample(2.5, 20)]]));
		expect(store.getState().stats['id-a']?.cpuPercent).toBe(2.5);
		setStats(store, new Map([['id-a', sample(2.5, 21)]]));
		expect(store.getState().stats['id-a']?.memoryUsedBytes).toBe(21 * mib);
		// Above four percent, a quarter of the value counts: 40 -> 49 is not news, 40 -> 50 is.
		setStats(store, new Map([['id-a', sample(40, 21)]]));
		setStats(store, new Map([['id-a', sample(49, 21)]]));
		expect(store.getState().stats['id-a']?.cpuPercent).toBe(40);
		setStats(store, new Map([['id-a', sample(50, 21)]]));
		expect(store.getState().stats['id-a']?.cpuPercent).toBe(50);
		expect(count()).toBe(4);
	});

	it('a forced refresh writes small changes too, but not what would look the same', () => {
		const store = storeWith([fakeContainer({name: 'a'})], {stats: {'id-a': sample(1.5, 20)}});
		const count = notifications(store);
		setStats(store, new Map([['id-a', sample(1.52, 20.02)]]), {force: true});
		expect(count()).toBe(0);
		setStats(store, new Map([['id-a', sample(1.6, 20)]]), {force: true});
		expect(store.getState().stats['id-a']?.cpuPercent).toBe(1.6);
	});

	it('clearStats removes one container’s stats', () => {
		const store = storeWith([fakeContainer({name: 'a'})], {stats: {'id-a': sample(1, 1)}});
		clearStats(store, 'id-a');
		expect(store.getState().stats).toEqual({});
	});
});

it('setEngineState notifies only on a change', () => {
	const store = storeWith([]);
	const count = notifications(store);
	setEngineState(store, 'connected');
	expect(count()).toBe(0);
	setEngineState(store, 'reconnecting');
	expect(store.getState().engine).toEqual({state: 'reconnecting', address: 'unix:///var/run/docker.sock'});
	expect(count()).toBe(1);
});

describe('selectors', () => {
	const containers = [
		fakeContainer({name: 'old-pg', createdAt: new Date(1)}),
		fakeContainer({name: 'maria', database: 'mariadb', version: '10.11', createdAt: new Date(2), state: 'exited'}),
		fakeContainer({name: 'new-pg', createdAt: new Date(3)}),
	];

	it('lists rows oldest first, filtered by name or database, with or without stopped ones', () => {
		const store = storeWith(containers);
		expect(selectVisibleIds(store.getState())).toEqual(['id-old-pg', 'id-maria', 'id-new-pg']);
		expect(selectVisibleIds({...store.getState(), showAll: false})).toEqual(['id-old-pg', 'id-new-pg']);
		expect(selectVisibleIds({...store.getState(), filter: 'MARIA'})).toEqual(['id-maria']);
		expect(selectVisibleIds({...store.getState(), filter: 'postgres'})).toEqual(['id-old-pg', 'id-new-pg']);
		expect(selectVisibleIds({...store.getState(), filter: 'mariadb 10'})).toEqual(['id-maria']);
	});

	it('counts running and stopped containers', () => {
		const store = storeWith(containers, {filter: 'pg'});
		expect(selectCounts(store.getState())).toEqual({running: 2, stopped: 1, shown: 2, total: 3});
	});

	it('knows which creates have no container yet', () => {
		const store = storeWith(containers, {
			creates: {
				'new-pg': {name: 'new-pg', database: 'postgres', version: '16', phase: 'ready'},
				fresh: {name: 'fresh', database: 'postgres', version: '16', phase: 'pulling 3%'},
			},
		});
		expect(selectPendingCreateNames(store.getState())).toEqual(['fresh']);
	});
});

describe('view actions', () => {
	const three = [
		fakeContainer({name: 'a', createdAt: new Date(1)}),
		fakeContainer({name: 'b', createdAt: new Date(2), state: 'exited'}),
		fakeContainer({name: 'c', createdAt: new Date(3)}),
	];

	it('moves the selection and stops at both ends', () => {
		const store = storeWith(three);
		moveSelection(store, 1);
		expect(store.getState().selectedId).toBe('id-b');
		moveSelection(store, 5);
		expect(store.getState().selectedId).toBe('id-c');
		moveSelection(store, -9);
		expect(store.getState().selectedId).toBe('id-a');
		selectContainer(store, 'id-c');
		expect(selectSelectedEntry(store.getState())?.container.name).toBe('c');
	});

	it('hiding stopped containers moves a selection that pointed at one', () => {
		const store = storeWith(three, {selectedId: 'id-b'});
		toggleShowAll(store);
		expect(store.getState().showAll).toBe(false);
		expect(store.getState().selectedId).toBe('id-c');
		expect(store.getState().message?.text).toBe('Showing running containers only (a: show all)');
	});

	it('filters as typed, keeps the filter on enter and clears it on escape', () => {
		const store = storeWith(three);
		startFilter(store);
		expect(store.getState().filterEditing).toBe(true);
		setFilter(store, 'c ');
		expect(store.getState().selectedId).toBe('id-c');
		endFilter(store, true);
		expect(store.getState()).toMatchObject({filter: 'c', filterEditing: false});
		startFilter(store);
		endFilter(store, false);
		expect(store.getState().filter).toBe('');
	});

	it('toggles the details panel', () => {
		const store = storeWith(three);
		toggleDetails(store);
		expect(store.getState().showDetails).toBe(false);
	});
});
