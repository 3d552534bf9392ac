import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {setHealth, upsertContainer} from '../../source/store/container-actions.js';
import {changeStreamNotAvailable, startChangeFollower} from '../../source/store/feeders/change-follower.js';
import {selectContainer, toggleChangesPane} from '../../source/store/view-actions.js';
import {changeEvent, fakeChangeOpener} from '../helpers/changes.js';
import {fakeContainer, storeWith} from '../helpers/dashboard.js';

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

const cdc = {user: 'cdc', password: 'secret', publication: 'dbarena_cdc'};

/** Two --cdc databases and a plain one, the first selected, the Changes pane shown or not. */
function arena(options: {shown?: boolean} = {}) {
	const store = storeWith([
		fakeContainer({name: 'pg', cdc, createdAt: new Date(1)}),
		fakeContainer({name: 'maria', cdc, database: 'mariadb', createdAt: new Date(2)}),
		fakeContainer({name: 'plain', createdAt: new Date(3)}),
	]);
	if (options.shown ?? true) store.setState({bottomPane: 'changes'});
	return store;
}

describe('the change follower', () => {
	it('opens one stream for the selected --cdc database while the Changes pane is shown', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open});
		expect(opener.open).toHaveBeenCalledTimes(1);
		expect(opener.opened[0]!.container.name).toBe('pg');
		// The pane filters what it shows, so the stream brings every table and operation to count.
		expect(opener.opened[0]!.filter).toEqual({});
		expect(store.getState().changes).toMatchObject({containerId: 'id-pg', stream: 'opening'});
		await vi.advanceTimersByTimeAsync(0);
		expect(store.getState().changes.stream).toBe('open');
		// Unrelated updates (a stats sample, a message) open nothing more.
		store.setState({message: {text: 'hello', tone: 'info'}});
		expect(opener.open).toHaveBeenCalledTimes(1);
	});

	it('opens nothing, and sets no timer, while the pane is hidden or the selection is not a running --cdc database', async () => {
		const store = arena({shown: false});
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open});
		selectContainer(store, 'id-maria');
		await vi.advanceTimersByTimeAsync(1000);
		expect(opener.open).not.toHaveBeenCalled();
		toggleChangesPane(store);
		expect(opener.open).toHaveBeenCalledTimes(1);
		selectContainer(store, 'id-plain');
		await vi.advanceTimersByTimeAsync(1000);
		expect(opener.open).toHaveBeenCalledTimes(1);
		expect(vi.getTimerCount()).toBe(0);
		expect(store.getState().changes.containerId).toBeUndefined();
	});

	it('closes the stream when the selection changes, and opens the new one', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open});
		await vi.advanceTimersByTimeAsync(0);
		const first = opener.last();
		selectContainer(store, 'id-maria');
		expect(first.close).toHaveBeenCalledTimes(1);
		expect(first.listening()).toBe(0);
		expect(opener.open).toHaveBeenCalledTimes(2);
		expect(opener.opened[1]!.container.name).toBe('maria');
		expect(store.getState().changes.containerId).toBe('id-maria');
	});

	it('closes the stream when the pane is hidden, and drops what it showed', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open, flushMs: 50});
		await vi.advanceTimersByTimeAsync(0);
		opener.last().emit(changeEvent());
		toggleChangesPane(store);
		expect(opener.last().close).toHaveBeenCalledTimes(1);
		expect(vi.getTimerCount()).toBe(0);
		expect(store.getState().changes.events).toEqual([]);
	});

	it('closes the stream when the container stops, and says so under what it received', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open, flushMs: 50});
		await vi.advanceTimersByTimeAsync(0);
		opener.last().emit(changeEvent());
		const {startedAt: _startedAt, ...pg} = store.getState().containers['id-pg']!.container;
		upsertContainer(store, {...pg, state: 'exited'});
		expect(opener.last().close).toHaveBeenCalledTimes(1);
		expect(store.getState().changes).toMatchObject({containerId: 'id-pg', stream: 'ended', note: 'the container is not running'});
		expect(store.getState().changes.events).toHaveLength(1);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('waits for a starting database, and opens a new stream for a new run', async () => {
		const store = arena();
		setHealth(store, 'id-pg', new Date('2026-01-01T10:00:01Z'), 'starting');
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open});
		expect(opener.open).not.toHaveBeenCalled();
		setHealth(store, 'id-pg', new Date('2026-01-01T10:00:01Z'), 'healthy');
		expect(opener.open).toHaveBeenCalledTimes(1);
		await vi.advanceTimersByTimeAsync(0);
		const pg = store.getState().containers['id-pg']!.container;
		const restartedAt = new Date('2026-01-01T11:00:00Z');
		upsertContainer(store, {...pg, startedAt: restartedAt});
		expect(opener.opened[0]!.fake.close).toHaveBeenCalledTimes(1);
		expect(store.getState().changes).toMatchObject({stream: 'ended', note: 'waiting for the database to be ready'});
		expect(opener.open).toHaveBeenCalledTimes(1);
		setHealth(store, 'id-pg', restartedAt, 'healthy');
		expect(opener.open).toHaveBeenCalledTimes(2);
		expect(store.getState().changes).toMatchObject({stream: 'opening', note: undefined});
	});

	it('closes every stream when it stops (the dashboard exits), and drained() waits for the close', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		const follower = startChangeFollower(store, {open: opener.open, flushMs: 50});
		await vi.advanceTimersByTimeAsync(0);
		let closed = false;
		opener.last().close.mockImplementation(async () => {
			await new Promise(resolve => setTimeout(resolve, 200));
			closed = true;
		});
		opener.last().emit(changeEvent());
		follower.stop();
		expect(opener.last().close).toHaveBeenCalledTimes(1);
		const drained = follower.drained();
		await vi.advanceTimersByTimeAsync(200);
		await drained;
		expect(closed).toBe(true);
		expect(vi.getTimerCount()).toBe(0);
		// Nothing reopens after the stop.
		selectContainer(store, 'id-maria');
		expect(opener.open).toHaveBeenCalledTimes(1);
	});

	it('closes a stream that opens after it stopped being wanted', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		opener.hold();
		const follower = startChangeFollower(store, {open: opener.open});
		selectContainer(store, 'id-maria');
		follower.stop();
		// The dashboard waits for opens still under way too: each would leave a slot behind.
		let drained = false;
		void follower.drained().then(() => {
			drained = true;
		});
		await vi.advanceTimersByTimeAsync(0);
		expect(drained).toBe(false);
		opener.release();
		await vi.advanceTimersByTimeAsync(0);
		expect(opener.opened).toHaveLength(2);
		for (const {fake} of opener.opened) expect(fake.close).toHaveBeenCalledTimes(1);
		expect(drained).toBe(true);
	});

	it('writes events in batches, in order, into a bounded buffer', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open, flushMs: 100, limit: 5});
		await vi.advanceTimersByTimeAsync(0);
		let updates = 0;
		store.subscribe(() => {
			updates++;
		});
		for (let id = 1; id <= 7; id++) opener.last().emit(changeEvent({key: {id}, position: `0/${id}`}));
		expect(updates).toBe(0);
		await vi.advanceTimersByTimeAsync(100);
		expect(updates).toBe(1);
		const {changes} = store.getState();
		expect(changes.events.map(event => event.position)).toEqual(['0/3', '0/4', '0/5', '0/6', '0/7']);
		expect(changes.dropped).toBe(2);
		expect(changes.counts).toEqual({'public.orders': {insert: 7, update: 0, delete: 0}});
		expect(vi.getTimerCount()).toBe(0);
	});

	it('counts per table and operation, and measures the lag from commit (last and median)', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open, flushMs: 100});
		await vi.advanceTimersByTimeAsync(0);
		const at = (commit: number, received: number) => ({commitTime: new Date(commit), receivedAt: new Date(received)});
		opener
			.last()
			.emit(
				changeEvent({operation: 'insert', ...at(1000, 1010)}),
				changeEvent({operation: 'update', ...at(2000, 2030)}),
				changeEvent({operation: 'delete', table: 'public.items', ...at(3000, 3020)}),
				changeEvent({operation: 'insert', table: 'public.items', commitTime: undefined, receivedAt: new Date(4000)}),
			);
		await vi.advanceTimersByTimeAsync(100);
		const {changes} = store.getState();
		expect(changes.counts).toEqual({
			'public.orders': {insert: 1, update: 1, delete: 0},
			'public.items': {insert: 1, update: 0, delete: 1},
		});
		// The event without a commit time says nothing about lag.
		expect(changes.lag).toEqual({lastMs: 20, medianMs: 20});
		opener.last().emit(changeEvent({...at(5000, 5100)}));
		await vi.advanceTimersByTimeAsync(100);
		expect(store.getState().changes.lag).toEqual({lastMs: 100, medianMs: 25});
	});

	it('shows why the stream ended, and keeps what it received', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open, flushMs: 100});
		await vi.advanceTimersByTimeAsync(0);
		opener.last().emit(changeEvent());
		opener.last().end(new Error('Connection terminated unexpectedly'));
		expect(store.getState().changes).toMatchObject({stream: 'ended', note: 'change stream lost: Connection terminated unexpectedly'});
		expect(store.getState().changes.events).toHaveLength(1);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('shows why the stream could not open, and does not retry on its own', async () => {
		const store = arena();
		const open = vi.fn(changeStreamNotAvailable);
		startChangeFollower(store, {open});
		await vi.advanceTimersByTimeAsync(10_000);
		expect(open).toHaveBeenCalledTimes(1);
		expect(store.getState().changes).toMatchObject({
			containerId: 'id-pg',
			stream: 'ended',
			note: 'could not open the change stream: change stream not available',
		});
	});

	it('drops events of a stream that is no longer the current one', async () => {
		const store = arena();
		const opener = fakeChangeOpener();
		startChangeFollower(store, {open: opener.open, flushMs: 100});
		await vi.advanceTimersByTimeAsync(0);
		const first = opener.last();
		first.emit(changeEvent({position: 'old'}));
		selectContainer(store, 'id-maria');
		await vi.advanceTimersByTimeAsync(100);
		expect(store.getState().changes.events).toEqual([]);
	});
});
