import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';

const run = promisify(execFile);

// In a process of its own: the test runner has loaded half of Node already.
async function afterLoadingPg(): Promise<{undici: boolean; navigator: string; poolIsClass: boolean}> {
	const script = `
		const {postgresDriver} = await import('./source/core/sessions.ts');
		const pg = await postgresDriver();
		console.log(JSON.stringify({
			undici: process.moduleLoadList.some(entry => entry.includes('undici')),
			navigator: typeof globalThis.navigator,
			poolIsClass: typeof pg.Pool === 'function',
		}));`;
	const {stdout} = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: new URL('../..', import.meta.url).pathname});
	return JSON.parse(stdout) as {undici: boolean; navigator: string; poolIsClass: boolean};
}

describe('loading the PostgreSQL driver', () => {
	it("does not load Node's fetch (undici) for pg's Cloudflare check, and leaves the globals as they were", async () => {
		const nodeHasNavigator = Number(process.versions.node.split('.')[0]) >= 21;
		expect(await afterLoadingPg()).toEqual({undici: false, navigator: nodeHasNavigator ? 'object' : 'undefined', poolIsClass: true});
	});
});
