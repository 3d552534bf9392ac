import {ConfirmationRequiredError, DbarenaError} from '../core/errors.js';
import type {CommandContext} from './command.js';

/**
 * The gate in front of every destructive action: --yes, or a "y" typed on a terminal. Without a
 * terminal there is nobody to ask, so the action is refused (exit 2) rather than assumed.
 */
export async function confirmAction(ctx: CommandContext, options: {yes: boolean; action: string; question: string}): Promise<void> {
	if (options.yes) return;
	if (!ctx.out.interactive) {
		throw new ConfirmationRequiredError(`Refusing to ${options.action} without confirmation: there is no terminal to ask on. Add --yes.`);
	}
	if (!(await ctx.ask(options.question))) {
		throw new DbarenaError('Not confirmed; nothing was changed.', 'cancelled');
	}
}

/** Data in a volume is the one thing dbarena cannot give back: a typed "y" is not enough. */
export function requireYesForVolumes(yes: boolean, volumes: string[], action: string): void {
	if (yes || volumes.length === 0) return;
	throw new ConfirmationRequiredError(
		`${action} deletes the data in ${volumes.length === 1 ? 'volume' : 'volumes'} ${volumes.join(', ')}; that always needs --yes.`,
	);
}
