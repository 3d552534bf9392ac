/**
 * Where a command's time goes, phase by phase (DBARENA_TRACE=1): for bug reports ("create takes
 * 3 s here") and for keeping the CLI near the engine's own speed. Times are from the start of the
 * Node process, so what Node and our imports cost before `main` shows too. Off, a mark costs one
 * boolean test. (`performance` is Node's lazily made global: it loads perf_hooks and its 10 internal
 * modules on first use, so only a traced command pays them; an import would load them in every one.)
 */
import {certificatesSlowStart, nodeStart} from './node-start.js';

let enabled = false;
const marks: Array<{phase: string; at: number}> = [];

/** On or off for this run, from a clean slate (tests run several commands in one process). */
export function configureTrace(on: boolean): void {
	enabled = on;
	marks.length = 0;
}

/**
 * Node's own start as the first phase (V8 started, measured by Node), naming NODE_EXTRA_CA_CERTS
 * when it is what made that start slow: the largest single cost of a command where it is set.
 */
export function traceNodeStart(env: NodeJS.ProcessEnv): void {
	// Only when on: reading Node's timing loads perf_hooks (11 internal modules), which a command
	// that is not traced has no use for.
	if (!enabled) return;
	const start = nodeStart(env);
	const why = certificatesSlowStart(start) ? ` (NODE_EXTRA_CA_CERTS is set: Node 20 loads every CA certificate before this)` : '';
	marks.push({phase: `Node started V8${why}`, at: start.v8StartMs});
}

export function tracePhase(phase: string): void {
	if (enabled) marks.push({phase, at: performance.now()});
}

/** One line per phase: time since the process started, and since the phase before. */
export function traceLines(): string[] {
	let previous = 0;
	return marks.map(({phase, at}) => {
		const line = `trace ${at.toFixed(1).padStart(7)} ms  +${(at - previous).toFixed(1).padStart(6)} ms  ${phase}`;
		previous = at;
		return line;
	});
}
