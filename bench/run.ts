/**
 * dbarena's benchmarks: `npm run bench -- [--runs N] [--cases a,b,c]`.
 * Progress goes to stderr; the report (Markdown) to stdout; raw results to bench/results/.
 */
import {copyFileSync, existsSync, mkdirSync, statSync, writeFileSync} from 'node:fs';
import {cdcLag} from './cases/cdc-lag.js';
import {changesLag} from './cases/changes-lag.js';
import {coldStart} from './cases/cold-start.js';
import {cliCost} from './cases/cli-cost.js';
import {dashboardIdle} from './cases/dashboard.js';
import {dashboardCreate} from './cases/dashboard-create.js';
import {destroyAndMemory} from './cases/destroy-memory.js';
import {detectionLag} from './cases/detection-lag.js';
import {parallelCreation} from './cases/parallel.js';
import {resetBench} from './cases/reset.js';
import {seedCase} from './cases/seed.js';
import {templates} from './cases/templates.js';
import {warmStart} from './cases/warm-start.js';
import {parseArgs} from './lib/args.js';
import type {BenchCase} from './lib/case.js';
import {cliPath, repoRoot} from './lib/dbarena.js';
import {docker} from './lib/docker.js';
import {evaluateGoals, renderGoals} from './lib/goals.js';
import {describeMachine} from './lib/machine.js';
import {renderReport, warmChart} from './lib/report.js';
import type {CaseOutcome} from './lib/results.js';
import {runCase} from './lib/run-case.js';
import {cleanupSession, session} from './lib/session.js';
import {registry} from './lib/targets.js';

const cases: BenchCase[] = [
	warmStart,
	detectionLag,
	coldStart,
	parallelCreation,
	destroyAndMemory,
	cliCost,
	dashboardIdle,
	dashboardCreate,
	templates,
	cdcLag,
	changesLag,
	resetBench,
	seedCase,
];

const usage = `Usage: npm run bench -- [--runs N] [--cases ${cases.map(item => item.id).join(',')}]

  --runs N     runs per case (default 5); the dashboard case takes N windows of 30 s
  --cases a,b  which cases to run (default: all)

Needs a built CLI (npm run build), a Docker engine, and the fixture images in the local
registry (${registry}; npm run env:up). Writes bench/results/<timestamp>.json (and latest.json
when every case ran), and media/bench-warm-start.svg when the warm case ran.`;

const log = (line: string) => {
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

let cleaning = false;
async function cleanupAndExit(code: number): Promise<never> {
	if (!cleaning) {
		cleaning = true;
		log("cleaning up this session's containers...");
		await cleanupSession().catch(() => []);
	}
	process.exit(code);
}

async function main(): Promise<void> {
	const options = parseArgs(
		process.argv.slice(2),
		cases.map(item => item.id),
	);
	if (options.help) {
		process.stdout.write(`${usage}\n`);
		return;
	}
	if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run "npm run build" first.`);
	await docker.ping().catch((error: unknown) => {
		throw new Error(`Docker is not reachable: ${String(error)}`);
	});
	process.on('SIGINT', () => {
		log('SIGINT received');
		void cleanupAndExit(130);
	});
	process.on('SIGTERM', () => {
		log('SIGTERM received');
		void cleanupAndExit(143);
	});

	const started = new Date();
	const machine = await describeMachine();
	// Others may rebuild dist/ while the bench runs; the report says so if it happened.
	const builtAt = statSync(cliPath).mtime.toISOString();
	const command = `npm run bench -- --runs ${options.runs}${options.cases.length === cases.length ? '' : ` --cases ${options.cases.join(',')}`}`;
	log(`session ${session}; ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.uptimeAtStart}`);

	const outcomes: CaseOutcome[] = [];
	for (const item of cases.filter(candidate => options.cases.includes(candidate.id))) {
		log(`case ${item.id}: ${item.title}`);
		outcomes.push(await runCase(item, {runs: options.runs, log}));
	}

	const date = started.toISOString().replace(/\.\d+Z$/, 'Z');
	const rebuiltAt = statSync(cliPath).mtime.toISOString();
	if (rebuiltAt !== builtAt) log(`dist/cli.js changed during the run (${builtAt} -> ${rebuiltAt})`);
	const goals = evaluateGoals(outcomes);
	const report = renderReport({date, command, runs: options.runs, machine, outcomes, goals: renderGoals(goals)});
	process.stdout.write(`${report}\n`);

	const resultsDir = `${repoRoot}bench/results`;
	mkdirSync(resultsDir, {recursive: true});
	const file = `${resultsDir}/${date.replaceAll(':', '-')}.json`;
	const build = {cliBuiltAt: builtAt, cliBuiltAtEnd: rebuiltAt};
	writeFileSync(file, `${JSON.stringify({date, command, runs: options.runs, session, machine, build, goals, cases: outcomes}, null, '\t')}\n`);
	// latest.json is the newest run of every case; a run of some cases does not replace it.
	const everyCase = options.cases.length === cases.length;
	if (everyCase) copyFileSync(file, `${resultsDir}/latest.json`);
	log(`raw results: ${file}${everyCase ? ' (and bench/results/latest.json)' : ''}`);
	const chart = warmChart({date, runs: options.runs, machine, outcomes});
	if (chart) {
		mkdirSync(`${repoRoot}media`, {recursive: true});
		writeFileSync(`${repoRoot}media/bench-warm-start.svg`, chart);
		log('chart: media/bench-warm-start.svg');
	}
}

main().then(
	async () => {
		await cleanupSession().catch(() => []);
		// Open sockets (dockerode's agent, pg pools) must not keep the process alive.
		process.exit(0);
	},
	async (error: unknown) => {
		log(error instanceof Error ? error.message : String(error));
		await cleanupAndExit(1);
	},
);
