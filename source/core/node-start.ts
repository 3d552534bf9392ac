/**
 * What this Node process spent before it could run any code, and whether NODE_EXTRA_CA_CERTS
 * explains it. Node 20 loads its whole certificate store, and the file that variable names, before
 * it starts V8 (nodejs/node#40524): 85-90 ms of every command on a 2-core machine with the system
 * bundle there, where Node otherwise starts V8 within 5 ms. Nothing in JavaScript can avoid it
 * (it is over before our first line runs), so the trace and `doctor` say it where users look.
 */
export type NodeStart = {
	/** From the process's start to V8's, as Node measured it (performance.nodeTiming). */
	v8StartMs: number;
	/** The variable's value when it is set and non-empty. */
	extraCaCerts: string | undefined;
};

/** Above this, a start before V8 is slow enough to name its cause. */
export const slowNodeStartMs = 20;

export function nodeStart(env: NodeJS.ProcessEnv, timing: {v8Start: number} = performance.nodeTiming): NodeStart {
	const extra = env['NODE_EXTRA_CA_CERTS'];
	return {v8StartMs: timing.v8Start, extraCaCerts: extra === undefined || extra === '' ? undefined : extra};
}

/** Does NODE_EXTRA_CA_CERTS account for a slow start (set, and the start slow)? */
export function certificatesSlowStart(start: NodeStart): boolean {
	return start.extraCaCerts !== undefined && start.v8StartMs > slowNodeStartMs;
}
