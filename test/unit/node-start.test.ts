import {describe, expect, it} from 'vitest';
import {nodeStartCheck} from '../../source/core/doctor.js';
import {certificatesSlowStart, nodeStart, slowNodeStartMs} from '../../source/core/node-start.js';
import {runMain} from '../helpers/run-main.js';

const bundle = '/etc/ssl/certs/ca-certificates.crt';

describe("Node's own start", () => {
	it("reads V8's start from Node's timing and NODE_EXTRA_CA_CERTS from the environment; empty is unset, as Node takes it", () => {
		expect(nodeStart({NODE_EXTRA_CA_CERTS: bundle}, {v8Start: 94.7})).toEqual({v8StartMs: 94.7, extraCaCerts: bundle});
		expect(nodeStart({NODE_EXTRA_CA_CERTS: ''}, {v8Start: 4})).toEqual({v8StartMs: 4, extraCaCerts: undefined});
		expect(nodeStart({}, {v8Start: 4}).extraCaCerts).toBeUndefined();
		// The real one: this process has started V8, and Node says when.
		expect(nodeStart({}).v8StartMs).toBeGreaterThan(0);
	});

	it('blames the certificates only when they are set and the start was slow', () => {
		expect(certificatesSlowStart({v8StartMs: 94.7, extraCaCerts: bundle})).toBe(true);
		expect(certificatesSlowStart({v8StartMs: slowNodeStartMs, extraCaCerts: bundle})).toBe(false);
		expect(certificatesSlowStart({v8StartMs: 94.7, extraCaCerts: undefined})).toBe(false);
	});

	it('doctor passes with the time, or warns naming the variable and how to run without it', () => {
		expect(nodeStartCheck({v8StartMs: 4.2, extraCaCerts: undefined})).toEqual({
			id: 'node-start',
			title: 'Node start',
			status: 'pass',
			detail: 'Node took 4 ms before it could run any code',
		});
		const slow = nodeStartCheck({v8StartMs: 94.7, extraCaCerts: bundle});
		expect(slow).toMatchObject({id: 'node-start', status: 'warn'});
		expect(slow.detail).toBe(
			`Node took 95 ms before it could run any code: NODE_EXTRA_CA_CERTS (${bundle}) makes Node 20 load every CA certificate first, ` +
				'and every dbarena command pays it',
		);
		expect(slow.fix).toContain("alias dbarena='env -u NODE_EXTRA_CA_CERTS dbarena'");
		// Set but fast (a fast machine, or a Node that loads them later): nothing to warn of.
		expect(nodeStartCheck({v8StartMs: 6, extraCaCerts: bundle}).status).toBe('pass');
	});

	it("is the trace's first phase, before main is entered", async () => {
		const traced = await runMain(['create', 'postgres', '--port', '70000'], '9.9.9', {DBARENA_TRACE: '1'});
		const phases = traced.stderr.split('\n').filter(line => line.startsWith('trace '));
		expect(phases[0]).toMatch(/^trace +[\d.]+ ms +\+ *[\d.]+ ms {2}Node started V8/);
		expect(phases[1]).toMatch(/main entered$/);
	});
});
