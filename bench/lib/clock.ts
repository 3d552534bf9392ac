/** Monotonic milliseconds for durations (performance.now), and the wall clock it maps onto. */
export const now = (): number => performance.now();

/** Epoch milliseconds of a `now()` reading, to compare with Docker's timestamps. */
export const wallOf = (t: number): number => performance.timeOrigin + t;

/** A `now()` reading for an epoch time (Docker's Created / StartedAt, a child's Date.now()). */
export const monoOf = (epochMs: number): number => epochMs - performance.timeOrigin;

export const sleep = async (ms: number): Promise<void> =>
	new Promise(resolve => {
		setTimeout(resolve, Math.max(0, ms));
	});

/** Docker prints nanoseconds ("2026-11-26T10:13:51.370123456Z"); Date.parse keeps milliseconds. */
export function parseDockerTime(value: string | undefined): number | undefined {
	if (!value || value.startsWith('0001-')) return undefined;
	const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(value);
	if (!match) return undefined;
	const fraction = (match[2] ?? '0').padEnd(6, '0').slice(0, 6);
	const base = Date.parse(`${match[1]!}${match[3]!}`);
	return Number.isNaN(base) ? undefined : base + Number(fraction) / 1000;
}
