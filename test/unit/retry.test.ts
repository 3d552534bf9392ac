import {describe, expect, it} from 'vitest';
import {backoffDelay, isTransient, withRetry} from '../../source/core/docker/retry.js';

describe('retries with backoff', () => {
	it('doubles the delay each attempt', () => {
		expect([1, 2, 3].map(attempt => backoffDelay(attempt, 100))).toEqual([100, 200, 400]);
	});

	it('retries a transient failure up to 3 times, then succeeds', async () => {
		const sleeps: number[] = [];
		let calls = 0;
		const result = await withRetry(
			async () => {
				calls++;
				if (calls < 4) throw Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'});
				return 'ok';
			},
			{
				sleep: async ms => {
					sleeps.push(ms);
				},
			},
		);
		expect(result).toBe('ok');
		expect(calls).toBe(4);
		expect(sleeps).toEqual([100, 200, 400]);
	});

	it('gives up after 3 retries', async () => {
		let calls = 0;
		await expect(
			withRetry(
				async () => {
					calls++;
					throw Object.assign(new Error('busy'), {statusCode: 503});
				},
				{sleep: async () => {}},
			),
		).rejects.toThrow('busy');
		expect(calls).toBe(4);
	});

	it('never retries a user error', async () => {
		let calls = 0;
		await expect(
			withRetry(
				async () => {
					calls++;
					throw Object.assign(new Error('Conflict. The container name is already in use'), {statusCode: 409});
				},
				{sleep: async () => {}},
			),
		).rejects.toThrow('Conflict');
		expect(calls).toBe(1);
	});

	it.each([
		[{code: 'ECONNRESET'}, true],
		[{statusCode: 500, message: 'internal'}, true],
		[{statusCode: 500, message: 'driver failed programming external connectivity: Bind for 127.0.0.1:5432 failed: port is already allocated'}, false],
		[{statusCode: 404}, false],
		[{statusCode: 400}, false],
		[{code: 'ENOENT'}, false], // no engine: retrying will not make one appear
		[new Error('socket hang up'), true],
	])('classifies %j as transient: %s', (error, transient) => {
		expect(isTransient(error)).toBe(transient);
	});
});
