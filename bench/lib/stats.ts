export type Summary = {n: number; median: number; min: number; max: number};

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median, min and max of the finite values; undefined when there are none. */
export function summarize(values: readonly number[]): Summary | undefined {
	const finite = values.filter(value => Number.isFinite(value));
	if (finite.length === 0) return undefined;
	return {n: finite.length, median: median(finite), min: Math.min(...finite), max: Math.max(...finite)};
}

/** The nearest-rank percentile (p in 0–100) of the values; with 20 values p99 is the largest. */
export function percentile(values: readonly number[], p: number): number | undefined {
	const sorted = values.filter(value => Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}
