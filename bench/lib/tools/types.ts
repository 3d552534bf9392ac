import type {TargetId} from '../targets.js';

/** One start of a database by one tool; every time is in ms since the command started. */
export type StartResult = {
	tool: string;
	target: TargetId;
	/** Name or id, for removal. */
	container: string;
	/** Until a host client had logged in and run SELECT 1. */
	readyMs: number;
	/** When the tool said ready: dbarena's JSON arrived, testcontainers' start() returned, the naive check passed. */
	saidReadyMs?: number;
	/** Host logins that failed after the tool said ready (should be 0). */
	failuresAfterSaidReady: number;
	/** Where the data came from (dbarena's label): template or fresh. */
	source?: string;
	/** Milestones, e.g. Docker's Created and StartedAt, the process exit. */
	phases: Record<string, number>;
	detail?: Record<string, unknown>;
};
