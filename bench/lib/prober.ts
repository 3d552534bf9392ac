import {now, sleep} from './clock.js';
import {login, type ClientKind, type Conn} from './login.js';

export type Attempt = {start: number; end: number; ok: boolean};

/**
 * A host client starting a login attempt every `intervalMs`, whether or not the previous one has
 * finished (at most `maxInFlight` at once, 5 by default): a connection can hang until its timeout,
 * and a prober that waited for it would report readiness late by that much. Keeps every attempt
 * so callers can ask what was possible when.
 *
 * Start it once the container runs, not before: connections to a published port while Docker is
 * still setting the container up hang, and measured here they delay the first login that works
 * by about 0.6 s (for every client of that port), which would make the prober disturb what it measures.
 */
export class Prober {
	readonly attempts: Attempt[] = [];
	/** When the first successful attempt ended, and when it had started. */
	firstOk: number | undefined;
	firstOkStart: number | undefined;
	lastError: string | undefined;
	private stopped = false;
	private loop: Promise<void> | undefined;
	private readonly inFlight = new Set<Promise<void>>();
	private readonly waiters: Array<() => void> = [];

	constructor(
		private readonly kind: ClientKind,
		private readonly conn: Conn,
		private readonly intervalMs = 20,
		private readonly options: {timeoutMs?: number; maxInFlight?: number} = {},
	) {}

	/** Start probing; with `untilOk` no new attempt starts after the first success. */
	start(options: {untilOk?: boolean} = {}): this {
		this.loop = (async () => {
			let next = now();
			while (!this.stopped && !(options.untilOk && this.firstOk !== undefined)) {
				if (this.inFlight.size < (this.options.maxInFlight ?? 5)) void this.launch();
				next += this.intervalMs;
				await sleep(next - now());
			}
		})();
		return this;
	}

	private launch(): Promise<void> {
		const start = now();
		const attempt = (async () => {
			let ok = false;
			try {
				await login(this.kind, this.conn, this.options.timeoutMs ?? 1000);
				ok = true;
			} catch (error) {
				this.lastError = error instanceof Error ? error.message : String(error);
			}
			const end = now();
			this.attempts.push({start, end, ok});
			if (ok && this.firstOk === undefined) {
				this.firstOk = end;
				this.firstOkStart = start;
				for (const wake of this.waiters.splice(0)) wake();
			}
		})();
		this.inFlight.add(attempt);
		void attempt.finally(() => this.inFlight.delete(attempt));
		return attempt;
	}

	/** One more attempt, started now; resolves when it has finished. */
	async attemptNow(): Promise<Attempt> {
		await this.launch();
		return this.attempts.at(-1)!;
	}

	/** Resolves with the time of the first successful login, or undefined after `timeoutMs`. */
	async untilOk(timeoutMs: number): Promise<number | undefined> {
		if (this.firstOk !== undefined) return this.firstOk;
		await Promise.race([new Promise<void>(resolve => this.waiters.push(resolve)), sleep(timeoutMs)]);
		return this.firstOk;
	}

	/** Stop starting attempts and let those in flight finish (their sockets close). */
	async stop(): Promise<void> {
		this.stopped = true;
		await this.loop;
		await Promise.allSettled([...this.inFlight]);
	}

	/** Attempts that started at or after `t` and failed: a login that did not work although something said ready. */
	failuresAfter(t: number): number {
		return this.attempts.filter(attempt => attempt.start >= t && !attempt.ok).length;
	}
}

/** Log in now; until that works, start another attempt every 20 ms. The first success's end, and the failures before it. */
export async function loginSoon(kind: ClientKind, conn: Conn, timeoutMs = 60_000): Promise<{t: number; failures: number; lastError?: string}> {
	const prober = new Prober(kind, conn, 20).start({untilOk: true});
	const t = await prober.untilOk(timeoutMs);
	await prober.stop();
	if (t === undefined) throw new Error(`No host login to ${conn.host}:${conn.port} within ${timeoutMs} ms: ${prober.lastError ?? '?'}`);
	return {t, failures: prober.attempts.filter(attempt => !attempt.ok && attempt.start < t).length, ...(prober.lastError ? {lastError: prober.lastError} : {})};
}
