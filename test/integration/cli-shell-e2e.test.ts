import {randomBytes} from 'node:crypto';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {registry, removeContainers} from '../helpers/docker.js';
import {startTerminal, type TmuxTerminal} from '../helpers/tmux.js';
import {buildCli, cli, cliPath, root} from './cli-helpers.js';

// `dbarena shell NAME` typed at a real terminal (tmux), on MariaDB: the mariadb client gets a TTY
// of the terminal's size, answers a query, sees the new size when the window is resized while it
// runs, and dbarena exits with the client's exit code. (PostgreSQL's psql is covered through the
// dashboard's e in dashboard-shell-e2e.)

const token = randomBytes(3).toString('hex');
const name = `shell-e2e-maria-${token}`;
let terminal: TmuxTerminal | undefined;

beforeAll(async () => {
	await buildCli();
	const created = await cli(['create', 'mariadb', '--version', '10.11', '--name', name], {timeoutMs: 170_000});
	expect(created.code, created.stderr).toBe(0);
	terminal = await startTerminal({
		name: `dbarena-shell-${process.pid}-${token}`,
		cwd: root,
		columns: 100,
		rows: 30,
		env: {DBARENA_REGISTRY: registry, TERM: 'xterm-256color'},
		// Twice: a client that quits, then one that is killed.
		command: [1, 2].map(run => `${process.execPath} ${cliPath} shell ${name}; echo "dbarena exited with $? (${run})"`).join('; ') + '; sleep 600',
	});
}, 200_000);

afterAll(async () => {
	await terminal?.close();
	await removeContainers([name]);
});

const prompt = 'MariaDB [testdb]>';

it('opens the mariadb client with a real TTY that follows a resize, and exits with its exit code', {timeout: 120_000}, async () => {
	const term = terminal!;
	await term.waitFor('the mariadb prompt', lines => lines.some(line => line.startsWith(prompt)), 30_000);

	// \g, not a semicolon: tmux takes an argument's final ';' as the end of its own command.
	await term.send(["SELECT CONCAT('from mariadb ', 6 * 7) AS answer \\g"], {literal: true});
	await term.send(['Enter']);
	await term.waitFor('the answer', lines => lines.some(line => /^\| from mariadb 42 +\|$/.test(line)));

	// The client's own terminal, asked from inside it: the size at the start…
	await term.send(['system stty size'], {literal: true});
	await term.send(['Enter']);
	await term.waitFor('the size at the start', lines => lines.includes('30 100'));

	// …and after the window changes while it runs.
	await term.command('resize-window', '-t', 'main', '-x', '132', '-y', '43');
	await term.waitFor('the window resized', lines => lines.length === 43);
	await term.send(['system stty size'], {literal: true});
	await term.send(['Enter']);
	await term.waitFor('the new size, seen by the client', lines => lines.includes('43 132'));

	await term.send(['quit'], {literal: true});
	await term.send(['Enter']);
	await term.waitFor('dbarena to exit with the client’s code', lines => lines.some(line => line === 'dbarena exited with 0 (1)'));

	// A client that does not end well: killed, as the engine reports it (128 + SIGKILL), not 0.
	const secondPrompt = (lines: string[]) => {
		const exited = lines.indexOf('dbarena exited with 0 (1)');
		return exited >= 0 && lines.slice(exited).some(line => line.startsWith(prompt));
	};
	await term.waitFor('the second client', secondPrompt, 30_000);
	await term.send(['system kill -KILL $PPID'], {literal: true});
	await term.send(['Enter']);
	await term.waitFor('dbarena to exit with the killed client’s code', lines => lines.some(line => line === 'dbarena exited with 137 (2)'));
});
