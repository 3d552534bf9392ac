import {UsageError} from '../core/errors.js';

// Every unit is binary, as in `docker run --memory`: people copy values between the two, and
// "256MB" meaning 256 MiB there but 244 MiB here would be a surprise.
const multipliers: Record<string, number> = {
	'': 1, b: 1,
	k: 1024, kb: 1024, kib: 1024,
	m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
	g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
	t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4,
};

const sizePattern = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i;

/**
 * Parse a memory size such as `512m`, `1g`, `256MB`, `1.5GiB` or raw bytes (`268435456`) into
 * whole bytes. The range check (at least 6 MB) is the core's; this only reads the notation.
 */
export function parseMemorySize(input: string): number {
	const match = sizePattern.exec(input.trim());
	const multiplier = match ? multipliers[match[2]!.toLowerCase()] : undefined;
	if (!match || multiplier === undefined) {
		throw new UsageError(`Invalid --memory "${input}": use a size such as 512m, 1g, 256MB, 1.5GiB or a number of bytes.`, 'invalid_memory');
	}
	const bytes = Math.floor(Number(match[1]) * multiplier);
	if (bytes <= 0) throw new UsageError(`Invalid --memory "${input}": the size must be greater than 0.`, 'invalid_memory');
	return bytes;
}
