import {randomBytes} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {imageId as coreImageId} from '../../source/core/docker/commit.js';
import {buildTemplate, templateKey, templateRepository} from '../../source/core/templates.js';
import {ensureImage, errorText, type BenchCase} from '../lib/case.js';
import {now, sleep} from '../lib/clock.js';
import {manager} from '../lib/dbarena.js';
import {docker, imageId, inspect} from '../lib/docker.js';
import {execute} from '../lib/login.js';
import {Collector} from '../lib/results.js';
import {cleanupSession, discard, track} from '../lib/session.js';
import {targets, type Target} from '../lib/targets.js';
import {dbarenaCreate, type DbarenaStart} from '../lib/tools/dbarena.js';

export const seedRows = 10_000;

export const seedLabel = {
	unseeded: (target: Target) => `${target.title}: unseeded create from a template built in the same run (command → host login)`,
	first: (target: Target) => `${target.title}: seeded create, first: fresh, runs the init files (command → host login)`,
	firstExit: (target: Target) => `${target.title}: seeded create, first (command → process exit)`,
	firstLinger: (target: Target) => `${target.title}: seeded create, first: JSON printed → process exit (the init files go to the builder's stdin)`,
	unseededLinger: (target: Target) => `${target.title}: unseeded create: JSON printed → process exit`,
	background: (target: Target) => `${target.title}: seeded template built in the background, ready (since that command started)`,
	second: (target: Target) => `${target.title}: seeded create, second: from the seeded template (command → host login)`,
	gap: (target: Target) => `${target.title}: second seeded create minus the unseeded one of the same run`,
	unseededServer: (target: Target) => `${target.title}: unseeded from its template: container start → first login (dbarena's readyMs)`,
	secondServer: (target: Target) => `${target.title}: seeded second: container start → first login (dbarena's readyMs)`,
	serverGap: (target: Target) => `${target.title}: seeded second minus unseeded, container start → first login`,
} as const;

/** Schema and 10 000 rows as one multi-row INSERT (as a dump tool writes them); the nonce makes a new seed. */
function writeSeed(folder: string, nonce: string): void {
	mkdirSync(folder, {recursive: true});
	writeFileSync(path.join(folder, '001-schema.sql'), `-- bench seed ${nonce}\nCREATE TABLE orders (id int PRIMARY KEY, item varchar(64), qty int);\n`);
	const rows = Array.from({length: seedRows}, (_, index) => `(${index + 1}, 'item number ${index + 1}', ${index % 97})`).join(',\n');
	writeFileSync(path.join(folder, '002-data.sql'), `INSERT INTO orders VALUES\n${rows};\n`);
}

async function rowCount(target: Target, started: DbarenaStart): Promise<number> {
	const [rows] = await execute(target.client, started.created.connection, ['SELECT COUNT(*) AS n FROM orders']);
	return Number((rows as Array<{n: unknown}>)[0]?.n);
}

type SeedRun = {unseeded?: DbarenaStart; first?: DbarenaStart; templateReadyMs?: number; second?: DbarenaStart; rowsOk: boolean};

/**
 * One run for one database: a new seed (its nonce makes a new template key), its first create
 * (fresh: the init files run at the first start; the CLI then builds the seeded template in the
 * background), the second create with the same files (from that template), and an unseeded
 * create from its own template in the same run, before or after them, as the floor.
 */
async function seedRun(target: Target, root: string, run: number, log: (line: string) => void): Promise<SeedRun> {
	const nonce = randomBytes(4).toString('hex');
	const folder = path.join(root, `${target.id}-${run}`);
	writeSeed(folder, nonce);
	const plan = manager().plan({database: target.database, version: target.version, init: [folder]});
	const key = templateKey(plan, await coreImageId(manager().engine.docker, plan.image));
	const reference = `${templateRepository(plan)}:${key}`;
	const builder = `dbarena-template-build-${key}`;
	track(builder);
	const extra = ['--init', folder];
	const out: SeedRun = {rowsOk: true};
	const containers: string[] = [];
	// The floor: an unseeded create from a template built in this run too (an unused variable makes
	// its key), so both templates are equally new to the engine and the page cache, not one of them
	// built an hour ago and evicted since.
	const baseline = {DBARENA_BENCH_NONCE: nonce};
	const baselinePlan = manager().plan({database: target.database, version: target.version, env: baseline});
	const baselineReference = `${templateRepository(baselinePlan)}:${templateKey(baselinePlan, await coreImageId(manager().engine.docker, baselinePlan.image))}`;
	const unseeded = async () => {
		await buildTemplate(manager().engine, {database: target.database, version: target.version, env: baseline});
		out.unseeded = await dbarenaCreate(target, {fresh: false, extra: ['--env', `DBARENA_BENCH_NONCE=${nonce}`], tool: 'unseeded'});
		containers.push(out.unseeded.container);
	};
	try {
		if (run % 2 === 0) await unseeded();
		out.first = await dbarenaCreate(target, {fresh: false, extra, tool: 'seeded first'});
		containers.push(out.first.container);
		out.rowsOk &&= (await rowCount(target, out.first)) === seedRows;
		const deadline = now() + 180_000;
		while (now() < deadline && !(await imageId(reference))) await sleep(50);
		if (await imageId(reference)) out.templateReadyMs = now() - out.first.t0;
		else log(`  no seeded template appeared for ${target.title} within 180 s`);
		// The builder stops and removes its container after the commit; wait so it does not load the next measurement.
		while (now() < deadline && (await inspect(builder))) await sleep(100);
		if (out.templateReadyMs !== undefined) {
			out.second = await dbarenaCreate(target, {fresh: false, extra, tool: 'seeded second'});
			containers.push(out.second.container);
			out.rowsOk &&= (await rowCount(target, out.second)) === seedRows;
		}
		if (run % 2 === 1) await unseeded();
		return out;
	} finally {
		for (const name of containers) await discard(name);
		await discard(builder);
		for (const image of [reference, baselineReference]) {
			await docker
				.getImage(image)
				.remove()
				.catch(() => {});
		}
	}
}

/**
 * Seed data (issue 17): a create with a seed of 10 000 rows, first (fresh, the init files run at the
 * first start) and second (from the seeded template the first one built in the background),
 * against an unseeded create from its template in the same run: the second should be within
 * 0.1 s of it.
 */
export const seedCase: BenchCase = {
	id: 'seed',
	title: 'Seeded creates (10 000 rows)',
	async run({runs, log}) {
		const list = [targets.pg, targets.mariadb];
		for (const target of list) await ensureImage(target);
		const collector = new Collector();
		const raw: Array<Record<string, unknown>> = [];
		const root = mkdtempSync(path.join(tmpdir(), 'dbarena-bench-seed-'));
		let notTemplate = 0;
		let wrongRows = 0;
		try {
			for (let run = 0; run < runs; run++) {
				for (const target of list) {
					log(`seed: run ${run + 1}/${runs} ${target.title}`);
					const entry: Record<string, unknown> = {run, target: target.id};
					raw.push(entry);
					try {
						const result = await seedRun(target, root, run, log);
						Object.assign(entry, {
							unseededMs: result.unseeded?.readyMs,
							firstMs: result.first?.readyMs,
							firstExitMs: result.first?.phases['exit'],
							templateReadyMs: result.templateReadyMs,
							secondMs: result.second?.readyMs,
							secondSource: result.second?.source,
							rowsOk: result.rowsOk,
						});
						collector.add(seedLabel.unseeded(target), 'ms', result.unseeded?.readyMs);
						collector.add(seedLabel.first(target), 'ms', result.first?.readyMs);
						collector.add(seedLabel.firstExit(target), 'ms', result.first?.phases['exit']);
						const linger = (start: DbarenaStart | undefined) =>
							start?.phases['exit'] === undefined || start.phases['json'] === undefined ? undefined : start.phases['exit'] - start.phases['json'];
						collector.add(seedLabel.firstLinger(target), 'ms', linger(result.first));
						collector.add(seedLabel.unseededLinger(target), 'ms', linger(result.unseeded));
						collector.add(seedLabel.background(target), 'ms', result.templateReadyMs);
						collector.add(seedLabel.second(target), 'ms', result.second?.readyMs);
						const server = (start: DbarenaStart | undefined) => start?.created.readyMs;
						collector.add(seedLabel.unseededServer(target), 'ms', server(result.unseeded));
						collector.add(seedLabel.secondServer(target), 'ms', server(result.second));
						if (result.second && result.unseeded) {
							collector.add(seedLabel.gap(target), 'ms', result.second.readyMs - result.unseeded.readyMs);
							collector.add(seedLabel.serverGap(target), 'ms', result.second.created.readyMs - result.unseeded.created.readyMs);
						}
						if (result.second && result.second.source !== 'template') notTemplate += 1;
						if (!result.rowsOk) wrongRows += 1;
					} catch (error) {
						entry['error'] = errorText(error);
						log(`  failed: ${errorText(error)}`);
						await cleanupSession();
					}
				}
			}
		} finally {
			rmSync(root, {recursive: true, force: true});
		}
		const notes = [
			`Seed: 001-schema.sql and 002-data.sql with ${seedRows} rows in one multi-row INSERT (about 0.4 MB), ` +
				'with a new nonce per run so the first create has no template.',
			`Second creates that did not start from the seeded template: ${notTemplate}. ` +
				`Creates whose table did not hold ${seedRows} rows: ${wrongRows} (both must be 0).`,
			'The unseeded create starts from a template built in the same run (by the core, just before it); ' +
				'it runs before the seeded pair in even runs and after it in odd ones.',
			'The gaps are paired per run (the same minute of load on both); the container start → first login rows leave out the CLI process, ' +
				'which the init files do not change.',
		];
		const tables = list.map(target =>
			collector.table(
				`Seeded creates — ${target.title}`,
				[
					seedLabel.unseeded(target),
					seedLabel.first(target),
					seedLabel.firstExit(target),
					seedLabel.firstLinger(target),
					seedLabel.unseededLinger(target),
					seedLabel.background(target),
					seedLabel.second(target),
					seedLabel.gap(target),
					seedLabel.unseededServer(target),
					seedLabel.secondServer(target),
					seedLabel.serverGap(target),
				],
				[seedLabel.unseeded(target)],
				target.id === 'pg' ? notes : [],
			),
		);
		return {tables, notes: [], raw};
	},
};
