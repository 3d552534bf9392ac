import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {deferModule} from '../../source/core/docker/dockerode.js';

const require = createRequire(import.meta.url);

describe('deferModule', () => {
	it('loads the real module on the first call and passes arguments and this through', () => {
		const dir = mkdtempSync(join(tmpdir(), 'dbarena-defer-'));
		const file = join(dir, 'fn.cjs');
		writeFileSync(
			file,
			'globalThis.__deferLoaded = (globalThis.__deferLoaded ?? 0) + 1;\nmodule.exports = function (a, b) { return [this && this.tag, a + b]; };\n',
		);
		expect(deferModule(file)).toBe(true);
		const stand = require(file) as (this: unknown, a: number, b: number) => [unknown, number];
		expect((globalThis as {__deferLoaded?: number}).__deferLoaded).toBeUndefined();
		expect(stand.call({tag: 'me'}, 2, 3)).toEqual(['me', 5]);
		expect((globalThis as {__deferLoaded?: number}).__deferLoaded).toBe(1);
		// Later requires get the real module, loaded once.
		expect((require(file) as (a: number, b: number) => [unknown, number]).call(undefined, 1, 1)[1]).toBe(2);
		expect((globalThis as {__deferLoaded?: number}).__deferLoaded).toBe(1);
	});

	it('serves a module that exports an object of functions too', () => {
		const dir = mkdtempSync(join(tmpdir(), 'dbarena-defer-'));
		const file = join(dir, 'object.cjs');
		writeFileSync(file, 'globalThis.__deferObject = true;\nmodule.exports = {twice: x => x * 2, name: "real"};\n');
		expect(deferModule(file)).toBe(true);
		const stand = require(file) as {twice: (x: number) => number; name: string};
		expect((globalThis as {__deferObject?: boolean}).__deferObject).toBeUndefined();
		expect(stand.twice(21)).toBe(42);
		expect(stand.name).toBe('real');
		expect('twice' in stand).toBe(true);
		expect((globalThis as {__deferObject?: boolean}).__deferObject).toBe(true);
	});

	it('leaves a module it cannot find alone', () => {
		expect(deferModule('./no-such-module.js')).toBe(false);
	});
});

describe('loadDockerode', () => {
	// A fresh process: this test process may already hold these modules from other files.
	const probe = (code: string) =>
		execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {encoding: 'utf8', cwd: join(import.meta.dirname, '../..')});

	it("does not load gRPC, protobufjs, ssh2 or tar-fs's dependencies until they are used", () => {
		const out = probe(`
			import {createRequire} from 'node:module';
			import {loadDockerode} from './source/core/docker/dockerode.ts';
			const require = createRequire(import.meta.url);
			const heavy = () => Object.keys(require.cache).filter(key => /node_modules\\/(@grpc|protobufjs|ssh2|tar-stream|chownr|pump)\\//.test(key)).length;
			const Docker = loadDockerode();
			const docker = new Docker({socketPath: '/nonexistent.sock'});
			const before = heavy();
			// What docker-modem does for an ssh:// engine: the real ssh2 must arrive.
			const agent = require(require.resolve('docker-modem/lib/ssh.js', {paths: [require.resolve('dockerode')]}))({host: 'localhost'});
			console.log(JSON.stringify({before, after: heavy(), api: typeof docker.createContainer, agent: typeof agent.createConnection}));
		`);
		const result = JSON.parse(out.trim().split('\n').at(-1)!) as {before: number; after: number; api: string; agent: string};
		expect(result.before).toBe(0);
		expect(result.after).toBeGreaterThan(0);
		expect(result.api).toBe('function');
		expect(result.agent).toBe('function');
	});
});
