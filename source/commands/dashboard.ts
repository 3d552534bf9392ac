import type {CommandContext} from '../cli/command.js';

/** `dbarena` on a terminal: the full-screen dashboard (Ink, React and the store load only here). */
export async function openDashboard(ctx: CommandContext): Promise<number> {
	// Ink draws no live frames when CI is set (is-in-ci, read when Ink loads). The dashboard only
	// runs on a terminal, and a person at a terminal inside a CI shell still wants to see it.
	for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) {
		if (key in process.env) process.env[key] = 'false';
	}
	const {runDashboard} = await import('../ui/run.js');
	const manager = await ctx.manager();
	return runDashboard({manager});
}
