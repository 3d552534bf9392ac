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

const isFlag = (token: string) => token.startsWith('-') && token !== '-' && !looksLikeNumber(token);

/** Every flag at its default: booleans false, repeatable flags empty, values absent. */
function defaults(specs: FlagSpecs): Record<string, FlagValue> {
	const flags: Record<string, FlagValue> = {};
	for (const [key, spec] of Object.entries(specs)) {
		if (spec.multiple) flags[key] = [];
		else if (spec.type === 'boolean') flags[key] = false;
	}
	return flags;
}

/**
 * Read a command's arguments strictly: an unknown flag, a flag without its value, a value for a
 * boolean or a single-value flag given twice is a usage error naming the flag as the user typed
 * it. Our own reader (not meow or util.parseArgs) because both keep unknown flags, take a
 * following "-x" as a new flag instead of a value, and cost start-up time for every command.
 */
export function parseArgs(argv: string[], specs: FlagSpecs): ParsedArgs {
	const all = {...globalFlags, ...specs};
	const long = new Map(Object.entries(all).map(([key, spec]) => [kebab(key), {key, spec}]));
	const short = new Map(Object.entries(all).filter(([, spec]) => spec.short).map(([key, spec]) => [spec.short!, {key, spec}]));
	const flags = defaults(all);
	const given = new Set<string>();
	const input: string[] = [];
	const set = (key: string, spec: FlagSpec, display: string, value: string | boolean) => {
		if (spec.multiple) {
			// Empty values are kept: "--env ''" is a mistake its own check names, not nothing.
			(flags[key] as string[]).push(String(value));
			return;
		}
		if (spec.type === 'string' && given.has(key)) throw new UsageError(`The flag ${display} can only be set once.`, 'invalid_flag');
		given.add(key);
		flags[key] = value;
	};
	for (let index = 0; index < argv.length; index++) {
		const token = argv[index]!;
		if (token === '--') {
			input.push(...argv.slice(index + 1));
			break;
		}
		if (!isFlag(token)) {
			input.push(token);
			continue;
		}
		let found: {key: string; spec: FlagSpec} | undefined;
		let name: string;
		let inlineValue: string | undefined;
		if (token.startsWith('--')) {
			const equals = token.indexOf('=');
			name = equals === -1 ? token.slice(2) : token.slice(2, equals);
			inlineValue = equals === -1 ? undefined : token.slice(equals + 1);
			found = long.get(name);
			// --no-yes is the usual negation of a boolean; accepted for booleans only.
			const negated = found ? undefined : long.get(name.slice(3));
			if (!found && name.startsWith('no-') && negated?.spec.type === 'boolean') {
				if (inlineValue !== undefined) throw new UsageError(`Flag --${name} takes no value.`, 'invalid_flag');
				set(negated.key, negated.spec, `--${name}`, false);
				continue;
			}
			if (!found) throw new UsageError(`Unknown flag --${name}.${suggestFlag(name, [...long.keys()])}`, 'unknown_flag');
		} else {
			// A cluster of short flags (-yf); only the last may take a value.
			const letters = token.slice(1).split('=')[0]!;
			for (const [position, letter] of [...letters].entries()) {
				const flag = short.get(letter);
				if (!flag) throw new UsageError(`Unknown flag -${letter}.`, 'unknown_flag');
				if (flag.spec.type === 'string' && position < letters.length - 1) throw new UsageError(`Flag -${letter} needs a value.`, 'missing_value');
				if (position < letters.length - 1) set(flag.key, flag.spec, `-${letter}`, true);
				found = flag;
			}
			name = letters.at(-1)!;
			inlineValue = token.includes('=') ? token.slice(token.indexOf('=') + 1) : undefined;
		}
		const {key, spec} = found!;
		const display = name.length === 1 ? `-${name}` : `--${name}`;
		if (spec.type === 'boolean') {
			if (inlineValue !== undefined && inlineValue !== 'true' && inlineValue !== 'false') {
				throw new UsageError(`Flag ${display} takes no value (got "${inlineValue}").`, 'invalid_flag');
			}
			set(key, spec, display, inlineValue !== 'false');
			continue;
		}
		if (inlineValue !== undefined) {
			set(key, spec, display, inlineValue);
			continue;
		}
		const next = argv[index + 1];
		if (next === undefined || next === '--' || isFlag(next)) {
			throw new UsageError(`Flag ${display} needs a value${spec.value ? ` (${display} ${spec.value})` : ''}.`, 'missing_value');
		}
		set(key, spec, `--${kebab(key)}`, next);
		index++;
	}
	return {input, flags};
}

function suggestFlag(name: string, known: string[]): string {
	const close = closestNames(name, known.filter(flag => flag !== 'help' && flag !== 'json'), 2);
	return close.length > 0 ? ` Did you mean ${close.map(flag => `--${flag}`).join(' or ')}?` : '';
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
