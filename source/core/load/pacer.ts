/** Time as the pacer sees it; tests hand in a fake one that moves only when asked to. */
export type Clock = {
	/** Milliseconds, monotonic. */
	now(): number;
	/** Resolves after `ms`, or at once when `signal` aborts. */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
};

export const realClock: Clock = {
	now: () => performance.now(),
	async sleep(ms, signal) {
		if (signal.aborted) return;
		await new Promise<void>(resolve => {
			const done = () => {
				clearTimeout(timer);
				signal.removeEventListener('abort', done);
				resolve();
			};
			const timer = setTimeout(done, ms);
			signal.addEventListener('abort', done, {once: true});
		});
	},
};

export type PaceOptions = {
	rate: number;
	/** Undefined: until `signal` aborts. */
	durationMs: number | undefined;
	signal: AbortSignal;
	clock: Clock;
	/**
	 * How many writes may be under way at once. On time, there is one at a time, in order; a write
	 * that is late (the machine or the server was busy) lets the next ones start beside it, so a
	 * latency spike is made up instead of lowering the rate.
	 */
	concurrency?: number;
	/**
	 * How far behind the schedule the pacer may fall before it gives up the missed slots instead
	 * of catching up in a burst (a server that stalled for a minute must not get a minute of
	 * writes at once when it is back): the achieved rate then says honestly that it fell short.
	 */
	maxBacklogMs?: number;
};

export type PaceResult = {
	/** Writes started and finished. */
	ops: number;
	/** From the first slot to the end: the duration when it ran out, the moment it was stopped otherwise. */
	elapsedMs: number;
	/** Slots given up because the writes fell too far behind. */
	skipped: number;
	/** Why it ended. */
	ended: 'duration' | 'stopped';
};

/**
 * Run `write` at `rate` per second on a schedule: write k is due at start + k / rate. Sleeping a
 * fixed interval after each write would drift by every write's own time; here a slow write is
 * made up by starting the next ones at once (up to `concurrency` at a time), so the rate over the
 * run is the one asked for. The first error from `write` ends the run (after the writes under way
 * have settled) and is thrown as is; `onTick` sees the count after every write.
 */
export async function pace(
	options: PaceOptions,
	write: (index: number) => Promise<void>,
	onTick?: (ops: number, elapsedMs: number) => void,
): Promise<PaceResult> {
	const {rate, durationMs, signal, clock, concurrency = 1, maxBacklogMs = 1000} = options;
	const interval = 1000 / rate;
	const start = clock.now();
	const end = durationMs === undefined ? Number.POSITIVE_INFINITY : start + durationMs;
	const running = new Set<Promise<void>>();
	let failure: {error: unknown} | undefined;
	let slot = 0;
	let started = 0;
	let ops = 0;
	let skipped = 0;
	while (!signal.aborted && !failure) {
		let due = start + slot * interval;
		const now = clock.now();
		if (now - due > maxBacklogMs) {
			// Too far behind: start again from now, and count what was given up.
			const resume = Math.ceil((now - start) / interval);
			skipped += resume - slot;
			slot = resume;
			due = start + slot * interval;
		}
		if (due >= end) break;
		if (due > now) {
			await clock.sleep(due - now, signal);
			// A write that failed meanwhile ends the run: no write starts after it.
			if (signal.aborted || failure) break;
		}
		if (running.size >= concurrency) {
			await Promise.race(running);
			continue;
		}
		const task = write(started++).then(
			() => {
				ops++;
				onTick?.(ops, clock.now() - start);
			},
			(error: unknown) => {
				failure ??= {error};
			},
		);
		running.add(task);
		void task.finally(() => running.delete(task));
		slot++;
	}
	await Promise.all(running);
	if (failure) throw failure.error;
	if (!signal.aborted && Number.isFinite(end)) {
		// The last slot is due before the end: wait for the end, so the rate is over the whole duration.
		const left = end - clock.now();
		if (left > 0) await clock.sleep(left, signal);
	}
	const stoppedAt = clock.now();
	return {
		ops,
		elapsedMs: signal.aborted || !Number.isFinite(end) ? stoppedAt - start : Math.max(stoppedAt, end) - start,
		skipped,
		ended: signal.aborted ? 'stopped' : 'duration',
	};
}
