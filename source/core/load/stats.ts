import {opKinds, type OpKind} from './options.js';

export type LatencySummary = {p50: number; p99: number; max: number};

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * What a load did: writes by kind and each commit's latency (the statement's round trip in
 * autocommit: sent until the server said it was committed).
 */
export class LoadStats {
	readonly ops: Record<OpKind, number> = {insert: 0, update: 0, delete: 0};
	private readonly latencies: number[] = [];

	record(kind: OpKind, latencyMs: number): void {
		this.ops[kind]++;
		this.latencies.push(latencyMs);
	}

	get total(): number {
		return opKinds.reduce((sum, kind) => sum + this.ops[kind], 0);
	}

	/** Undefined before the first write. */
	latency(): LatencySummary | undefined {
		if (this.latencies.length === 0) return undefined;
		const sorted = [...this.latencies].sort((a, b) => a - b);
		const round = (ms: number) => Math.round(ms * 100) / 100;
		return {p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1)!)};
	}
}

/** Writes per second over `elapsedMs`, to two decimals; 0 for no time at all. */
export function achievedRate(ops: number, elapsedMs: number): number {
	return elapsedMs <= 0 ? 0 : Math.round((ops / (elapsedMs / 1000)) * 100) / 100;
}
