import {describe, expect, it} from 'vitest';
import {runMain} from '../helpers/run-main.js';

describe('DBARENA_TRACE', () => {
	it('prints each phase with its time since the process started and since the phase before, on stderr only', async () => {
		const traced = await runMain(['create', 'postgres', '--port', '70000'], '9.9.9', {DBARENA_TRACE: '1'});
		expect(traced.code).toBe(2);
		const lines = traced.stderr.split('\n').filter(line => line.startsWith('trace '));
		const phases = lines.map(line => line.replace(/^trace +[\d.]+ ms +\+ *[\d.]+ ms {2}/, ''));
		// Node's own start first (node-start.test.ts), then ours.
		expect(phases.slice(1)).toEqual(['main entered', 'command create loaded', 'done']);
		expect(phases[0]).toMatch(/^Node started V8/);
		expect(traced.stdout).toBe('');
		const at = lines.map(line => Number(/^trace +([\d.]+) ms/.exec(line)![1]));
		expect(at).toEqual([...at].sort((a, b) => a - b));
	});

	it('is silent without it', async () => {
		const plain = await runMain(['create', 'postgres', '--port', '70000']);
		expect(plain.stderr).not.toMatch(/^trace /m);
	});
});
