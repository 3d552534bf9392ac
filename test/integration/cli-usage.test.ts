import {createServer, type Server} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildCli, cli, inspect, json, removeAll, snapshot, uniqueName, type CliResult, type Snapshot} from './cli-helpers.js';

// Bad input: one clear stderr line naming the value, exit 2, and nothing created or removed.
//
// "Nothing created or removed" is checked against engine snapshots. Other test files (and other
// suites) create and remove their own containers meanwhile, so the check is scoped: nothing
// whose name carries this test's token may appear (every create below passes --name <token>,
// so a create that wrongly went ahead would be caught by name), and the sentinel container and
// volume, which the destructive cases aim at, must still be there with the same id. That scoping
// also lets the cases run side by side: each is a short process that is refused.

const sentinel = uniqueName('usage-sentinel');
let sentinelId = '';

beforeAll(async () => {
	await buildCli();
	const created = await cli(['create', 'postgres', '--version', '16', '--name', sentinel, '--persistent', '--json']);
	expect(created.code, created.stderr).toBe(0);
	sentinelId = (await inspect(sentinel))!.Id;
});

afterAll(async () => {
	await removeAll([sentinel], [`${sentinel}-data`]);
});

async function expectUnchanged(before: Snapshot, token: string): Promise<void> {
	const after = await snapshot();
	const appeared = [...after.containers.keys(), ...after.volumes].filter(
		name => name.includes(token) && !before.containers.has(name) && !before.volumes.has(name),
	);
	expect(appeared).toEqual([]);
	expect(after.containers.get(sentinel)).toBe(sentinelId);
	expect(after.volumes.has(`${sentinel}-data`)).toBe(true);
}

/** Run a bad command; check exit 2, exactly one stderr line, empty stdout, and no change. */
async function refused(
	args: string[],
	message: string | RegExp,
	options: {code?: number; env?: Record<string, string>; stdout?: RegExp} = {},
): Promise<CliResult> {
	const token = uniqueName('bad');
	const withToken = args.map(arg => (arg === '@name' ? token : arg));
	const before = await snapshot();
	const result = await cli(withToken, options.env ? {env: options.env} : {});
	expect(result.code, result.stderr).toBe(options.code ?? 2);
	if (options.stdout) expect(result.stdout).toMatch(options.stdout);
	else expect(result.stdout).toBe('');
	const lines = result.stderr.trimEnd().split('\n');
	expect(lines).toHaveLength(1);
	if (typeof message === 'string') expect(lines[0]).toBe(`Error: ${message}`);
	else expect(lines[0]).toMatch(message);
	await expectUnchanged(before, token);
	return result;
}

describe.concurrent('bad values for create', () => {
	it('unknown database', async () => {
		await refused(['create', 'oracle', '--name', '@name'], 'Unknown database "oracle". Supported: postgres, mysql, mariadb, sqlserver.');
	});

	it('unknown version', async () => {
		await refused(['create', 'postgres', '--version', '99', '--name', '@name'], 'Unknown postgres version "99". Supported: 14, 15, 16, 17, 18.');
	});

	it('port outside 1-65535', async () => {
		await refused(['create', 'postgres', '--port', '70000', '--name', '@name'], 'Invalid --port "70000": use a whole number from 1 to 65535.');
	});

	it('--env that would move the data directory out of the volume', async () => {
		await refused(
			['create', 'postgres', '--persistent', '--env', 'PGDATA=/tmp/pgd', '--name', '@name'],
			'PGDATA would move the data directory away from where dbarena keeps it (its volume, template or snapshot); leave it out.',
		);
	});

	it('an image reference the engine would refuse', async () => {
		await refused(
			['create', 'postgres', '--image', 'UPPER/Bad', '--name', '@name'],
			'Invalid --image "UPPER/Bad": use a reference such as postgres:16-alpine or registry.example:5000/team/pg:16 (lowercase name).',
		);
	});

	it('a --bind address this machine does not have', async () => {
		await refused(
			['create', 'postgres', '--bind', '10.255.255.1', '--password', 'Secret-1', '--name', '@name'],
			'Invalid --bind "10.255.255.1": it is not an address of this machine; use 127.0.0.1 (default), 0.0.0.0, :: or one of this host\'s addresses.',
		);
	});

	it('publishing beyond this machine with the well-known default password', async () => {
		for (const bind of ['0.0.0.0', '::']) {
			await refused(
				['create', 'postgres', '--bind', bind, '--name', '@name'],
				`Publishing on ${bind} makes the database reachable from the network, and its default password "dbarena" is well known. ` +
					'Give it a password of your own or a random one. (--password or --random-password)',
			);
		}
	});

	it('an empty --user (and any empty value)', async () => {
		await refused(['create', 'postgres', '--user', '', '--name', '@name'], 'Flag --user needs a value, not an empty one (--user USER).');
	});

	it('a MySQL password the official image would break on (\' " \\)', async () => {
		for (const password of ["it's", 'say"hi', 'back\\slash']) {
			await refused(
				['create', 'mysql', '--password', password, '--name', '@name'],
				'A MySQL password cannot contain \' " or \\: the official mysql image pastes it into SQL unescaped.',
			);
		}
	});

	it('port that is not a number', async () => {
		await refused(['create', 'postgres', '--port', 'abc', '--name', '@name'], 'Invalid --port "abc": use a whole number from 1 to 65535.');
	});

	it('--env without "="', async () => {
		await refused(['create', 'postgres', '--env', 'FOO', '--name', '@name'], 'Invalid --env "FOO": use KEY=VALUE (for example TZ=UTC).');
	});

	it('invalid container name', async () => {
		await refused(
			['create', 'postgres', '--name', 'bad name!'],
			'Invalid container name "bad name!": use 1–63 letters, digits, "_", "." or "-", starting with a letter or digit.',
		);
	});

	it('memory size that cannot be parsed', async () => {
		await refused(
			['create', 'postgres', '--memory', 'lots', '--name', '@name'],
			'Invalid --memory "lots": use a size such as 512m, 1g, 256MB, 1.5GiB or a number of bytes.',
		);
	});

	it('memory size below what the engine accepts', async () => {
		await refused(['create', 'postgres', '--memory', '1m', '--name', '@name'], 'The memory limit must be at least 6 MB.');
	});

	it('conflicting mode flags', async () => {
		await refused(
			['create', 'postgres', '--persistent', '--fast', '--name', '@name'],
			'Conflicting flags --persistent and --fast: choose one of --persistent, --durable or --fast.',
		);
	});

	it('negative --timeout', async () => {
		await refused(['create', 'postgres', '--timeout', '-5', '--name', '@name'], 'Invalid --timeout "-5": use a number of seconds greater than 0.');
	});

	it('non-numeric stop --timeout', async () => {
		await refused(['stop', sentinel, '--timeout', 'soon'], 'Invalid --timeout "soon": use a whole number of seconds (0 or more).');
		expect((await inspect(sentinel))!.State.Running).toBe(true);
	});

	it('non-numeric --tail', async () => {
		await refused(['logs', sentinel, '--tail', 'ten'], 'Invalid --tail "ten": use a whole number of lines (0 to 10000000) or "all".');
	});

	it('a port already in use', async () => {
		const server: Server = createServer();
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as {port: number};
		try {
			// The port is checked when the container is about to be created, after the image step:
			// the image lines are printed, the container is not.
			await refused(
				['create', 'postgres', '--version', '16', '--port', String(port), '--name', '@name'],
				`Port ${port} on 127.0.0.1 is already in use. Choose another --port, or leave it out to get a free one.`,
				{
					stdout: /^✓ Image \S+\/library\/postgres:16-alpine cached\n(✓ Using initialised template \S+\n)?$/,
				},
			);
		} finally {
			server.close();
		}
	});

	it('a name that already exists', async () => {
		await refused(
			['create', 'postgres', '--version', '16', '--name', sentinel],
			`A container named "${sentinel}" already exists. Choose another --name, or destroy it first.`,
		);
	});
});

describe.concurrent('bad commands and flags', () => {
	it('unknown flag', async () => {
		await refused(['create', 'postgres', '--persistant', '--name', '@name'], 'Unknown flag --persistant. Did you mean --persistent?');
	});

	it('unknown command', async () => {
		await refused(['crate', 'postgres'], 'Unknown command "crate". Did you mean: create? Run "dbarena --help" for the list.');
	});

	it('a flag without its value', async () => {
		await refused(['create', 'postgres', '--name', '@name', '--port'], 'Flag --port needs a value (--port P).');
	});

	it('reports a usage error as a JSON document too with --json', async () => {
		const token = uniqueName('bad');
		const result = await cli(['create', 'postgres', '--port', '0', '--name', token, '--json']);
		expect(result.code).toBe(2);
		expect(json(result)).toEqual({error: {code: 'invalid_port', message: 'Invalid --port "0": use a whole number from 1 to 65535.', exitCode: 2}});
		expect(result.stderr).toBe('Error: Invalid --port "0": use a whole number from 1 to 65535.\n');
	});
});

describe.concurrent('destructive commands are safe on typos and without confirmation', () => {
	it('destroy of an unknown name suggests the closest and removes nothing', async () => {
		const typo = `${sentinel.slice(0, -1)}x`;
		await refused(['destroy', typo, '--yes'], `No dbarena container named "${typo}". Did you mean: ${sentinel}?`);
	});

	it('destroy with one good and one unknown name removes neither', async () => {
		await refused(['destroy', sentinel, 'no-such-db-at-all', '--yes'], /^Error: No dbarena container named "no-such-db-at-all"\./);
	});

	it('destroy without a terminal and without --yes refuses', async () => {
		await refused(['destroy', sentinel], `Refusing to destroy ${sentinel} without confirmation: there is no terminal to ask on. Add --yes.`);
	});

	it('destroy --all without a terminal and without --yes refuses', async () => {
		await refused(['destroy', '--all'], /^Error: Refusing to destroy .* without confirmation: there is no terminal to ask on\. Add --yes\.$/);
	});

	it('removing a persistent volume needs --yes', async () => {
		await refused(
			['destroy', sentinel, '--remove-volume'],
			`Destroying ${sentinel} with --remove-volume deletes the data in volume ${sentinel}-data; that always needs --yes.`,
		);
	});

	it('reset of a persistent container needs --yes', async () => {
		await refused(['reset', sentinel], `Resetting ${sentinel} deletes the data in volume ${sentinel}-data; that always needs --yes.`);
	});

	it('volumes rm of a volume in use is refused even with --yes', async () => {
		await refused(['volumes', 'rm', `${sentinel}-data`, '--yes'], `Volume ${sentinel}-data is in use by ${sentinel}; destroy that container first.`);
	});
});

describe('engine unreachable', () => {
	it('exits 3 naming the address, quickly', async () => {
		const result = await refused(
			['list'],
			'Docker is not reachable at unix:///tmp/dbarena-no-engine.sock (ENOENT) — is the daemon running? Start it, or set DOCKER_HOST to the engine you use.',
			{
				code: 3,
				env: {DOCKER_HOST: 'unix:///tmp/dbarena-no-engine.sock'},
			},
		);
		// It gives up on its own (the core waits 2 s for the engine) rather than hanging; the bound
		// is loose because the other cases run alongside on a busy 2-core machine.
		expect(result.ms).toBeLessThan(15_000);
	});

	it('exits 3 with a JSON error for a refused TCP address', async () => {
		const result = await cli(['create', 'postgres', '--json'], {env: {DOCKER_HOST: 'tcp://127.0.0.1:1'}});
		expect(result.code).toBe(3);
		expect(json<{error: {code: string; exitCode: number}}>(result).error).toMatchObject({code: 'docker_unavailable', exitCode: 3});
	});
});
