import {ensureTemplate, errorText, rotate, type BenchCase} from '../lib/case.js';
import {dbarena, freshFlag, parseCreate} from '../lib/dbarena.js';
import {sleep} from '../lib/clock.js';
import {inspect} from '../lib/docker.js';
import {freePort} from '../lib/ports.js';
import {Prober} from '../lib/prober.js';
import {Collector} from '../lib/results.js';
import {cleanupSession, containerName, discard} from '../lib/session.js';
import {defaultConn, targets, type Target} from '../lib/targets.js';

type Variant = {label: string; target: Target; fresh: boolean; holdSeconds: number};

const variants: Variant[] = [
	{label: 'PostgreSQL 16 fresh', target: targets.pg, fresh: true, holdSeconds: 0},
	{label: 'PostgreSQL 16 fresh, init held 2 s', target: targets.pg, fresh: true, holdSeconds: 2},
	{label: 'MariaDB 10.11 fresh', target: targets.mariadb, fresh: true, holdSeconds: 0},
	{label: 'MariaDB 10.11 fresh, init held 2 s', target: targets.mariadb, fresh: true, holdSeconds: 2},
	{label: 'PostgreSQL 16 from template', target: targets.pg, fresh: false, holdSeconds: 0},
	{label: 'MariaDB 10.11 from template', target: targets.mariadb, fresh: false, holdSeconds: 0},
];

type LagRun = {
	run: number;
	variant: string;
	source?: string;
	/** ms since spawn */
	proberFirstOkStart?: number;
	proberFirstOk?: number;
	json?: number;
	exit?: number;
	lagJson?: number;
	lagExit?: number;
	beforeProber?: boolean;
	failedLoginsAfterReady?: number;
	checkAfterReadyOk?: boolean;
	attempts?: number;
	error?: string;
};

export const lagLabel = {
	freshJson: "all fresh starts: said ready (JSON) after the prober's first login",
	freshExit: "all fresh starts: process exit after the prober's first login",
} as const;

/**
 * An independent host prober logs in every 20 ms on the port dbarena is told to use (--port);
 * how long after its first success does dbarena say ready? Negative: dbarena said it first.
 */
export const detectionLag: BenchCase = {
	id: 'lag',
	title: 'Readiness detection lag',
	async run({runs, log}) {
		await ensureTemplate(targets.pg);
		await ensureTemplate(targets.mariadb);
		const collector = new Collector();
		const raw: LagRun[] = [];
		for (let run = 0; run < runs; run++) {
			for (const variant of rotate(variants, run)) {
				log(`lag: run ${run + 1}/${runs} ${variant.label}`);
				const entry: LagRun = {run, variant: variant.label};
				raw.push(entry);
				const port = await freePort();
				const name = containerName(`${variant.target.id}-lag`);
				const args = [
					'create',
					variant.target.database,
					'--version',
					variant.target.version,
					'--json',
					'--name',
					name,
					'--port',
					String(port),
					...(variant.holdSeconds > 0 ? ['--env', `FIXTURE_INIT_HOLD_SECONDS=${variant.holdSeconds}`] : []),
					...(variant.fresh ? [freshFlag] : []),
				];
				// Attempts every 20 ms from the moment the container runs (see Prober) until the first success.
				const prober = new Prober(variant.target.client, defaultConn(variant.target, port), 20);
				let watching = true;
				const watcher = (async () => {
					while (watching) {
						if ((await inspect(name))?.running) {
							prober.start({untilOk: true});
							return;
						}
						await sleep(20);
					}
				})();
				try {
					const result = await dbarena(args).finally(() => {
						watching = false;
					});
					await watcher;
					parseCreate(result);
					const saidReady = result.tLastStdout ?? result.tExit;
					const firstOk = await prober.untilOk(10_000);
					await prober.stop();
					if (firstOk === undefined || prober.firstOkStart === undefined) throw new Error(`the prober never logged in: ${prober.lastError ?? ''}`);
					// One more login, started after dbarena said ready: it must work.
					const check = await prober.attemptNow();
					entry.source = (await inspect(name))?.labels['dbarena.source'] ?? 'fresh';
					Object.assign(entry, {
						proberFirstOkStart: prober.firstOkStart - result.t0,
						proberFirstOk: firstOk - result.t0,
						json: saidReady - result.t0,
						exit: result.tExit - result.t0,
						lagJson: saidReady - firstOk,
						lagExit: result.tExit - firstOk,
						// Before any login that worked had even begun: dbarena cannot have seen the server ready.
						beforeProber: saidReady < prober.firstOkStart,
						failedLoginsAfterReady: prober.failuresAfter(saidReady),
						checkAfterReadyOk: check.ok,
						attempts: prober.attempts.length,
					});
					collector.add(`${variant.label}: said ready (JSON) after the prober's first login`, 'ms', entry.lagJson);
					collector.add(`${variant.label}: process exit after the prober's first login`, 'ms', entry.lagExit);
					if (variant.fresh) {
						collector.add(lagLabel.freshJson, 'ms', entry.lagJson);
						collector.add(lagLabel.freshExit, 'ms', entry.lagExit);
					}
				} catch (error) {
					entry.error = errorText(error);
					log(`  failed: ${entry.error}`);
					await prober.stop();
					await cleanupSession();
				} finally {
					await discard(name);
				}
			}
		}
		const done = raw.filter(entry => entry.error === undefined);
		const fresh = done.filter(entry => variants.find(variant => variant.label === entry.variant)?.fresh);
		const early = done.filter(entry => entry.beforeProber).length;
		const freshEarly = fresh.filter(entry => entry.beforeProber).length;
		const falseReady = done.filter(entry => (entry.failedLoginsAfterReady ?? 0) > 0).length;
		const notes = [
			"Runs where dbarena said ready before the prober's first successful login had even started (early): " +
				`${early} of ${done.length} (fresh starts: ${freshEarly} of ${fresh.length}); must be 0.`,
			`Runs where a login started after dbarena said ready failed (a false "ready"): ${falseReady} of ${done.length}; must be 0.`,
			"Negative lag: dbarena's own login finished before the prober's (a login takes tens of ms here, and the prober starts one every 20 ms).",
			`Fresh runs that were not fresh after all: ${fresh.filter(entry => entry.source !== 'fresh').length}. Fresh runs use ${freshFlag}.`,
			...(raw.length > done.length ? [`${raw.length - done.length} runs failed (see the JSON).`] : []),
		];
		const labels = [
			lagLabel.freshJson,
			lagLabel.freshExit,
			...variants.flatMap(variant => [
				`${variant.label}: said ready (JSON) after the prober's first login`,
				`${variant.label}: process exit after the prober's first login`,
			]),
		];
		return {
			tables: [collector.table('Detection lag: dbarena\'s "ready" after an independent 20 ms host prober first logged in', labels, [], notes)],
			notes: [],
			raw,
		};
	},
};
