import {describe, expect, it} from 'vitest';
import type {LoadProgress} from '../../source/core/load/run.js';
import {removeContainer, upsertContainer} from '../../source/store/container-actions.js';
import {createDashboardOperations} from '../../source/store/operations.js';
import {deferred, fakeContainer, fakeCore, storeWith} from '../helpers/dashboard.js';

function setup(core = fakeCore()) {
	const pg = fakeContainer({name: 'pg'});
	const store = storeWith([pg, fakeContainer({name: 'old', state: 'exited'})]);
	const operations = createDashboardOperations(store, core);
	return {store, operations, core, pg};
}

const lastSignal = (core: ReturnType<typeof fakeCore>) => core.load.mock.calls.at(-1)![1].signal;
const settle = async () =>
	new Promise(resolve => {
		setImmediate(resolve);
	});

describe('w: a write load on the selected database', () => {
	it('starts one at the defaults, shows its rate, and stops it with its summary', async () => {
		let report: ((progress: LoadProgress) => void) | undefined;
		const core = fakeCore();
		const {store, operations} = setup(core);
		const fakeLoad = core.load.getMockImplementation()!;
		core.load.mockImplementation(async (container, control) => {
			report = control.onProgress;
			return fakeLoad(container, control);
		});
		operations.toggleLoad();
		expect(core.load).toHaveBeenCalledTimes(1);
		expect(core.load.mock.calls[0]![0].name).toBe('pg');
		expect(store.getState().loads).toEqual({'id-pg': {name: 'pg', rate: 50, ops: 0, achievedRate: 0}});
		expect(store.getState().message).toEqual({text: 'Load on pg: 50 writes/s into dbarena_load_1 (w stops it)', tone: 'progress'});

		report!({ops: 60, elapsedMs: 1200, achievedRate: 49.8});
		expect(store.getState().loads['id-pg']).toEqual({name: 'pg', rate: 50, ops: 60, achievedRate: 49.8});
		// At most once a second: the next report 300 ms later changes nothing.
		report!({ops: 75, elapsedMs: 1500, achievedRate: 50});
		expect(store.getState().loads['id-pg']!.ops).toBe(60);

		operations.toggleLoad();
		expect(lastSignal(core).aborted).toBe(true);
		await settle();
		expect(store.getState().loads).toEqual({});
		expect(store.getState().message).toEqual({text: 'Load on pg stopped: 120 writes in 2.4 s, 50.0/s, commit p50 1.2 ms p99 4.5 ms', tone: 'success'});
	});

	it('never shows the summary while the ended load is still in the status line', async () => {
		const {store, operations} = setup();
		const frames: Array<{loading: boolean; message: string | undefined}> = [];
		store.subscribe(state => frames.push({loading: 'id-pg' in state.loads, message: state.message?.text}));
		operations.toggleLoad();
		operations.toggleLoad();
		await settle();
		const summary = frames.findIndex(frame => frame.message?.startsWith('Load on pg stopped:'));
		expect(summary).toBeGreaterThan(-1);
		expect(frames.slice(summary).some(frame => frame.loading)).toBe(false);
	});

	it('does not apply to a stopped container', () => {
		const {store, operations, core} = setup();
		store.setState({selectedId: 'id-old'});
		operations.toggleLoad();
		expect(core.load).not.toHaveBeenCalled();
		expect(store.getState().message?.text).toBe('w does not apply: old is not running (s starts it)');
	});

	it.each([
		['stops', (store: ReturnType<typeof setup>['store'], pg: ReturnType<typeof fakeContainer>) => upsertContainer(store, {...pg, state: 'exited'}), 'exited'],
		['is destroyed', (store: ReturnType<typeof setup>['store'], pg: ReturnType<typeof fakeContainer>) => removeContainer(store, pg.id), 'gone'],
	] as const)('ends when its container %s', async (_, change, words) => {
		const {store, operations, core, pg} = setup();
		operations.toggleLoad();
		change(store, pg);
		expect(lastSignal(core).aborted).toBe(true);
		await settle();
		expect(store.getState().loads).toEqual({});
		expect(store.getState().message?.text).toMatch(new RegExp(`^Load on pg stopped: the container is ${words}: 120 writes`));
	});

	it('ends before its container is stopped from the dashboard, so no write fails on the way', async () => {
		const gate = deferred<void>();
		const core = fakeCore({
			async stop(name) {
				await gate.promise;
				return {...fakeContainer({name}), state: 'exited'};
			},
		});
		const {store, operations} = setup(core);
		operations.toggleLoad();
		operations.toggleStartStop();
		expect(lastSignal(core).aborted).toBe(true);
		await settle();
		expect(store.getState().loads).toEqual({});
		gate.resolve();
		await operations.settled();
		expect(core.load).toHaveBeenCalledTimes(1);
	});

	it('ends when the dashboard quits', async () => {
		const {store, operations, core} = setup();
		operations.toggleLoad();
		await operations.shutdown(1000);
		expect(lastSignal(core).aborted).toBe(true);
		expect(store.getState().loads).toEqual({});
	});

	it('a load that fails says why, and the key starts a new one afterwards', async () => {
		const gate = deferred<never>();
		const core = fakeCore({load: async () => gate.promise});
		const {store, operations} = setup(core);
		operations.toggleLoad();
		gate.reject(new Error('The load stopped after 12 writes: Connection terminated unexpectedly'));
		await settle();
		expect(store.getState().message).toEqual({text: 'Load on pg failed: The load stopped after 12 writes: Connection terminated unexpectedly', tone: 'error'});
		expect(store.getState().loads).toEqual({});
		operations.toggleLoad();
		expect(core.load).toHaveBeenCalledTimes(2);
	});
});
