import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildCli} from '../integration/cli-helpers.js';
import {badInputCases, expectRefused, removeTargets, setUpTargets, targetNames, title} from './bad-input-cases.js';

// Bad input, systematically: every command and flag with malformed values. Each must be refused
// with exit 2 and one clear stderr line naming the problem, and everything the row could have
// touched must be exactly as before: dbarena's labelled containers, volumes and images, and the
// names and ports the row gave (footprint.ts). Not the whole engine: other containers may come and
// go meanwhile on a developer's machine, and busy-engine.test.ts proves the rows pass beside them.

const targets = targetNames('badinput');
const cases = badInputCases(targets.managed, targets.foreign);

beforeAll(async () => {
	await buildCli();
	await setUpTargets(targets);
}, 120_000);

afterAll(async () => {
	await removeTargets(targets);
});

describe('bad input is refused clearly and changes nothing', () => {
	it('has a case for every command', () => {
		const covered = new Set(cases.map(([args]) => args[0]));
		for (const command of [
			'create',
			'start',
			'stop',
			'restart',
			'destroy',
			'list',
			'inspect',
			'logs',
			'url',
			'tunnel',
			'shell',
			'query',
			'dump',
			'env',
			'changes',
			'reset',
			'images',
			'volumes',
			'snapshot',
			'templates',
		]) {
			expect(covered.has(command), command).toBe(true);
		}
	});

	// Rows run a few at a time: none may change anything, and a row that did would still show it in its
	// own before/after (at worst in a neighbour's too), so running them together hides nothing.
	it.concurrent.each(cases.map(([args, message]) => [title(args), args, message] as const))('%s', async (_, args, message) => {
		await expectRefused(args, message);
	});

	it('shell metacharacters were never run', async () => {
		const {existsSync} = await import('node:fs');
		expect(existsSync('/tmp/dbarena-pwned')).toBe(false);
	});
});
