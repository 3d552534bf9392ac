import {readFileSync} from 'node:fs';
import {describe, expect, expectTypeOf, it} from 'vitest';
import {exitCodeFor} from '../../source/cli/exit-codes.js';
import {errorCodes, type ErrorCode} from '../../source/core/error-codes.js';
import {DbarenaError, UsageError, type UsageCode} from '../../source/core/errors.js';

/** The exit codes a code can leave with: one, or the two signals of an interruption. */
function exitCodesOf(code: ErrorCode): number[] {
	const error = new DbarenaError('x', code);
	return [...new Set([exitCodeFor(error, 'SIGINT'), exitCodeFor(error, 'SIGTERM')])];
}

/** The rows of README's code table (not its header), in order: code, the numbers in its exit cell, meaning. */
function documentedCodes(): Array<[string, number[], string]> {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	const start = readme.indexOf('\n### Exit codes\n');
	const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
	expect(start).toBeGreaterThan(0);
	return [...section.matchAll(/^\| `([^`]+)` \| (\d[^|]*) \| (.+) \|$/gm)].map(([, code, exits, meaning]) => [
		code!,
		[...exits!.matchAll(/\d+/g)].map(([number]) => Number(number)),
		meaning!,
	]);
}

describe('the error code table', () => {
	it('is what README.md documents: every code, its exit code and meaning, nothing extra', () => {
		const table = Object.entries(errorCodes).map(([code, {meaning}]) => [code, exitCodesOf(code as ErrorCode), meaning]);
		expect(documentedCodes()).toEqual(table);
	});

	it('gives an error its kind from its code, whichever class raised it', () => {
		expect(new DbarenaError('x', 'port_in_use').kind).toBe('usage');
		expect(new DbarenaError('x', 'cancelled').kind).toBe('failed');
		expect(new DbarenaError('x', 'docker_unavailable').kind).toBe('engine');
		expect(new UsageError('x', 'port_in_use').kind).toBe('usage');
		expect(new UsageError('x').code).toBe('usage');
	});

	it('lets a UsageError carry only a usage code (a compile-time check, run by tsc)', () => {
		expectTypeOf<'port_in_use' | 'invalid_timeout' | 'invalid_bind'>().toExtend<UsageCode>();
		expectTypeOf<'operation_failed'>().not.toExtend<UsageCode>();
		expectTypeOf<'docker_unavailable'>().not.toExtend<UsageCode>();
		expectTypeOf<'interrupted'>().not.toExtend<UsageCode>();
		expectTypeOf<ConstructorParameters<typeof UsageError>[1]>().toEqualTypeOf<UsageCode | undefined>();
	});
});
