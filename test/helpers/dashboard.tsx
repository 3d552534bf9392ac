import type React from 'react';
import {render} from 'ink-testing-library';
import {vi} from 'vitest';
import type {CreateResult, ResetResult} from '../../source/core/lifecycle.js';
import {planCreate} from '../../source/core/create/plan.js';
import type {ManagedContainer} from '../../source/core/types.js';
import {createDashboardStore, type DashboardStore} from '../../source/store/create-dashboard-store.js';
import {createDashboardOperations, type DashboardCore, type DashboardOperations} from '../../source/store/operations.js';
import type {DashboardState} from '../../source/store/state.js';
import {App} from '../../source/ui/components/App.js';
import {DashboardContext} from '../../source/ui/dashboard-context.js';
import {waitForFrame, type InkInstance} from './ink.js';

/** A managed container as the core would return it; override what a test cares about. */
export function fakeContainer(overrides: Partial<ManagedContainer> & {name: string}): ManagedContainer {
	const port = overrides.hostPort ?? 5432;
	const running = (overrides.state ?? 'running') === 'running';
	return {
		id: `id-${overrides.name}`,
		database: 'postgres',
		version: '16',
		image: '127.0.0.1:5000/library/postgres:16-alpine',
		mode: 'fast',
		source: 'fresh',
		state: 'running',
		status: '',
		createdAt: new Date('2026-01-01T10:00:00Z'),
		...(running ? {startedAt: new Date('2026-01-01T10:00:01Z')} : {}),
		exitCode: 0,
		oomKilled: false,
		hostIp: '127.0.0.1',
		hostPort: port,
		containerPort: 5432,
		connection: {
			user: 'postgres',
			password: 'dbarena',
			database: 'testdb',
			host: '127.0.0.1',
			port,
			url: `postgresql://postgres:dbarena@127.0.0.1:${port}/testdb`,
		},
		labels: {'dbarena.managed': 'true', 'dbarena.database': 'postgres'},
		...overrides,
	};
}

/** A store holding `containers` (all healthy unless stopped) and whatever else the test sets. */
export function storeWith(containers: ManagedContainer[], initial: Partial<DashboardState> = {}): DashboardStore {
	return createDashboardStore({
		address: 'unix:///var/run/docker.sock',
		initial: {
			engine: {state: 'connected', address: 'unix:///var/run/docker.sock'},
			containers: Object.fromEntries(
				containers.map(container => [container.id, {container, health: container.state === 'running' ? ('healthy' as const) : ('stopped' as const)}]),
			),
			selectedId: containers[0]?.id,
			...initial,
		},
	});
}

type Deferred<T> = {promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void};

export function deferred<T>(): Deferred<T> {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((resolvePromise, rejectPromise) => {
		resolve = resolvePromise;
		reject = rejectPromise;
	});
	return {promise, resolve, reject};
}

/**
 * A core whose operations succeed at once unless a test replaces them. plan is the real one (pure),
 * so the form is validated exactly as in the product. Results are based on `known` containers
 * (matched by name) so that a stopped container keeps its identity and place in the table.
 */
export function fakeCore(overrides: Partial<DashboardCore> = {}, known: readonly ManagedContainer[] = []) {
	const base = (name: string) => known.find(container => container.name === name) ?? fakeContainer({name});
	const running = (name: string): ManagedContainer => ({...base(name), state: 'running', startedAt: new Date('2026-01-01T10:04:59Z')});
	const core = {
		plan: vi.fn<DashboardCore['plan']>(options => planCreate(options, {registry: '127.0.0.1:5000'})),
		create: vi.fn<DashboardCore['create']>(async options => {
			const container = fakeContainer({name: options.name ?? 'created', hostPort: 5440, createdAt: new Date('2026-01-01T10:04:00Z')});
			const result: CreateResult = {container, connection: container.connection!, pulled: false, readyMs: 1000, totalMs: 1500, volumeReused: false};
			return result;
		}),
		start: vi.fn<DashboardCore['start']>(async name => ({container: running(name), readyMs: 800})),
		stop: vi.fn<DashboardCore['stop']>(async name => {
			const {startedAt: _startedAt, ...rest} = base(name);
			return {...rest, state: 'exited', exitCode: 0};
		}),
		restart: vi.fn<DashboardCore['restart']>(async name => ({container: running(name), readyMs: 700})),
		destroy: vi.fn<DashboardCore['destroy']>(async name => ({container: base(name)})),
		// A reset makes a new container (a new id) with the same name and settings.
		reset: vi.fn<DashboardCore['reset']>(async name => {
			const container: ManagedContainer = {...running(name), id: `${base(name).id}-reset`};
			const created: CreateResult = {container, connection: container.connection!, pulled: false, readyMs: 900, totalMs: 1200, volumeReused: false};
			const result: ResetResult = {...created, droppedSlots: [], walPosition: null};
			return result;
		}),
		resetData: vi.fn<DashboardCore['resetData']>(async name => ({
			name,
			database: 'testdb',
			ms: 42,
			reset: {schemas: ['public'], tables: 3},
			kept: {slots: ['orders_slot'], roles: ['cdc']},
			terminated: 1,
			seed: null,
		})),
		snapshot: vi.fn<DashboardCore['snapshot']>(async name => ({tag: `${name}-20260101-100500`, ms: 2300, pausedMs: 400})),
		readCdcStatus: vi.fn<DashboardCore['readCdcStatus']>(async () => undefined),
		// A load that writes nothing and runs until it is stopped, then says it did 120 writes in 2.4 s.
		load: vi.fn<DashboardCore['load']>(async (container, {signal}) => {
			await new Promise<void>(resolve => {
				if (signal.aborted) resolve();
				else signal.addEventListener('abort', () => resolve(), {once: true});
			});
			return {
				database: container.database,
				tables: ['dbarena_load_1'],
				rate: 50,
				durationSeconds: null,
				mix: {insert: 60, update: 30, delete: 10},
				ops: {insert: 72, update: 36, delete: 12, total: 120},
				elapsedSeconds: 2.4,
				achievedRate: 50,
				skipped: 0,
				latencyMs: {p50: 1.2, p99: 4.5, max: 6},
				ended: 'stopped',
			};
		}),
	};
	// Replaced implementations stay mocks, so tests can still inspect their calls.
	if (overrides.plan) core.plan.mockImplementation(overrides.plan);
	if (overrides.create) core.create.mockImplementation(overrides.create);
	if (overrides.start) core.start.mockImplementation(overrides.start);
	if (overrides.stop) core.stop.mockImplementation(overrides.stop);
	if (overrides.restart) core.restart.mockImplementation(overrides.restart);
	if (overrides.destroy) core.destroy.mockImplementation(overrides.destroy);
	if (overrides.reset) core.reset.mockImplementation(overrides.reset);
	if (overrides.snapshot) core.snapshot.mockImplementation(overrides.snapshot);
	if (overrides.readCdcStatus) core.readCdcStatus.mockImplementation(overrides.readCdcStatus);
	if (overrides.load) core.load.mockImplementation(overrides.load);
	return core;
}

export type RenderedDashboard = {
	instance: InkInstance;
	store: DashboardStore;
	operations: DashboardOperations;
	core: ReturnType<typeof fakeCore>;
};

/** The whole App over a store filled by the test; resolves once the first frame is drawn. */
export async function renderDashboard(store: DashboardStore, core = fakeCore({}, containersOf(store))): Promise<RenderedDashboard> {
	const operations = createDashboardOperations(store, core);
	const instance = render(<App store={store} operations={operations} />);
	await waitForFrame(instance, frame => frame.includes('dbarena'));
	return {instance, store, operations, core};
}

export function containersOf(store: DashboardStore): ManagedContainer[] {
	return Object.values(store.getState().containers).map(entry => entry.container);
}

/** One component over a store, with the context the App would give it. */
export async function renderWith(element: React.ReactElement, store: DashboardStore, core = fakeCore()): Promise<RenderedDashboard> {
	const operations = createDashboardOperations(store, core);
	const instance = render(<DashboardContext.Provider value={{store, operations}}>{element}</DashboardContext.Provider>);
	await waitForFrame(instance, frame => frame.trim() !== '');
	return {instance, store, operations, core};
}
