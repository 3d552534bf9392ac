import {spawn} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildCli, cli, cliPath, inspect, removeAll, root, uniqueName} from './cli-helpers.js';

// On a terminal: spinners (Ink), colour unless NO_COLOR, y/N prompts, Ctrl-C from the keyboard,
// tables cut to the width. `script` gives the command a real pseudo-terminal.

const containers: string[] = [];

beforeAll(async () => {
	await buildCli();
});

afterAll(async () => {
	await removeAll(containers);
});

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

type Tty = {
	output(): string;
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
	type(text: string): void;
	done: Promise<{code: number | null; output: string}>;
};

function startTty(args: string[], options: {cols?: number; env?: Record<string, string>} = {}): Tty {
	const command = `stty cols ${options.cols ?? 100} rows 40; exec ${quote(process.execPath)} ${quote(cliPath)} ${args.map(arg => quote(arg)).join(' ')}`;
	const env: NodeJS.ProcessEnv = {...process.env, TERM: 'xterm-256color', ...options.env};
	if (!options.env?.['NO_COLOR']) delete env['NO_COLOR'];
	delete env['FORCE_COLOR'];
	delete env['CI'];
	const child = spawn('script', ['-qec', command, '/dev/null'], {cwd: root, env, stdio: ['pipe', 'pipe', 'pipe']});
	let output = '';
	const waiters = new Set<() => void>();
	const collect = (chunk: Buffer) => {
		output += chunk.toString();
		for (const waiter of waiters) waiter();
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const done = new Promise<{code: number | null; output: string}>(resolve => {
		child.on('close', code => {
			resolve({code, output});
		});
	});
	return {
		output: () => output,
		async waitFor(pattern, timeoutMs = 30_000) {
			await new Promise<void>((resolve, reject) => {
				const check = () => {
					if (!pattern.test(output)) return;
					waiters.delete(check);
					clearTimeout(limit);
					resolve();
				};
				const limit = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`No ${String(pattern)} on the terminal within ${timeoutMs} ms:\n${output}`));
				}, timeoutMs);
				waiters.add(check);
				check();
			});
		},
		type(text) {
			child.stdin.write(text);
		},
		done,
	};
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these patterns match terminal control sequences on purpose
const plain = (text: string) => text.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '').replaceAll('\r', '');

describe('on a terminal', () => {
	it('create shows Ink spinners, colours the marks, and ends on the last step, the ready line and Connection Info', async () => {
		const db = uniqueName('tty-create');
		containers.push(db);
		const {code, output} = await startTty(['create', 'postgres', '--version', '16', '--name', db]).done;
		expect(code, output).toBe(0);
		expect(output).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (Checking the image|Creating container|Starting database|Waiting for healthy)/);
		expect(output).toContain('\u001B[32m✓\u001B[39m Creating container');
		const text = plain(output);
		expect(text).toMatch(/✓ Waiting for healthy\.\.\. \(\d+\.\ds\)\nPostgreSQL ready in \d+\.\ds\n\nConnection Info:\n {2}Host: 127\.0\.0\.1:\d+\n/);
		// The cursor Ink hid is shown again.
		expect(output.lastIndexOf('\u001B[?25h')).toBeGreaterThan(output.lastIndexOf('\u001B[?25l'));
	});

	it('NO_COLOR turns colour off', async () => {
		const {code, output} = await startTty(['destroy', 'no-such-container-here', '--yes'], {env: {NO_COLOR: '1'}}).done;
		expect(code).toBe(2);
		expect(output).not.toContain('\u001B[3');
		const listed = await startTty(['images', 'list'], {env: {NO_COLOR: '1'}}).done;
		expect(listed.output).not.toContain('\u001B[3');
	});

	it('list cuts long names in the middle to fit a narrow terminal', async () => {
		const db = uniqueName('tty-a-rather-long-container-name');
		containers.push(db);
		expect((await cli(['create', 'postgres', '--version', '16', '--name', db])).code).toBe(0);
		const {code, output} = await startTty(['list'], {cols: 60}).done;
		expect(code).toBe(0);
		const lines = plain(output).split('\n').filter(Boolean);
		for (const line of lines) expect(line.length, lines.join('\n')).toBeLessThanOrEqual(60);
		// Cut in the middle: the start and the unique end of the name stay visible. How much of the
		// start is left depends on the other files' containers in the same list (a long STATUS
		// narrows NAME), so only "cli-" is certain.
		expect(
			lines.some(line => new RegExp(`^cli-\\S*…\\S*${db.slice(-4)} +postgres +16 +healthy`).test(line)),
			lines.join('\n'),
		).toBe(true);

		// Piped, the same listing keeps whole names.
		expect((await cli(['list'])).stdout).toContain(db);
	});

	it('destroy asks y/N: "n" keeps the container (exit 1), "y" destroys it', async () => {
		const db = uniqueName('tty-destroy');
		containers.push(db);
		expect((await cli(['create', 'postgres', '--version', '16', '--name', db])).code).toBe(0);

		const no = startTty(['destroy', db]);
		await no.waitFor(/\[y\/N\]/);
		no.type('n\r');
		const kept = await no.done;
		expect(kept.code, kept.output).toBe(1);
		expect(plain(kept.output)).toContain('Error: Not confirmed; nothing was changed.');
		expect(await inspect(db)).toBeDefined();

		const yes = startTty(['destroy', db]);
		await yes.waitFor(/\[y\/N\]/);
		yes.type('y\r');
		const destroyed = await yes.done;
		expect(destroyed.code, destroyed.output).toBe(0);
		expect(plain(destroyed.output)).toMatch(new RegExp(`Destroy ${db}\\? \\[y/N\\] y\\n✓ Container ${db} destroyed`));
		expect(await inspect(db)).toBeUndefined();
	});

	it('destroy --all asks about every container; "n" removes none', async () => {
		// The real `destroy --all --yes` would remove other suites' containers on this shared
		// engine, so only the question and the refusal are exercised here.
		const db = uniqueName('tty-all');
		containers.push(db);
		expect((await cli(['create', 'postgres', '--version', '16', '--name', db])).code).toBe(0);
		const tty = startTty(['destroy', '--all']);
		await tty.waitFor(/\[y\/N\]/);
		expect(plain(tty.output())).toMatch(new RegExp(`Destroy \\d+ containers \\(.*${db}.*\\)\\? \\[y/N\\]`));
		tty.type('n\r');
		const {code} = await tty.done;
		expect(code).toBe(1);
		expect(await inspect(db)).toBeDefined();
	});

	it('Ctrl-C typed during a create stops it, removes the container and exits 130', async () => {
		const db = uniqueName('tty-ctrl-c');
		containers.push(db);
		const tty = startTty(['create', 'postgres', '--version', '16', '--name', db, '--env', 'FIXTURE_INIT_HOLD_SECONDS=10']);
		await tty.waitFor(/Waiting for healthy/);
		tty.type('\u0003');
		const {code, output} = await tty.done;
		expect(code, output).toBe(130);
		expect(plain(output)).toContain(`⚠ Removing ${db} (interrupted)`);
		expect(await inspect(db)).toBeUndefined();
		expect(output.lastIndexOf('\u001B[?25h')).toBeGreaterThan(output.lastIndexOf('\u001B[?25l'));
	});
	it('load shows a live line of the writes and the rate, and Ctrl-C typed on it ends with the summary, exit 0', async () => {
		const db = uniqueName('tty-load');
		containers.push(db);
		expect((await cli(['create', 'postgres', '--name', db])).code).toBe(0);
		const tty = startTty(['load', db, '--rate', '50']);
		// Redrawn in place: the count goes up on one line.
		// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal control sequences, on purpose
		await tty.waitFor(/\r\u001B\[2K\d+ writes in \d+\.\d s · [\d.]+\/s \(target 50\/s\)/);
		// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal control sequences, on purpose
		await tty.waitFor(/\r\u001B\[2K[1-9]\d{2,} writes in/);
		tty.type('\u0003');
		const {code, output} = await tty.done;
		expect(code, output).toBe(0);
		expect(plain(output)).toMatch(/Writing to \S+ at 50\/s; Ctrl-C stops it\.\n/);
		// The live line is cleared before the summary takes its place.
		// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal control sequences, on purpose
		expect(output.replaceAll('\r\n', '\n')).toMatch(/\r\u001B\[2KLoad stopped after \d+\.\d s on dbarena_load_1\n {2}writes: {3}\d+ \(/);
	});
});
