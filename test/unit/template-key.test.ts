import {describe, expect, it} from 'vitest';
import {planCreate} from '../../source/core/create/plan.js';
import {templateKey} from '../../source/core/templates.js';

/**
 * A template is found by its key alone, so a key that changes between dbarena versions silently
 * sends every user's next create back to a fresh initialisation and leaves the old templates as
 * dead weight. These keys were computed by the version before the key's environment sort stopped
 * using localeCompare (whose first call costs ~15 ms of ICU start-up in every create): the same
 * settings must still give the same key.
 */
const now = new Date('2026-11-28T00:00:00Z');

describe('template keys stay the same across versions', () => {
	it.each([
		['postgres', '16', {}, '77badb14b3222cb3'],
		['postgres', '18', {cdc: true}, '24fa98a6a4e28f97'],
		['mariadb', '11.8', {}, 'd1806e84407a9a49'],
		['mysql', '9.7', {cdc: true}, '3890ee3c64b02580'],
		['sqlserver', '2022', {password: 'Str0ng!Pass'}, '2c7733a6db7197d7'],
	] as const)('%s %s %o', (database, version, extra, key) => {
		const plan = planCreate({database, version, password: 'pw', ...(extra as object)}, {registry: '127.0.0.1:5000'}, now);
		expect(templateKey(plan, 'sha256:0123')).toBe(key);
	});
});
