import type {CommandContext} from './command.js';
import {errorCode, exitCode, exitCodeFor} from './exit-codes.js';
import {errorText} from './error-text.js';

export type Outcome<T> = {name: string; ok: true; value: T; ms: number} | {name: string; ok: false; error: unknown};

/** Run an action for several names at once; one failing does not stop the others. */
export async function settleEach<T>(names: string[], action: (name: string) => Promise<T>): Promise<Array<Outcome<T>>> {
	return Promise.all(
		names.map(async (name): Promise<Outcome<T>> => {
			const began = Date.now();
			try {
				return {name, ok: true, value: await action(name), ms: Date.now() - began};
			} catch (error) {
				return {name, ok: false, error};
			}
		}),
	);
}

/** Errors of a batch on stderr (one line each) and as JSON entries; the exit code of the worst. */
export function reportFailures(
	ctx: CommandContext,
	outcomes: Array<Outcome<unknown>>,
): {code: number; errors: Array<{name: string; code: string; message: string}>} {
	const errors: Array<{name: string; code: string; message: string}> = [];
	let code: number = exitCode.ok;
	for (const outcome of outcomes) {
		if (outcome.ok) continue;
		const message = errorText(outcome.error);
		ctx.out.error(`Error: ${outcome.name}: ${message}`);
		errors.push({name: outcome.name, code: errorCode(outcome.error), message});
		const mapped = exitCodeFor(outcome.error, ctx.interruptedBy());
		// Interruption outranks the rest: the user stopped the whole command.
		if (code === exitCode.ok || mapped >= exitCode.interrupted) code = mapped;
	}
	return {code, errors};
}

/** The `"error"` member every failing --json document carries, so `.error` means failure. */
export function firstError(errors: Array<{code: string; message: string}>, code: number): {error?: {code: string; message: string; exitCode: number}} {
	const first = errors[0];
	return first ? {error: {code: first.code, message: first.message, exitCode: code}} : {};
}
