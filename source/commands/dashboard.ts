import {OperationError} from '../core/errors.js';
import type {ContainerManager} from '../core/lifecycle.js';
import type {CommandContext} from '../cli/command.js';

type DashboardModule = {runDashboard?: (options: {manager: ContainerManager}) => Promise<number>};

// A variable, not a literal: the dashboard is built separately, and the command mode must
// compile (and work) in a build that does not have it.
const dashboardModule = '../ui/run.js';

function isMissingModule(error: unknown): boolean {
	return (error as {code?: string} | undefined)?.code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('ui/run');
}

/** `dbarena` on a terminal: the full-screen dashboard (Ink, React and the store load only here). */
export async function openDashboard(ctx: CommandContext): Promise<number> {
	// Ink draws no live frames when CI is set (is-in-ci, read when Ink loads). The dashboard only
	// runs on a terminal, and a person at a terminal inside a CI shell still wants to see it.
	for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) {
		if (key in process.env) process.env[key] = 'false';
	}
	let loaded: unknown;
	try {
		loaded = await import(dashboardModule);
	} catch (error) {
		if (!isMissingModule(error)) throw error;
	}
	const runDashboard = (loaded as DashboardModule | undefined)?.runDashboard;
	if (typeof runDashboard !== 'function') {
		throw new OperationError('The dashboard is not part of this build. Use the commands instead: "dbarena --help".');
	}
	const manager = await ctx.manager();
	return runDashboard({manager});
}
