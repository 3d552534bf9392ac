import {isIP} from 'node:net';
import {InvalidValueError, UsageError} from '../errors.js';

/**
 * Every value a user types for a create, read and checked here once, whichever face it came
 * from: the command line hands in its flag's text, the dashboard its form field's, the core's own
 * callers numbers. Each failure is an InvalidValueError naming the option, for the face to phrase.
 */

const portRule = 'use a whole number from 1 to 65535.';

export function parsePort(input: number | string): number {
	const text = String(input).trim();
	const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new InvalidValueError('port', 'port', String(input), portRule);
	return port;
}

/** The host address a port is published on: an IP address of this host. */
export function parseHostIp(input: string): string {
	const address = input.trim();
	if (isIP(address) === 0) {
		throw new InvalidValueError('hostIp', 'address', input, 'use an IP address such as 127.0.0.1 (default), 0.0.0.0 or ::1.');
	}
	return address;
}

/** A host address that only this machine reaches. */
export function isLoopback(hostIp: string): boolean {
	return /^127\./.test(hostIp) || hostIp === '::1';
}

// The engine's reference grammar, simplified: [registry[:port]/]path[:tag][@digest], path
// components lowercase. Checked here so a typo is a usage error, not the engine's raw message.
const hostPart = String.raw`(?:[a-zA-Z\d](?:[a-zA-Z\d-]*[a-zA-Z\d])?(?:\.[a-zA-Z\d](?:[a-zA-Z\d-]*[a-zA-Z\d])?)*|\[[\da-fA-F:]+\])(?::\d+)?\/`;
const pathPart = String.raw`[a-z\d]+(?:(?:[._]|__|-+)[a-z\d]+)*`;
const imagePattern = new RegExp(String.raw`^(?:${hostPart})?${pathPart}(?:\/${pathPart})*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f\d]{64})?$`);

/** An image reference the engine will accept, as given (no registry mirror is applied to it). */
export function parseImage(input: string): string {
	const image = input.trim();
	if (!imagePattern.test(image)) {
		throw new InvalidValueError('image', 'image', input, 'use a reference such as postgres:16-alpine or registry.example:5000/team/pg:16 (lowercase name).');
	}
	return image;
}

// Every unit is binary, as in `docker run --memory`: people copy values between the two, and
// "256MB" meaning 256 MiB there but 244 MiB here would be a surprise.
const multipliers: Record<string, number> = {
	'': 1,
	b: 1,
	k: 1024,
	kb: 1024,
	kib: 1024,
	m: 1024 ** 2,
	mb: 1024 ** 2,
	mib: 1024 ** 2,
	g: 1024 ** 3,
	gb: 1024 ** 3,
	gib: 1024 ** 3,
	t: 1024 ** 4,
	tb: 1024 ** 4,
	tib: 1024 ** 4,
};

const sizePattern = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i;

/** A memory limit such as `512m`, `1g`, `256MB`, `1.5GiB`, or bytes, as whole bytes within what the engine takes. */
export function parseMemory(input: number | string): number {
	let bytes: number;
	if (typeof input === 'number') {
		bytes = input;
	} else {
		const match = sizePattern.exec(input.trim());
		const multiplier = match ? multipliers[match[2]!.toLowerCase()] : undefined;
		if (!match || multiplier === undefined) {
			throw new InvalidValueError('memory', 'memory limit', input, 'use a size such as 512m, 1g, 256MB, 1.5GiB or a number of bytes.');
		}
		bytes = Math.floor(Number(match[1]) * multiplier);
		if (bytes <= 0) throw new InvalidValueError('memory', 'memory limit', input, 'the size must be greater than 0.');
	}
	// The engine itself refuses less than 6 MB.
	if (!Number.isFinite(bytes) || bytes < 6 * 1024 * 1024) throw new UsageError('The memory limit must be at least 6 MB.', 'invalid_memory');
	// The engine takes a 64-bit integer; a petabyte is a typo, not a limit.
	if (bytes > 2 ** 50) throw new UsageError('The memory limit must be at most 1 PiB.', 'invalid_memory');
	return bytes;
}

const envKeyPattern = /^[A-Za-z_][A-Za-z\d_]*$/;

/**
 * Extra environment, as `KEY=VALUE` entries (the value may be empty or hold "=") or as a map;
 * keys must be valid variable names. Which keys dbarena owns is the plan's check.
 */
export function parseEnv(input: readonly string[] | Readonly<Record<string, string>>): Record<string, string> {
	const entries: Array<[string, string]> = Array.isArray(input)
		? (input as readonly string[]).map(entry => {
				const at = entry.indexOf('=');
				if (at <= 0) throw new InvalidValueError('env', 'environment entry', entry, 'use KEY=VALUE (for example TZ=UTC).');
				return [entry.slice(0, at), entry.slice(at + 1)];
			})
		: Object.entries(input);
	for (const [key] of entries) {
		if (!envKeyPattern.test(key))
			throw new UsageError(`Invalid environment variable name "${key}": use letters, digits and "_", not starting with a digit.`, 'invalid_env');
	}
	return Object.fromEntries(entries);
}
