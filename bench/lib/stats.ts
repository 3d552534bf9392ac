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
