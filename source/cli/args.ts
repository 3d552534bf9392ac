import {parseArgs as tokenize} from 'node:util';
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

// What util.parseArgs greedily takes as the value of "--port --yes"; we read it as a forgotten value.
const looksLikeFlag = (token: string) => token.startsWith('-') && token !== '-' && !looksLikeNumber(token);

type Known = {key: string; spec: FlagSpec};

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
 * Read a command's arguments strictly: an unknown flag, a flag without its value or with an
 * empty one, a value for a boolean, or any flag but a repeatable one given twice is a usage
 * error naming the flag as the user typed it.
 *
 * Node's util.parseArgs splits the tokens (--x=v, --x v, -abc, --); the checks are ours. Its
 * strict mode is off on purpose: it refuses "--timeout -5" as ambiguous (we want the value
 * check to name the negative number) and "--json=true" (main.ts accepts it), lets a repeated
 * flag win silently, and reports an unknown flag with neither a suggestion nor the name apart
 * from its message text.
 */
export function parseArgs(argv: string[], specs: FlagSpecs): ParsedArgs {
	const all = {...globalFlags, ...specs};
	const known = new Map<string, Known>(Object.entries(all).map(([key, spec]) => [kebab(key), {key, spec}]));
	const options = Object.fromEntries([...known].map(([name, {spec}]) => [name, spec.short ? {type: spec.type, short: spec.short} : {type: spec.type}]));
	const {tokens} = tokenize({args: argv, options, strict: false, allowPositionals: true, tokens: true});
	const flags = defaults(all);
	// The form each single flag was first given in, to name both when it comes again.
	const given = new Map<string, string>();
	const input: string[] = [];
	const set = ({key, spec}: Known, display: string, value: string | boolean) => {
		const list = flags[key];
		if (spec.multiple && Array.isArray(list)) {
			list.push(String(value));
			return;
		}
		// Booleans too: "--cdc --cdc" or "--yes --no-yes" is a slip worth pointing out, not a choice.
		const earlier = given.get(key);
		if (earlier !== undefined)
			throw new UsageError(`The flag ${display} can only be set once${earlier === display ? '' : ` (also given as ${earlier})`}.`, 'invalid_flag');
		given.set(key, display);
		flags[key] = value;
	};
	// util.parseArgs reads "-10" as the short flags -1 and -0, both at the same index.
	let numberAt = -1;
	for (const token of tokens) {
		if (token.kind === 'option-terminator') continue;
		if (token.kind === 'positional') {
			input.push(token.value);
			continue;
		}
		const raw = argv[token.index]!;
		if (looksLikeNumber(raw)) {
			if (token.index !== numberAt) input.push(raw);
			numberAt = token.index;
			continue;
		}
		const display = token.rawName;
		const found = known.get(token.name);
		if (!found) {
			// --no-yes is the usual negation of a boolean; accepted for booleans only.
			const negated = token.name.startsWith('no-') ? known.get(token.name.slice(3)) : undefined;
			if (negated?.spec.type === 'boolean') {
				if (token.value !== undefined) throw new UsageError(`Flag ${display} takes no value.`, 'invalid_flag');
				set(negated, display, false);
				continue;
			}
			throw unknownFlag(display, raw, [...known.keys()]);
		}
		if (found.spec.type === 'boolean') {
			if (token.value !== undefined && token.value !== 'true' && token.value !== 'false') {
				throw new UsageError(`Flag ${display} takes no value (got "${token.value}").`, 'invalid_flag');
			}
			set(found, display, token.value !== 'false');
			continue;
		}
		set(found, display, flagValue(token.value, token.inlineValue === true, display, found.spec));
	}
	return {input, flags};
}

/** The value of a string flag; a missing or empty one is a usage error. */
function flagValue(value: string | undefined, inline: boolean, display: string, spec: FlagSpec): string {
	const example = spec.value ? ` (${display} ${spec.value})` : '';
	// A short flag's attached text (-n5, -ny) was never a value for us; -n=5 is, like --tail=5.
	const short = !display.startsWith('--');
	const read = inline && short ? (value?.startsWith('=') ? value.slice(1) : undefined) : value;
	if (read === undefined || (!inline && looksLikeFlag(read))) throw new UsageError(`Flag ${display} needs a value${example}.`, 'missing_value');
	// "--name ''" or "--env=$UNSET" in a script: refused here, naming the flag, so that no value
	// check has to think of it ("--name ''" used to be reported as a bad container name "").
	if (read === '') throw new UsageError(`Flag ${display} needs a value, not an empty one${example}.`, 'missing_value');
	return read;
}

function unknownFlag(display: string, raw: string, known: string[]): UsageError {
	if (display.startsWith('--')) {
		const close = closestNames(
			display.slice(2),
			known.filter(flag => flag !== 'help' && flag !== 'json'),
			2,
		);
		return new UsageError(`Unknown flag ${display}.${close.length > 0 ? ` Did you mean ${close.map(flag => `--${flag}`).join(' or ')}?` : ''}`, 'unknown_flag');
	}
	// "-y=maybe" reaches here as the flags -y, -=, -m...: name the value, as for --yes=maybe.
	const equals = raw.indexOf('=');
	if (display === '-=' && equals > 1) {
		return new UsageError(`Flag -${raw[equals - 1]!} takes no value (got "${raw.slice(equals + 1)}").`, 'invalid_flag');
	}
	return new UsageError(`Unknown flag ${display}.`, 'unknown_flag');
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
