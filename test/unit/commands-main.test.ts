import {describe, expect, it} from 'vitest';
import {resolveCommand} from '../../source/cli/main.js';
import {runMain} from '../helpers/run-main.js';

/** main() with captured streams; these cases all end before the engine is needed. */
const run = async (argv: string[]) => runMain(argv);

describe('resolveCommand', () => {
	it('finds commands, subcommands and global flags before them', () => {
		expect(resolveCommand(['--json', 'list', '--all'])).toEqual({kind: 'command', name: 'list', rest: ['--all'], help: false});
		expect(resolveCommand(['images', 'pull', 'postgres'])).toEqual({kind: 'command', name: 'images pull', rest: ['postgres'], help: false});
		expect(resolveCommand(['help', 'create'])).toEqual({kind: 'command', name: 'create', rest: [], help: true});
		expect(resolveCommand(['volumes', '--help'])).toEqual({kind: 'group-help', group: 'volumes'});
		expect(resolveCommand([])).toEqual({kind: 'none', help: false, version: false});
	});

	it.each([
		[['crate'], 'Unknown command "crate". Did you mean: create?'],
		[['images'], '"dbarena images" needs a subcommand: pull, list, prune.'],
		[['images', 'pul'], 'Unknown subcommand "images pul". Did you mean: images pull?'],
		[['--name', 'x', 'create'], 'Unknown flag --name. Flags of a command go after it'],
		[['--version', 'list'], '--version takes no command'],
	])('refuses %j', (argv, message) => {
		expect(() => resolveCommand(argv)).toThrow(message);
	});
});

describe('main', () => {
	it('prints help for every command with exit 0, without validating the rest', async () => {
		const result = await run(['create', '--bogus', '--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Usage: dbarena create <database[:version]...> [flags]');
		expect(result.stdout).toContain('--keep-on-error');
		expect(result.stderr).toBe('');
	});

	it('prints the version as JSON with --json', async () => {
		const result = await run(['--json', '--version']);
		expect(JSON.parse(result.stdout)).toEqual({version: '9.9.9'});
	});

	it('reports a usage error as one stderr line and exit 2', async () => {
		const result = await run(['create', 'postgres', '--port', '0']);
		expect(result).toEqual({code: 2, stdout: '', stderr: 'Error: Invalid --port "0": use a whole number from 1 to 65535.\n'});
	});

	it('adds a JSON error document on stdout with --json, wherever --json is', async () => {
		const result = await run(['stop', 'x', '--timeout', 'soon', '--json']);
		expect(result.code).toBe(2);
		expect(JSON.parse(result.stdout)).toEqual({
			error: {code: 'invalid_timeout', message: 'Invalid --timeout "soon": use a whole number of seconds (0 or more).', exitCode: 2},
		});
		expect(result.stderr).toBe('Error: Invalid --timeout "soon": use a whole number of seconds (0 or more).\n');
	});

	it('refuses unknown flags of a command, naming them', async () => {
		const result = await run(['list', '--everything']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('Error: Unknown flag --everything.\n');
	});
});

describe('colour', () => {
	it('follows NO_COLOR, FORCE_COLOR and the terminal', async () => {
		const {colorEnabled} = await import('../../source/cli/output.js');
		expect(colorEnabled({}, true)).toBe(true);
		expect(colorEnabled({}, false)).toBe(false);
		expect(colorEnabled({NO_COLOR: '1'}, true)).toBe(false);
		// An empty NO_COLOR does not count (no-color.org).
		expect(colorEnabled({NO_COLOR: ''}, true)).toBe(true);
		expect(colorEnabled({FORCE_COLOR: '1'}, false)).toBe(true);
		expect(colorEnabled({FORCE_COLOR: '0'}, true)).toBe(false);
		expect(colorEnabled({TERM: 'dumb'}, true)).toBe(false);
	});
});
