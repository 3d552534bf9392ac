import os from 'node:os';
import type {BenchCase, CaseContext} from './case.js';
import {now, sleep} from './clock.js';
import {docker} from './docker.js';
import type {CaseOutcome} from './results.js';
import {cleanupSession} from './session.js';

/** Errors that mean the Docker engine went away (others on the machine restart it for their tests). */
const engineGone = /docker\.sock|ECONNREFUSED|Docker is not reachable|client connection is closing|context canceled|is restarting/i;

/** Every `error` recorded in a case's raw results (runs record their failures there). */
function recordedErrors(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap(item => recordedErrors(item));
	if (typeof value !== 'object' || value === null) return [];
	return Object.entries(value).flatMap(([key, item]) => (key === 'error' && typeof item === 'string' ? [item] : recordedErrors(item)));
}

async function engineUp(): Promise<boolean> {
	return docker.ping().then(
		() => true,
		() => false,
	);
}

/** Wait until the engine answers again and has answered for a few seconds in a row. */
async function waitForEngine(log: (line: string) => void, timeoutMs = 600_000): Promise<boolean> {
	const deadline = now() + timeoutMs;
	let steadySince: number | undefined;
	log('the Docker engine went away; waiting for it to come back');
	while (now() < deadline) {
		if (await engineUp()) {
			steadySince ??= now();
			if (now() - steadySince >= 10_000) return true;
		} else steadySince = undefined;
		await sleep(1000);
	}
	return false;
}

/**
 * Run one case, cleaning up after it. When the engine went away during the case (its error, or any
 * run's recorded error, says so), the whole case runs again once the engine is back, up to twice,
 * and the outcome says so: a case never mixes runs from before and after an engine restart.
 */
export async function runCase(item: BenchCase, ctx: CaseContext): Promise<CaseOutcome> {
	const retries: string[] = [];
	for (let attempt = 1; ; attempt++) {
		const before = os.loadavg();
		const t0 = now();
		const startedAt = new Date().toISOString();
		let outcome: CaseOutcome;
		try {
			const body = await item.run(ctx);
			outcome = {
				id: item.id,
				title: item.title,
				startedAt,
				ms: 0,
				load: {before, after: []},
				tables: body.tables,
				notes: body.notes,
				raw: body.raw,
				...(body.skipped ? {skipped: body.skipped} : {}),
			};
		} catch (error) {
			ctx.log(`case ${item.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
			outcome = {
				id: item.id,
				title: item.title,
				startedAt,
				ms: 0,
				load: {before, after: []},
				tables: [],
				notes: [],
				raw: {},
				error: error instanceof Error ? error.message : String(error),
			};
		}
		await cleanupSession().catch(() => []);
		outcome.ms = now() - t0;
		outcome.load.after = os.loadavg();
		// Only errors count: a screen capture may well name the socket (the dashboard's status line does).
		const hit = [outcome.error ?? '', ...recordedErrors(outcome.raw)].some(text => engineGone.test(text)) || !(await engineUp());
		if (!hit || attempt > 2) {
			if (retries.length > 0)
				outcome.notes.push(
					`This case ran again from the start after the Docker engine went away (others on the machine restart it for their tests): ${retries.join('; ')}.`,
				);
			return outcome;
		}
		retries.push(`attempt ${attempt} at ${startedAt}`);
		if (!(await waitForEngine(ctx.log))) return outcome;
		await cleanupSession().catch(() => []);
	}
}
