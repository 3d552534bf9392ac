import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {loginFromUrl, pgQuery, registry, removeContainers} from '../helpers/docker.js';
import {startTerminal, type TmuxTerminal} from '../helpers/tmux.js';
import {buildCli, cli, cliPath, json, root} from './cli-helpers.js';

// The real dashboard in a real terminal (tmux, 120x40): e opens psql on the selected database in
// the terminal itself, \q gives the dashboard back, still live (a container created meanwhile is
// there); y sends OSC 52 with the base64 of the URL, read from the pane's raw output, and puts the
// URL in tmux's buffer under tmux's defaults, which drop OSC 52; the URL is
// on a line of its own, whole, and logs in.

const token = randomBytes(3).toString('hex');
const name = `dataout-e2e-${token}`;
const other = `${name}-b`;
const dir = mkdtempSync(path.join(tmpdir(), 'dbarena-dataout-e2e-'));
const raw = path.join(dir, 'pane.raw');
let terminal: TmuxTerminal | undefined;
let url = '';

beforeAll(async () => {
	await buildCli();
	const created = await cli(['create', 'postgres', '--version', '16', '--name', name, '--json'], {timeoutMs: 170_000});
	expect(created.code, created.stderr).toBe(0);
	url = json<{containers: Array<{connection: {url: string}}>}>(created).containers[0]!.connection.url;
	terminal = await startTerminal({
		name: `dbarena-dataout-${process.pid}-${token}`,
		cwd: root,
		columns: 120,
		rows: 40,
		env: {DBARENA_REGISTRY: registry, TERM: 'xterm-256color'},
		command: `${process.execPath} ${cliPath}; echo "dbarena exited with $?"; sleep 600`,
	});
	// Every byte the programs in the pane write, escape sequences included, before tmux reads them.
	await terminal.command('pipe-pane', '-o', '-t', 'main', `cat >> ${raw}`);
}, 200_000);

afterAll(async () => {
	await terminal?.close();
	await removeContainers([name, other]);
	rmSync(dir, {recursive: true, force: true});
});

const rowOf = (screen: string[], container: string) => screen.find(line => new RegExp(`[│›] +${container}(?: ·tpl)? `).test(line));
const alternateScreen = async (term: TmuxTerminal) => (await term.command('display-message', '-p', '-t', 'main', '#{alternate_on}')).trim();

it('e opens psql in the terminal, \\q returns to the live dashboard; y copies the URL with OSC 52', {timeout: 240_000}, async () => {
	const term = terminal!;
	await term.waitFor('the dashboard to connect', screen => screen.some(line => line.startsWith('● connected')));
	// Other suites' containers share the engine: filter down to this test's ones, then select.
	// Each step waits for its frame: keys typed before the prompt listens are not the prompt's.
	await term.send(['/']);
	await term.waitFor('the filter prompt', lines => lines.some(line => /^\/ .* · enter keeps the filter/.test(line)));
	await term.send([name], {literal: true});
	await term.waitFor('the typed filter', lines => lines.some(line => line.startsWith(`/ ${name}`)));
	await term.send(['Enter']);
	await term.waitFor('the filter kept', lines => lines.some(line => line.includes(`filter "${name}"`)));
	await term.send(['j']);
	const selectedAndHealthy = (screen: string[]) => /^│› .*● healthy/.test(rowOf(screen, name) ?? '');
	await term.waitFor('our row, selected and healthy', selectedAndHealthy, 60_000);

	// The URL whole on a line of its own under the details, outside every border, at 120x40 and at
	// 80x24: what a mouse selects there is a working URL (it logs in, below).
	const urlOnScreen = async (columns: number) => {
		const screen = await term.waitFor(`the URL line at ${columns} columns`, lines => lines[0]!.length === columns && lines);
		expect(screen.filter(line => line.includes('postgresql://'))).toEqual([`  URL       ${url}  y copies it`]);
		const row = screen.findIndex(line => line.includes('postgresql://'));
		expect(screen[row - 1]).toMatch(/^╰─+╯╰─+╯$/);
		expect(screen[row + 1]).toMatch(/^● connected/);
		return /postgresql:\/\/\S+/.exec(screen[row]!)![0];
	};
	const shown = await urlOnScreen(120);
	await term.command('resize-window', '-t', 'main', '-x', '80', '-y', '24');
	expect(await urlOnScreen(80)).toBe(shown);
	await term.command('resize-window', '-t', 'main', '-x', '120', '-y', '40');
	await urlOnScreen(120);

	// e: Ink steps aside, the alternate screen is left, psql has the terminal.
	expect(await alternateScreen(term)).toBe('1');
	await term.send(['e']);
	await term.waitFor('the psql prompt', lines => lines.some(line => line.startsWith('testdb=#')));
	expect(await alternateScreen(term)).toBe('0');
	const shell = await term.screen();
	expect(shell.some(line => line.startsWith(`dbarena: a shell on ${name}; quit it`))).toBe(true);
	expect(shell.some(line => line.startsWith('● connected'))).toBe(false);
	// A real TTY: psql reads the line as typed, and knows the terminal's size.
	await term.send(["SELECT 'from psql ' || 6 * 7 AS answer \\g"], {literal: true});
	await term.send(['Enter']);
	await term.waitFor('the answer', lines => lines.some(line => line.trim() === 'from psql 42'));
	await term.send(['\\! stty size'], {literal: true});
	await term.send(['Enter']);
	await term.waitFor('the size of the terminal', lines => lines.some(line => line.trim() === '40 120'));

	// While psql has the terminal the store keeps following the engine.
	const created = await cli(['create', 'postgres', '--version', '16', '--name', other], {timeoutMs: 170_000});
	expect(created.code, created.stderr).toBe(0);
	await term.send(['\\q'], {literal: true});
	await term.send(['Enter']);
	const back = await term.waitFor(
		'the dashboard again, with the container created meanwhile',
		lines => lines.some(line => line === `Back from the shell on ${name} (exit code 0)`) && rowOf(lines, other) !== undefined && lines,
		30_000,
	);
	expect(back.some(line => line.startsWith('● connected'))).toBe(true);
	expect(await alternateScreen(term)).toBe('1');
	// Keys work again, and the selection is where it was.
	await term.send(['u']);
	await term.waitFor('the URL in the status line', lines => lines.includes(url));

	// y with tmux's defaults (set-clipboard external): tmux drops an application's OSC 52, so the URL
	// goes in with tmux load-buffer -w, into this tmux server's buffer (and an attached terminal's
	// clipboard). The raw sequence still goes out.
	expect(await term.command('list-buffers')).toBe('');
	await term.send(['y']);
	await term.waitFor('the copy through tmux load-buffer', lines =>
		lines.some(line => line.startsWith("Copied the URL (tmux load-buffer -w: tmux's buffer and the terminal's clipboard): ")),
	);
	expect(await term.command('show-buffer')).toBe(url);
	const sequence = `\u001B]52;c;${Buffer.from(url).toString('base64')}\u0007`;
	expect(readFileSync(raw, 'latin1')).toContain(sequence);

	// With set-clipboard on: tmux takes the sequence itself, and the status line says so.
	await term.command('delete-buffer');
	await term.command('set-option', '-g', 'set-clipboard', 'on');
	await term.send(['y']);
	await term.waitFor('the copy', lines => lines.some(line => line.startsWith(`Copied the URL (OSC 52 through tmux): ${url}`)));
	expect(await term.command('show-buffer')).toBe(url);

	// And the URL the screen showed works as it is.
	const rows = await pgQuery<{one: number}>(loginFromUrl(shown), 'SELECT 1 AS one');
	expect(rows).toEqual([{one: 1}]);

	await term.send(['q']);
	await term.waitFor('dbarena to exit', lines => lines.some(line => line === 'dbarena exited with 0'));
});
