import type {LoadProgress, LoadSummary} from '../core/load/run.js';

const rate = (value: number) => value.toFixed(1);
const ms = (value: number) => `${value.toFixed(2)} ms`;

/** The line a terminal shows while a load runs, redrawn in place. */
export function liveLoadLine(progress: LoadProgress, target: number): string {
	return `${progress.ops} writes in ${(progress.elapsedMs / 1000).toFixed(1)} s · ${rate(progress.achievedRate)}/s (target ${target}/s)`;
}

const endings: Record<LoadSummary['ended'], string> = {duration: 'ran its course', stopped: 'stopped', failed: 'failed'};

/** What a load did, as text. */
export function loadSummaryLines(summary: LoadSummary): string[] {
	const {ops, latencyMs} = summary;
	return [
		`Load ${endings[summary.ended]} after ${summary.elapsedSeconds.toFixed(1)} s on ${summary.tables.join(', ')}`,
		`  writes:   ${ops.total} (${ops.insert} inserts, ${ops.update} updates, ${ops.delete} deletes)`,
		`  rate:     ${rate(summary.achievedRate)}/s achieved, ${summary.rate}/s asked${summary.skipped > 0 ? `; ${summary.skipped} skipped (behind)` : ''}`,
		latencyMs ? `  commit:   p50 ${ms(latencyMs.p50)}, p99 ${ms(latencyMs.p99)}, max ${ms(latencyMs.max)}` : '  commit:   no writes',
	];
}
