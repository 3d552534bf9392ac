import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {buildCli, cli, cliPath, root} from './cli-helpers.js';

const commands = [
	'create',
	'start',
	'stop',
	'restart',
	'destroy',
	'list',
	'inspect',
	'logs',
	'url',
	'shell',
	'query',
	'load',
	'dump',
	'env',
	'reset',
	'images pull',
	'images list',
	'images prune',
	'volumes list',
	'volumes rm',
];

beforeAll(async () => {
	await buildCli();
});

// Each case is one short process that never reaches the engine; they run side by side.
describe.concurrent('help and version', () => {
	it('--version prints the package version', async () => {
		const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};
		expect(await cli(['--version'])).toMatchObject({code: 0, stdout: `${version}\n`, stderr: ''});
		expect(JSON.parse((await cli(['--version', '--json'])).stdout)).toEqual({version});
	});

	it('--help lists every command and the exit codes', async () => {
		const result = await cli(['--help']);
		expect(result.code).toBe(0);
		for (const command of commands) expect(result.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
		expect(result.stdout).toContain('Exit codes: 0 ok, 1 operation failed, 2 usage error, 3 Docker unreachable,');
	});

	it.each(commands)('"%s --help" prints its usage and flags, exit 0', async command => {
		const result = await cli([...command.split(' '), '--help']);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout.startsWith(`Usage: dbarena ${command}`)).toBe(true);
		expect(result.stdout).toContain('--json');
		expect(result.stderr).toBe('');
	});

	it('"help <command>" is the same as "<command> --help"', async () => {
		expect((await cli(['help', 'logs'])).stdout).toBe((await cli(['logs', '--help'])).stdout);
	});

	it('without a command and without a terminal, prints the list once and a hint on stderr', async () => {
		const result = await cli([]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^(NAME +TYPE +VERSION +STATUS +PORTS +UPTIME|No dbarena containers\.)\n/);
		expect(result.stderr).toBe('Run dbarena in a terminal for the dashboard, or "dbarena --help" for commands.\n');
	});

	it.each([
		{args: ['--version'], code: 0},
		{args: ['list'], code: 0},
		{args: ['create', 'postgres', '--port', 'x'], code: 2},
	])('"$args" loads neither Ink nor React (start-up cost)', async ({args, code}) => {
		// A module hook that reports every package the process loads, on stderr.
		const directory = mkdtempSync(path.join(tmpdir(), 'dbarena-hook-'));
		writeFileSync(
			path.join(directory, 'hooks.mjs'),
			[
				'export async function resolve(specifier, context, next) {',
				'  const result = await next(specifier, context);',
				'  const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url);',
				// biome-ignore lint/suspicious/noTemplateCurlyInString: this is the loader's own source text
				'  if (match) process.stderr.write(`LOADED ${match[1]}\\n`);',
				'  return result;',
				'}',
			].join('\n'),
		);
		// require() (dockerode is loaded that way) passes no ESM hook: report the CommonJS cache at exit too.
		writeFileSync(
			path.join(directory, 'register.mjs'),
			[
				"import {createRequire, register} from 'node:module';",
				"register('./hooks.mjs', import.meta.url);",
				'const require = createRequire(import.meta.url);',
				"process.on('exit', () => {",
				'  for (const key of Object.keys(require.cache)) {',
				'    const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(key);',
				// biome-ignore lint/suspicious/noTemplateCurlyInString: this is the loader's own source text
				'    if (match) process.stderr.write(`LOADED ${match[1]}\\n`);',
				'  }',
				'});',
			].join('\n'),
		);
		const child = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(directory, 'register.mjs')).href, cliPath, ...args], {
			cwd: root,
			env: {...process.env, NO_COLOR: '1'},
			encoding: 'utf8',
		});
		rmSync(directory, {recursive: true});
		expect(child.status, child.stderr).toBe(code);
		const loaded = new Set([...child.stderr.matchAll(/^LOADED (\S+)$/gm)].map(match => match[1]));
		expect(loaded.has('ink')).toBe(false);
		expect(loaded.has('react')).toBe(false);
		// --version needs no package at all; a usage error no client.
		if (args[0] === '--version') expect([...loaded]).toEqual([]);
		// list asks the engine through its socket only (core/docker/socket-client.ts).
		if (args[0] === 'list') expect(loaded.has('dockerode'), child.stderr).toBe(false);
		// BuildKit's gRPC and ssh2 are loaded only when used (core/docker/dockerode.ts).
		for (const heavy of ['@grpc/grpc-js', 'protobufjs', 'ssh2']) expect(loaded.has(heavy), heavy).toBe(false);
		if (args[0] === 'create') expect(loaded.has('dockerode')).toBe(false);
	});
});
