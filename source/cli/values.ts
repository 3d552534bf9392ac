import {UsageError} from '../core/errors.js';
import type {Mode} from '../core/types.js';

/** Reading flag values users type. Each error names the value and what is allowed, in one line. */

/** The flags given in seconds; a new one needs its `invalid_<flag>` code in the code table. */
type SecondsFlag = 'timeout';

/** Seconds as a non-negative number; `allowZero` false for timeouts where 0 would never succeed. */
export function parseSeconds(flag: SecondsFlag, input: string, options: {allowZero: boolean; integer?: boolean}): number {
	const code = `invalid_${flag}` as const;
	const text = input.trim();
	const pattern = options.integer ? /^\d+$/ : /^(\d+(\.\d*)?|\.\d+)$/;
	const value = pattern.test(text) ? Number(text) : Number.NaN;
	// A day is more than any database needs to start or stop; beyond it is a typo (and timers overflow).
	if (value > 86_400) throw new UsageError(`Invalid --${flag} "${input}": at most 86400 seconds (a day).`, code);
	if (!Number.isFinite(value) || value < 0 || (!options.allowZero && value === 0)) {
		const what = options.integer ? 'a whole number of seconds' : 'a number of seconds';
		throw new UsageError(`Invalid --${flag} "${input}": use ${what}${options.allowZero ? ' (0 or more)' : ' greater than 0'}.`, code);
	}
	return value;
}

/** `--tail N`: a whole number of lines, or "all". */
export function parseTail(input: string): number | undefined {
	const text = input.trim().toLowerCase();
	if (text === 'all') return undefined;
	if (!/^\d+$/.test(text) || Number(text) > 10_000_000)
		throw new UsageError(`Invalid --tail "${input}": use a whole number of lines (0 to 10000000) or "all".`, 'invalid_tail');
	return Number(text);
}

/** At most one of --persistent, --durable, --fast. */
export function parseMode(flags: {persistent: boolean; durable: boolean; fast: boolean}): Mode | undefined {
	const chosen = (['persistent', 'durable', 'fast'] as const).filter(mode => flags[mode]);
	if (chosen.length > 1) {
		throw new UsageError(
			`Conflicting flags ${chosen.map(mode => `--${mode}`).join(' and ')}: choose one of --persistent, --durable or --fast.`,
			'conflicting_flags',
		);
	}
	return chosen[0];
}
