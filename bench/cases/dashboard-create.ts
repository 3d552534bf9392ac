import {engineStreams} from '../../source/core/streams.js';
import {bindCore} from '../../source/store/bind-core.js';
import {createDashboardStore} from '../../source/store/create-dashboard-store.js';
import {startFeeders} from '../../source/store/feeders/start-feeders.js';
import {createDashboardOperations, type DashboardTerminal} from '../../source/store/operations.js';
import type {DashboardState} from '../../source/store/state.js';
import {errorText, ensureTemplate, rotate, type BenchCase} from '../lib/case.js';
import {now} from '../lib/clock.js';
import {manager} from '../lib/dbarena.js';
import {loginSoon} from '../lib/prober.js';
import {Collector} from '../lib/results.js';
import {containerName, discard} from '../lib/session.js';
import {defaultConn, targets} from '../lib/targets.js';
import {floorStart} from '../lib/tools/floor.js';

export const dashboardCreateLabel = {
	dashboard: 'dashboard create, in-process (c → healthy row)',
	login: 'dashboard create: a host login after the row turned healthy (its end)',
	floor: 'floor: docker run of the template image → host login (every 20 ms)',
	ratio: 'dashboard create ÷ the floor, per run',
} as const;

// The bench drives only create: the terminal's lending and clipboard are never asked for.
const noTerminal: DashboardTerminal = {
	runShell: async () => Promise.reject(new Error('no terminal in the bench')),
	copy: async () => ({copied: false, why: 'no terminal in the bench'}),
};

/**
 * Issue 19 item 3: a create from the dashboard pays no Node start, so it is measured in-process,
 * through the store's own action, as the `c` key runs it: from the action to the row the store
 * shows healthy, then a host login to check that "healthy" was true. The floor is the same
 * container by `docker run` with a host login every 20 ms, in the same run.
 */
export const dashboardCreate: BenchCase = {
	id: 'dashboard-create',
	title: 'Create from the dashboard (in-process) against its floor',
	async run({runs, log}) {
		const target = targets.pg;
		await ensureTemplate(target);
		const core = manager();
		const store = createDashboardStore({address: core.address});
		const feeders = startFeeders(store, {manager: core, feeds: engineStreams(core.engine)});
		const operations = createDashboardOperations(store, bindCore(core), noTerminal);
		const collector = new Collector();
		const raw: Array<Record<string, unknown>> = [];
		const healthyRow = async (name: string): Promise<{at: number; port: number}> =>
			new Promise((resolve, reject) => {
				const check = (state: DashboardState) => {
					const entry = Object.values(state.containers).find(candidate => candidate.container.name === name);
					if (entry?.health !== 'healthy' || entry.container.hostPort === undefined) return;
					clearTimeout(timer);
					unsubscribe();
					resolve({at: now(), port: entry.container.hostPort});
				};
				const timer = setTimeout(() => {
					unsubscribe();
					reject(new Error(`${name} never showed healthy in the store`));
				}, 120_000);
				const unsubscribe = store.subscribe(check);
				check(store.getState());
			});
		try {
			// One create first: the drivers and the modules the pipeline loads on first use are then
			// warm, as in a dashboard that has been open a while.
			const warm = containerName('dash-warm');
			operations.create({database: target.database, version: target.version, name: warm});
			await healthyRow(warm);
			await discard(warm);
			for (let run = 0; run < runs; run++) {
				const entry: Record<string, unknown> = {run};
				raw.push(entry);
				try {
					for (const step of rotate(['dashboard', 'floor'] as const, run)) {
						log(`dashboard-create: run ${run + 1}/${runs} ${step}`);
						if (step === 'floor') {
							const floor = await floorStart(target, {template: true});
							await discard(floor.container);
							entry['floor'] = floor.readyMs;
							continue;
						}
						const name = containerName('dash');
						const t0 = now();
						const refused = operations.create({database: target.database, version: target.version, name});
						if (refused) throw new Error(refused);
						const {at, port} = await healthyRow(name);
						const login = await loginSoon(target.client, defaultConn(target, port));
						await discard(name);
						entry['dashboard'] = at - t0;
						entry['login'] = login.t - t0;
						entry['loginFailures'] = login.failures;
						if (login.failures > 0) throw new Error(`the row said healthy, but ${login.failures} host login(s) failed after it`);
					}
					const dashboard = entry['dashboard'] as number;
					const floor = entry['floor'] as number;
					collector.add(dashboardCreateLabel.dashboard, 'ms', dashboard);
					collector.add(dashboardCreateLabel.login, 'ms', entry['login'] as number);
					collector.add(dashboardCreateLabel.floor, 'ms', floor);
					collector.add(dashboardCreateLabel.ratio, 'ratio', dashboard / floor);
				} catch (error) {
					entry['error'] = errorText(error);
					log(`  failed: ${errorText(error)}`);
				}
			}
		} finally {
			feeders.stop();
		}
		return {
			tables: [
				collector.table(
					`${target.title}: create from the dashboard, from its template`,
					Object.values(dashboardCreateLabel),
					[dashboardCreateLabel.floor],
					['One warm-up create before the runs (not counted): a dashboard that has been open a while has its modules loaded.'],
				),
			],
			notes: [],
			raw,
		};
	},
};
