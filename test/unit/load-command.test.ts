import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {runMain} from '../helpers/run-main.js';

/**
 * `dbarena load`'s user errors: each is one Error line and exit 2, decided before the engine is
 * asked. The engine is a closed port here, so a check made after asking it would end as
 * docker_unavailable (exit 3) instead, and nothing could have been created.
 */
describe('dbarena load: usage errors', () => {
	beforeEach(() => {
		vi.stubEnv('DOCKER_HOST', 'tcp://127.0.0.1:9');
		vi.stubEnv('DOCKER_CONTEXT', '');
	});
	afterEach(() => {
		vi.unstubAllEnvs();
	});

	it.each([
		[['load', 'db', '--rate', '0'], 'invalid_rate', 'Error: Invalid --rate "0": use a number of operations per second from 1 to 10000.'],
		[['load', 'db', '--rate', 'lots'], 'invalid_rate', 'Error: Invalid --rate "lots": use a number of operations per second from 1 to 10000.'],
		[
			['load', 'db', '--duration', '-1'],
			'invalid_duration',
			'Error: Invalid --duration "-1": use a number of seconds greater than 0 and at most 86400 (a day).',
		],
		[['load', 'db', '--tables', '0'], 'invalid_tables', 'Error: Invalid --tables "0": use a whole number from 1 to 100.'],
		[
			['load', 'db', '--mix', '60:40'],
			'invalid_mix',
			'Error: Invalid --mix "60:40": use three whole numbers insert:update:delete, such as 60:30:10, not all 0.',
		],
		[
			['load', 'db', '--mix', '0:0:0'],
			'invalid_mix',
			'Error: Invalid --mix "0:0:0": use three whole numbers insert:update:delete, such as 60:30:10, not all 0.',
		],
		[['load'], 'missing_argument', 'Error: Name the container to write to (see "dbarena list --all").'],
		[['load', 'a', 'b'], 'too_many_arguments', 'Error: load takes one container name, got 2: a b.'],
		[['load', 'db', '--speed', '5'], 'unknown_flag', undefined],
		[['load', 'db', '--rate'], 'missing_value', undefined],
	] as const)('%o: %s, exit 2', async (argv, code, line) => {
		const text = await runMain([...argv]);
		expect(text.code).toBe(2);
		expect(text.stdout).toBe('');
		const lines = text.stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		if (line) expect(lines[0]).toBe(line);
		else expect(lines[0]).toMatch(/^Error: /);
		const json = await runMain([...argv, '--json']);
		expect(json.code).toBe(2);
		expect((JSON.parse(json.stdout) as {error: {code: string}}).error.code).toBe(code);
	});

	it('valid values get as far as the engine (here: none there, exit 3)', async () => {
		const result = await runMain(['load', 'db', '--rate', '100', '--duration', '5', '--tables', '2', '--mix', '1:1:1']);
		expect(result.code).toBe(3);
	});
});
