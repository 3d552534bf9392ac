import meow from 'meow';
import {UsageError} from '../core/errors.js';
import {closestNames} from '../core/names.js';

/** One flag of a command. Keys of a FlagSpecs object are camelCase (`removeVolume` is --remove-volume). */
export type FlagSpec = {
	type: 'string' | 'boolean';
	/** May be given more than once (--env A=1 --env B=2). */
	multiple?: boolean;
	short?: string;
	/** Placeholder shown in help: --port P. */
	value?: string;
	description: string;
};

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValue = string | boolean | string[] | undefined;

export type ParsedArgs = {
	input: string[];
	flags: Record<string, FlagValue>;
};

/** Flags every command accepts. */
export const globalFlags: FlagSpecs = {
	json: {type: 'boolean', description: 'Print one JSON document on stdout (JSON lines for logs --follow)'},
	help: {type: 'boolean', short: 'h', description: 'Show help for this command'},
};

export const kebab = (key: string) => key.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

// A negative number is a value ("--timeout -5" must reach the value check), not a flag cluster.
const looksLikeNumber = (token: string) => /^-\d/.test(token);

/**
 * Check the raw tokens against the flags this command knows. meow (yargs-parser) keeps unknown
 * flags and quietly takes a following "-x" as a new flag instead of a value, so both are caught
 * here, before parsing, with the spelling the user typed.
 */
export function checkTokens(argv: string[], specs: FlagSpecs): void {
	const long = new Map(Object.entries(specs).map(([key, spec]) => [kebab(key), spec]));
	const short = new Map(Object.values(specs).filter(spec => spec.short).map(spec => [spec.short!, spec]));
	for (let index = 0; index < argv.length; index++) {
		const token = argv[index]!;
		if (token === '--') return;
		if (!token.startsWith('-') || token === '-' || looksLikeNumber(token)) continue;
		let spec: FlagSpec | undefined;
		let name: string;
		let inlineValue: string | undefined;
		if (token.startsWith('--')) {
			const equals = token.indexOf('=');
			name = equals === -1 ? token.slice(2) : token.slice(2, equals);
			inlineValue = equals === -1 ? undefined : token.slice(equals + 1);
			spec = long.get(name);
			// --no-yes is yargs' negation of a boolean; accept it for booleans only.
			if (!spec && name.startsWith('no-') && long.get(name.slice(3))?.type === 'boolean') {
				if (inlineValue !== undefined) throw new UsageError(`Flag --${name} takes no value.`, 'invalid_flag');
				continue;
			}
			if (!spec) throw new UsageError(`Unknown flag --${name}.${suggestFlag(name, [...long.keys()])}`, 'unknown_flag');
		} else {
			// A cluster of short flags (-yf); only the last may take a value.
			const letters = token.slice(1).split('=')[0]!;
			for (const [position, letter] of [...letters].entries()) {
				const found = short.get(letter);
				if (!found) throw new UsageError(`Unknown flag -${letter}.`, 'unknown_flag');
				if (found.type === 'string' && position < letters.length - 1) throw new UsageError(`Flag -${letter} needs a value.`, 'missing_value');
				spec = found;
			}
			name = letters.at(-1)!;
			inlineValue = token.includes('=') ? token.slice(token.indexOf('=') + 1) : undefined;
		}
		const display = name.length === 1 ? `-${name}` : `--${name}`;
		if (spec!.type === 'boolean') {
			if (inlineValue !== undefined && inlineValue !== 'true' && inlineValue !== 'false') {
				throw new UsageError(`Flag ${display} takes no value (got "${inlineValue}").`, 'invalid_flag');
			}
			continue;
		}
		if (inlineValue !== undefined) continue;
		const next = argv[index + 1];
		if (next === undefined || next === '--' || (next.startsWith('-') && next !== '-' && !looksLikeNumber(next))) {
			throw new UsageError(`Flag ${display} needs a value${spec!.value ? ` (${display} ${spec!.value})` : ''}.`, 'missing_value');
		}
		index++;
	}
}

function suggestFlag(name: string, known: string[]): string {
	const close = closestNames(name, known.filter(flag => flag !== 'help' && flag !== 'json'), 2);
	return close.length > 0 ? ` Did you mean ${close.map(flag => `--${flag}`).join(' or ')}?` : '';
}

/** Parse a command's arguments: strict flags (see checkTokens), values read by meow. */
export function parseArgs(argv: string[], specs: FlagSpecs): ParsedArgs {
	const all = {...globalFlags, ...specs};
	checkTokens(argv, all);
	const flags = Object.fromEntries(Object.entries(all).map(([key, spec]) => [key, {
		type: spec.type,
		...(spec.multiple ? {isMultiple: true} : {}),
		...(spec.short ? {shortFlag: spec.short} : {}),
	}]));
	try {
		const result = meow({
			importMeta: import.meta,
			argv,
			flags,
			// No package.json lookup (start-up time), no help/version handling and no process.exit:
			// main.ts owns those so that --json can report errors as JSON.
			pkg: {name: 'dbarena', bin: {dbarena: 'dist/cli.js'}},
			description: false,
			autoHelp: false,
			autoVersion: false,
			allowUnknownFlags: true,
		});
		return {input: result.input, flags: result.flags as Record<string, FlagValue>};
	} catch (error) {
		// meow throws for a repeated single-value flag ("The flag --port can only be set once.").
		throw new UsageError(error instanceof Error ? error.message : String(error), 'invalid_flag');
	}
}

export function stringFlag(args: ParsedArgs, key: string): string | undefined {
	const value = args.flags[key];
	return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(args: ParsedArgs, key: string): boolean {
	return args.flags[key] === true;
}

export function listFlag(args: ParsedArgs, key: string): string[] {
	const value = args.flags[key];
	return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}
