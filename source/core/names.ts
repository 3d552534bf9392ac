import {randomBytes} from 'node:crypto';
import {UsageError} from './errors.js';

// Docker's own rule for names, with a length cap so that "<name>-data" stays a valid volume name.
const namePattern = /^[a-zA-Z\d][\w.-]{0,62}$/;

export function validateName(name: string): void {
	if (!namePattern.test(name)) {
		throw new UsageError(`Invalid container name "${name}": use 1–63 letters, digits, "_", "." or "-", starting with a letter or digit.`, 'invalid_name');
	}
}

/** `dbarena-<db>-<version>-<4 hex>`, e.g. dbarena-postgres-16-a3f9. */
export function generateName(database: string, version: string, random: () => string = () => randomBytes(2).toString('hex')): string {
	return `dbarena-${database}-${version}-${random()}`;
}

export function volumeNameFor(containerName: string): string {
	return `${containerName}-data`;
}

/** Levenshtein distance, for "did you mean" suggestions on a mistyped name. */
export function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
		}
		previous = current;
	}
	return previous[b.length]!;
}

/** The closest names, nearest first; only those close enough to be a plausible typo. */
export function closestNames(input: string, candidates: string[], limit = 3): string[] {
	return candidates
		.map(candidate => ({candidate, distance: candidate.includes(input) || input.includes(candidate) ? 1 : editDistance(input, candidate)}))
		.filter(({candidate, distance}) => distance <= Math.max(2, Math.floor(Math.max(input.length, candidate.length) / 3)))
		.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
		.slice(0, limit)
		.map(({candidate}) => candidate);
}
