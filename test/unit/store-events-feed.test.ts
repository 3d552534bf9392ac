import {afterEach, describe, expect, it, vi} from 'vitest';
import {NotFoundError} from '../../source/core/errors.js';
import type {EngineIdentity} from '../../source/core/lifecycle.js';
import type {ContainerEvent, WatchEventsOptions} from '../../source/core/streams.js';
import type {ManagedContainer} from '../../source/core/types.js';
import {startEventsFeed} from '../../source/store/feeders/events-feed.js';
import {deferred, fakeContainer, storeWith} from '../helpers/dashboard.js';

/** A stand-in for watchEvents: the test plays the engine's side through `handlers`. */
function fakeWatch() {
	let handlers: WatchEventsOptions | undefined;
	const stop = vi.fn();
	return {
		feeds: {
			watchEvents(options: WatchEventsOptions) {
				handlers = options;
				return {stop};
			},
		},
		get handlers() {
			if (!handlers) throw new Error('watchEvents was not called');
			return handlers;
		},
		stop,
	};
}

const event = (action: string, id: string): ContainerEvent => ({action, id, name: id, time: new Date(), labels: {}});

/** What the engine says it is, as a fake manager answers by default. */
const dockerEngine = async (): Promise<EngineIdentity> => ({product: 'Docker Engine', version: '20.10.24'});

/** A manager whose engine holds `engine` (by id); find throws NotFoundError like the real one. */
function fakeManager(engine: Map<string, ManagedContainer>) {
	return {
		engineIdentity: vi.fn(dockerEngine),
		list: vi.fn(async () => [...engine.values()]),
		find: vi.fn(async (id: string) => {
			const container = engine.get(id);
			if (!container) throw new NotFoundError(id);
			return container;
		}),
	};
}

afterEach(() => {
	vi.useRealTimers();
});

describe('the events feed', () => {
	it('resyncs the whole list on every connection', async () => {
		const engine = new Map([['id-a', fakeContainer({name: 'a'})]]);
		const manager = fakeManager(engine);
		const store = storeWith([fakeContainer({name: 'stale'})], {engine: {state: 'connecting', address: 'x'}});
		const watch = fakeWatch();
		const feed = startEventsFeed(store, {manager, feeds: watch.feeds});
		watch.handlers.onState?.('connected');
		await vi.waitFor(() => {
			expect(Object.keys(store.getState().containers)).toEqual(['id-a']);
		});
		expect(store.getState().engine.state).toBe('connected');
		feed.stop();
		expect(watch.stop).toHaveBeenCalled();
	});

	it('inspects the container an event names, and removes a destroyed one without asking', async () => {
		const engine = new Map<string, ManagedContainer>();
		const manager = fakeManager(engine);
		const store = storeWith([]);
		const watch = fakeWatch();
		startEventsFeed(store, {manager, feeds: watch.feeds});
		engine.set('id-b', fakeContainer({name: 'b'}));
		watch.handlers.onEvent(event('start', 'id-b'));
		await vi.waitFor(() => {
			expect(store.getState().containers['id-b']?.container.state).toBe('running');
		});
		engine.set('id-b', fakeContainer({name: 'b', state: 'exited', exitCode: 137}));
		watch.handlers.onEvent(event('die', 'id-b'));
		await vi.waitFor(() => {
			expect(store.getState().containers['id-b']?.container.exitCode).toBe(137);
		});
		const finds = manager.find.mock.calls.length;
		watch.handlers.onEvent(event('destroy', 'id-b'));
		expect(store.getState().containers).toEqual({});
		expect(manager.find).toHaveBeenCalledTimes(finds);
	});

	it('an inspect answering after the destroy does not bring the container back', async () => {
		const late = deferred<ManagedContainer>();
		const manager = {list: vi.fn(async () => []), find: vi.fn(async () => late.promise), engineIdentity: dockerEngine};
		const store = storeWith([]);
		const watch = fakeWatch();
		startEventsFeed(store, {manager, feeds: watch.feeds});
		watch.handlers.onEvent(event('die', 'id-c'));
		watch.handlers.onEvent(event('destroy', 'id-c'));
		late.resolve(fakeContainer({name: 'c', state: 'exited'}));
		await late.promise;
		await new Promise(resolve => setImmediate(resolve));
		expect(store.getState().containers).toEqual({});
	});

	it('removes a container that is gone by the time it is inspected', async () => {
		const manager = fakeManager(new Map());
		const store = storeWith([fakeContainer({name: 'd'})]);
		const watch = fakeWatch();
		startEventsFeed(store, {manager, feeds: watch.feeds});
		watch.handlers.onEvent(event('die', 'id-d'));
		await vi.waitFor(() => {
			expect(store.getState().containers).toEqual({});
		});
	});

	it('coalesces a burst of events into one inspect in flight and one after it', async () => {
		const first = deferred<ManagedContainer>();
		const manager = {
			list: vi.fn(async () => []),
			find: vi
				.fn<(id: string) => Promise<ManagedContainer>>()
				.mockImplementationOnce(async () => first.promise)
				.mockImplementation(async () => fakeContainer({name: 'e', state: 'exited'})),
			engineIdentity: dockerEngine,
		};
		const store = storeWith([]);
		const watch = fakeWatch();
		startEventsFeed(store, {manager, feeds: watch.feeds});
		for (const action of ['kill', 'die', 'stop']) watch.handlers.onEvent(event(action, 'id-e'));
		first.resolve(fakeContainer({name: 'e'}));
		await vi.waitFor(() => {
			expect(store.getState().containers['id-e']?.container.state).toBe('exited');
		});
		expect(manager.find).toHaveBeenCalledTimes(2);
	});

	it('a resync does not overwrite containers that had events while it listed', async () => {
		const listed = deferred<ManagedContainer[]>();
		const engine = new Map([['id-f', fakeContainer({name: 'f', state: 'exited'})]]);
		const manager = {list: vi.fn(async () => listed.promise), find: fakeManager(engine).find, engineIdentity: dockerEngine};
		const store = storeWith([]);
		const watch = fakeWatch();
		startEventsFeed(store, {manager, feeds: watch.feeds});
		watch.handlers.onState?.('connected');
		watch.handlers.onEvent(event('die', 'id-f'));
		await vi.waitFor(() => {
			expect(store.getState().containers['id-f']?.container.state).toBe('exited');
		});
		// The list was taken before the container died.
		listed.resolve([fakeContainer({name: 'f'})]);
		await listed.promise;
		await new Promise(resolve => setImmediate(resolve));
		expect(store.getState().containers['id-f']?.container.state).toBe('exited');
	});

	it('says reconnecting at once and unreachable when it stays down, and keeps the rows', async () => {
		vi.useFakeTimers();
		const store = storeWith([fakeContainer({name: 'g'})]);
		const watch = fakeWatch();
		startEventsFeed(store, {manager: fakeManager(new Map()), feeds: watch.feeds, unreachableAfterMs: 2000});
		watch.handlers.onState?.('reconnecting');
		expect(store.getState().engine.state).toBe('reconnecting');
		await vi.advanceTimersByTimeAsync(1999);
		expect(store.getState().engine.state).toBe('reconnecting');
		await vi.advanceTimersByTimeAsync(1);
		expect(store.getState().engine.state).toBe('unreachable');
		expect(Object.keys(store.getState().containers)).toEqual(['id-g']);
		watch.handlers.onState?.('connected');
		expect(store.getState().engine.state).toBe('connected');
	});

	it('retries a resync that failed while the stream is up', async () => {
		vi.useFakeTimers();
		const manager = {
			list: vi
				.fn<() => Promise<ManagedContainer[]>>()
				.mockRejectedValueOnce(new Error('busy'))
				.mockResolvedValue([fakeContainer({name: 'h'})]),
			find: vi.fn(),
			engineIdentity: vi.fn(dockerEngine),
		};
		const store = storeWith([]);
		const watch = fakeWatch();
		startEventsFeed(store, {manager, feeds: watch.feeds, resyncRetryMs: 500});
		watch.handlers.onState?.('connected');
		await vi.advanceTimersByTimeAsync(499);
		expect(store.getState().containers).toEqual({});
		await vi.advanceTimersByTimeAsync(1);
		expect(Object.keys(store.getState().containers)).toEqual(['id-h']);
	});

	it('names the engine it reached (product and version), asked again on every connection', async () => {
		const manager = fakeManager(new Map());
		const store = storeWith([], {engine: {state: 'connecting', address: 'unix:///run/podman/podman.sock'}});
		const watch = fakeWatch();
		manager.engineIdentity.mockResolvedValueOnce({product: 'Podman', version: '4.3.1'});
		startEventsFeed(store, {manager, feeds: watch.feeds});
		expect(store.getState().engine.product).toBeUndefined();
		watch.handlers.onState?.('connected');
		await vi.waitFor(() => {
			expect(store.getState().engine.product).toBe('Podman 4.3.1');
		});
		// Restarted, and another engine (or version) answers at the same address now.
		watch.handlers.onState?.('reconnecting');
		expect(store.getState().engine.product).toBe('Podman 4.3.1');
		watch.handlers.onState?.('connected');
		await vi.waitFor(() => {
			expect(store.getState().engine.product).toBe('Docker Engine 20.10.24');
		});
		expect(manager.engineIdentity).toHaveBeenCalledTimes(2);
	});

	it('an engine that does not say what it is leaves the name out and the feed running', async () => {
		const engine = new Map([['id-i', fakeContainer({name: 'i'})]]);
		const manager = fakeManager(engine);
		manager.engineIdentity.mockRejectedValue(new Error('404 page not found'));
		const store = storeWith([]);
		const watch = fakeWatch();
		startEventsFeed(store, {manager, feeds: watch.feeds});
		watch.handlers.onState?.('connected');
		await vi.waitFor(() => {
			expect(Object.keys(store.getState().containers)).toEqual(['id-i']);
		});
		expect(store.getState().engine).toMatchObject({state: 'connected'});
		expect(store.getState().engine.product).toBeUndefined();
	});
});
