import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {planCreate} from '../../source/core/create/plan.js';
import {errorText} from '../../source/cli/error-text.js';
import {parseArgs, type FlagSpecs} from '../../source/cli/args.js';
import {createFlags, createOptionsFrom} from '../../source/cli/create-options.js';
import {runMain} from '../helpers/run-main.js';

const specs: FlagSpecs = {
	port: {type: 'string', value: 'P', description: ''},
	env: {type: 'string', multiple: true, description: ''},
	removeVolume: {type: 'boolean', description: ''},
	yes: {type: 'boolean', short: 'y', description: ''},
	follow: {type: 'boolean', short: 'f', description: ''},
	tail: {type: 'string', short: 'n', description: ''},
};

function usageError(run: () => unknown): UsageError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(UsageError);
		return error as UsageError;
	}
	throw new Error('expected a usage error');
}

describe('parseArgs', () => {
	it('reads positionals, values, repeated flags and kebab-case names', () => {
		const args = parseArgs(['postgres', '--port', '5433', '--env', 'A=1', '--env=B=2', '--remove-volume', '-yf'], specs);
		expect(args.input).toEqual(['postgres']);
		expect(args.flags).toMatchObject({port: '5433', env: ['A=1', 'B=2'], removeVolume: true, yes: true, follow: true});
	});

	it('keeps a negative number as a value so the value check can name it', () => {
		expect(parseArgs(['--tail', '-5'], specs).flags['tail']).toBe('-5');
	});

	it('passes everything after -- as input', () => {
		expect(parseArgs(['--', '--port'], specs).input).toEqual(['--port']);
	});

	it.each([
		[['--prot', '5'], 'Unknown flag --prot. Did you mean --port?', 'unknown_flag'],
		[['--bogus'], 'Unknown flag --bogus.', 'unknown_flag'],
		[['-x'], 'Unknown flag -x.', 'unknown_flag'],
		[['-yx'], 'Unknown flag -x.', 'unknown_flag'],
		[['--port'], 'Flag --port needs a value (--port P).', 'missing_value'],
		[['--port', '--yes'], 'Flag --port needs a value (--port P).', 'missing_value'],
		[['--env'], 'Flag --env needs a value.', 'missing_value'],
		[['-ny'], 'Flag -n needs a value.', 'missing_value'],
		[['--yes=maybe'], 'Flag --yes takes no value (got "maybe").', 'invalid_flag'],
		[['--port', '1', '--port', '2'], 'The flag --port can only be set once.', 'invalid_flag'],
		[['--port=1', '--port', '2'], 'The flag --port can only be set once.', 'invalid_flag'],
		[['-n', '1', '--tail=2'], 'The flag --tail can only be set once (also given as -n).', 'invalid_flag'],
		// A repeated boolean is refused like a repeated value, in any of its forms.
		[['--remove-volume', '--remove-volume'], 'The flag --remove-volume can only be set once.', 'invalid_flag'],
		[['-yy'], 'The flag -y can only be set once.', 'invalid_flag'],
		[['--yes', '-fy'], 'The flag -y can only be set once (also given as --yes).', 'invalid_flag'],
		[['--yes=false', '--yes'], 'The flag --yes can only be set once.', 'invalid_flag'],
		[['--remove-volume', '--no-remove-volume'], 'The flag --no-remove-volume can only be set once (also given as --remove-volume).', 'invalid_flag'],
		[['--json', 'x', '--json'], 'The flag --json can only be set once.', 'invalid_flag'],
		[['--port', '-x'], 'Flag --port needs a value (--port P).', 'missing_value'],
		[['--port', '--'], 'Flag --port needs a value (--port P).', 'missing_value'],
		[['-n5'], 'Flag -n needs a value.', 'missing_value'],
		[['--yes='], 'Flag --yes takes no value (got "").', 'invalid_flag'],
		[['-y=maybe'], 'Flag -y takes no value (got "maybe").', 'invalid_flag'],
		// The old reader took "-y=true"; only the long form takes =true/=false now.
		[['-y=true'], 'Flag -y takes no value (got "true").', 'invalid_flag'],
		[['--prot=5'], 'Unknown flag --prot. Did you mean --port?', 'unknown_flag'],
		[['-5x', '--bogus'], 'Unknown flag --bogus.', 'unknown_flag'],
	])('refuses %j', (argv, message, code) => {
		const error = usageError(() => parseArgs(argv, specs));
		expect(error.message).toBe(message);
		expect(error.code).toBe(code);
	});

	it('reads booleans as given: --x, --x=false, --no-x, and a flag named no-x', () => {
		expect(parseArgs([], specs).flags).toMatchObject({removeVolume: false, env: [], json: false});
		expect(parseArgs([], specs).flags['port']).toBeUndefined();
		expect(parseArgs(['--remove-volume=false'], specs).flags['removeVolume']).toBe(false);
		expect(parseArgs(['--no-remove-volume'], specs).flags['removeVolume']).toBe(false);
		expect(parseArgs(['--no-template'], createFlags).flags['noTemplate']).toBe(true);
		expect(() => parseArgs(['--no-remove-volume=1'], specs)).toThrow('Flag --no-remove-volume takes no value.');
	});

	// An empty value is never what was meant ("--env=$UNSET" in a script), and no flag takes one.
	it.each([
		[['--env=', '--env', 'A=1'], 'Flag --env needs a value, not an empty one.'],
		[['--env', 'A=1', '--env', ''], 'Flag --env needs a value, not an empty one.'],
		[['--port='], 'Flag --port needs a value, not an empty one (--port P).'],
		[['--port', ''], 'Flag --port needs a value, not an empty one (--port P).'],
		[['-n', ''], 'Flag -n needs a value, not an empty one.'],
		[['-n='], 'Flag -n needs a value, not an empty one.'],
	])('refuses the empty value in %j, naming the flag', (argv, message) => {
		const error = usageError(() => parseArgs(argv, specs));
		expect(error.message).toBe(message);
		expect(error.code).toBe('missing_value');
	});

	it('names the flag of an empty value of create', () => {
		expect(() => parseArgs(['postgres', '--name', ''], createFlags)).toThrow('Flag --name needs a value, not an empty one (--name N).');
		expect(() => parseArgs(['postgres', '--env='], createFlags)).toThrow('Flag --env needs a value, not an empty one (--env KEY=VALUE).');
		expect(() => parseArgs(['postgres', '--from-snapshot', ''], createFlags)).toThrow(
			'Flag --from-snapshot needs a value, not an empty one (--from-snapshot TAG).',
		);
	});

	// The forms the hand-written reader accepted, read the same now that util.parseArgs splits them.
	it.each<[string[], Partial<Record<string, unknown>>, string[]]>([
		[['--port=5433'], {port: '5433'}, []],
		[['--port', '5433'], {port: '5433'}, []],
		[['--env=A=1', '--env', 'B=2=3'], {env: ['A=1', 'B=2=3']}, []],
		[['--port=-x'], {port: '-x'}, []],
		[['--port', '-'], {port: '-'}, []],
		[['--tail', '-5'], {tail: '-5'}, []],
		[['--tail=-5'], {tail: '-5'}, []],
		[['-n', '5'], {tail: '5'}, []],
		[['-n', '-5'], {tail: '-5'}, []],
		[['-n=5'], {tail: '5'}, []],
		[['-yn=5'], {yes: true, tail: '5'}, []],
		[['-y', '-f'], {yes: true, follow: true}, []],
		[['--yes=true', '--follow=false'], {yes: true, follow: false}, []],
		[['--json=true'], {json: true}, []],
		[['-h'], {help: true}, []],
		[['a', '-', '', 'b'], {}, ['a', '-', '', 'b']],
		[['-5', '-10', '-1.5', '--yes'], {yes: true}, ['-5', '-10', '-1.5']],
		[['x', '--', '--port', '-y', '--'], {yes: false}, ['x', '--port', '-y', '--']],
		[['--', '-5'], {}, ['-5']],
	])('reads %j as before', (argv, flags, input) => {
		const args = parseArgs(argv, specs);
		expect(args.flags).toMatchObject(flags);
		expect(args.input).toEqual(input);
	});

	it('refuses a repeated --cdc of create instead of taking it silently', () => {
		const error = usageError(() => parseArgs(['postgres', '--cdc', '--cdc'], createFlags));
		expect(error.message).toBe('The flag --cdc can only be set once.');
		expect(error.code).toBe('invalid_flag');
		// The repeatable --env stays repeatable.
		expect(parseArgs(['postgres', '--env', 'A=1', '--env', 'A=2'], createFlags).flags['env']).toEqual(['A=1', 'A=2']);
	});

	it('reads the kebab-case flags of create', () => {
		expect(parseArgs(['postgres', '--from-snapshot', 'nightly', '--keep-on-error', '--database-name=shop', '--no-template'], createFlags).flags).toMatchObject({
			fromSnapshot: 'nightly',
			keepOnError: true,
			databaseName: 'shop',
			noTemplate: true,
			cdc: false,
		});
	});

	it('accepts the global flags everywhere and yargs-style negation of booleans', () => {
		expect(parseArgs(['--json', '--no-yes'], specs).flags).toMatchObject({json: true, yes: false});
		expect(() => parseArgs(['--no-port'], specs)).toThrow('Unknown flag --no-port.');
	});
});

describe('a refused flag through main', () => {
	// Each of these ends before the engine is needed: arguments are read first.
	const run = async (argv: string[]) => runMain(argv);

	it.each([
		[['create', 'postgres', '--cdc', '--cdc'], 'invalid_flag', 'The flag --cdc can only be set once.'],
		[['create', 'postgres', '--persistant'], 'unknown_flag', 'Unknown flag --persistant. Did you mean --persistent?'],
		[['create', 'postgres', '--name', ''], 'missing_value', 'Flag --name needs a value, not an empty one (--name N).'],
	])('%j exits 2 with one line, and a JSON error with --json', async (argv, code, message) => {
		expect(await run(argv)).toEqual({code: 2, stdout: '', stderr: `Error: ${message}\n`});
		const json = await run([...argv, '--json']);
		expect(json.code).toBe(2);
		expect(JSON.parse(json.stdout)).toEqual({error: {code, message, exitCode: 2}});
	});
});

describe('createOptionsFrom', () => {
	const parse = (...argv: string[]) => createOptionsFrom(parseArgs(argv, createFlags));

	it("maps every flag to the core's options", () => {
		expect(
			parse(
				'postgres',
				'--version',
				'16',
				'--name',
				'db1',
				'--port',
				'15432',
				'--bind',
				'0.0.0.0',
				'--persistent',
				'--env',
				'TZ=UTC',
				'--memory',
				'512m',
				'--user',
				'alice',
				'--password',
				'pw',
				'--database-name',
				'shop',
				'--timeout',
				'1.5',
				'--keep-on-error',
				'--image',
				'my/pg:16',
			),
		).toEqual([
			{
				database: 'postgres',
				version: '16',
				name: 'db1',
				port: '15432',
				hostIp: '0.0.0.0',
				mode: 'persistent',
				env: ['TZ=UTC'],
				memory: '512m',
				user: 'alice',
				password: 'pw',
				databaseName: 'shop',
				timeoutMs: 1500,
				keepOnError: true,
				image: 'my/pg:16',
			},
		]);
	});

	it('reads database:version for each of several databases', () => {
		expect(parse('postgres:16', 'mysql', 'mariadb:10.11', '--fast')).toEqual([
			{database: 'postgres', version: '16', mode: 'fast'},
			{database: 'mysql', mode: 'fast'},
			{database: 'mariadb', version: '10.11', mode: 'fast'},
		]);
	});

	it.each([
		[[], /Name at least one database: postgres, mysql, mariadb, sqlserver/],
		[['postgres', 'mysql', '--name', 'x'], '--name applies to one container, but 2 databases were named.'],
		[['postgres', 'mysql', '--port', '5432'], '--port applies to one container'],
		[['postgres', 'mysql', '--version', '16'], 'Give each its version instead: dbarena create postgres:16 mysql:8.4.'],
		[['postgres:16', '--version', '17'], 'Version given twice: "postgres:16" and --version 17; use one.'],
		[['postgres:'], 'Missing version after "postgres:"'],
		[['postgres', '--durable', '--fast'], 'Conflicting flags --durable and --fast'],
		[['postgres', '--timeout', '-1'], 'Invalid --timeout "-1"'],
	])('refuses %j', (argv, message) => {
		expect(() => parse(...argv)).toThrow(message);
	});

	it.each([
		[['postgres', '--env', 'NOEQUALS'], 'Invalid --env "NOEQUALS": use KEY=VALUE', 'invalid_env'],
		[['postgres', '--memory', 'lots'], 'Invalid --memory "lots": use a size such as 512m', 'invalid_memory'],
		[['postgres', '--port', 'http'], 'Invalid --port "http": use a whole number from 1 to 65535.', 'invalid_port'],
		[['postgres', '--bind', 'localhost'], 'Invalid --bind "localhost": use an IP address', 'invalid_bind'],
	])('passes %j to the core as typed; its refusal names the flag', (argv, message, code) => {
		const error = usageError(() => planCreate(parse(...argv)[0]!, {}));
		expect(errorText(error)).toContain(message);
		expect(error.code).toBe(code);
	});
});
