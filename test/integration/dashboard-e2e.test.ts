import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {loginFromUrl, pgQuery, registry, removeContainers, removeVolumes, run} from '../helpers/docker.js';
import {startTerminal, type TmuxTerminal} from '../helpers/tmux.js';
import {buildCli, cliPath, root} from './cli-helpers.js';

// The real `dbarena` (the built CLI) with no command, in a 120x40 terminal, used the way a person
// would: create a PostgreSQL 16 from the form (with an init file), wait for its row to say healthy, read the URL off
// the screen, connect to it from here, destroy it with d and y, quit with q.

const run6 = Math.random().toString(16).slice(2, 8);
const name = `t-e2e-${run6}`;
const seedFolder = mkdtempSync(path.join(tmpdir(), 'dbarena-e2e-seed-'));
const seed = path.join(seedFolder, 'schema.sql');
writeFileSync(seed, 'CREATE TABLE seeded (n int);\nINSERT INTO seeded VALUES (42);\n');
let terminal: TmuxTerminal | undefined;

beforeAll(async () => {
	await buildCli();
	terminal = await startTerminal({
		name: `dbarena-e2e-${process.pid}-${run6}`,
		cwd: root,
		columns: 120,
		rows: 40,
		env: {DBARENA_REGISTRY: registry, TERM: 'xterm-256color'},
		// The exit code is printed after the dashboard leaves the alternate screen, and stays on
		// the screen until the session is killed.
		command: `${process.execPath} ${cliPath}; echo "dbarena exited with $?"; sleep 600`,
	});
});

afterAll(async () => {
	await terminal?.close();
	await removeContainers([name]);
	await removeVolumes([`${name}-data`]);
	rmSync(seedFolder, {recursive: true, force: true});
});

const rowOf = (screen: string[]) => screen.find(line => line.includes(` ${name} `));

it('creates, shows healthy, gives a working URL, destroys and quits', {timeout: 180_000}, async () => {
	const term = terminal!;
	await term.waitFor('the dashboard to connect', screen => screen.some(line => line.startsWith('● connected')));
	const screen = await term.screen();
	expect(screen[0]).toMatch(/^dbarena +all containers$/);
	expect(screen.at(-2)).toMatch(/^↑↓ select {2}enter details {2}c create/);

	// c: the form. Version 18 is the default; two steps left is 16. Then a name we can clean up.
	await term.send(['c']);
	await term.waitFor('the create form', lines => lines.some(line => line.includes('Create a database')));
	await term.send(['Down', 'Left', 'Left']);
	await term.waitFor('version 16', lines => lines.some(line => line.includes('‹ 16 ›')));
	await term.send(['Down', 'Down']);
	await term.waitFor('the name field', lines => lines.some(line => line.includes('› Name')));
	await term.send([name], {literal: true});
	// Only a container with this name is cleaned up afterwards, so make sure the form has it.
	await term.waitFor('the typed name', lines => lines.some(line => line.includes(`${name}▏`)));
	// Init: a path that is not there is refused in the form, which stays open; then the real one.
	await term.send(['Down', 'Down', 'Down']);
	await term.waitFor('the init field', lines => lines.some(line => line.includes('› Init')));
	await term.send([`${seed}.missing`], {literal: true});
	await term.send(['Enter']);
	await term.waitFor('the refusal', lines => lines.some(line => line.includes('does not exist.')) && lines.some(line => line.includes('Create a database')));
	await term.send(Array.from({length: '.missing'.length}, () => 'BSpace'));
	await term.waitFor('the real path', lines => lines.some(line => line.includes('schema.sql▏')));
	await term.send(['Enter']);

	// The UI stays live while it is created; the row ends up healthy.
	const row = await term.waitFor('the new row to be healthy', lines => rowOf(lines)?.includes('● healthy') && rowOf(lines), 90_000);
	expect(row).toMatch(new RegExp(`${name}(?: ·(?:tpl|snap))? +postgres +16 +● healthy +\\d+ +\\d+s`));

	// u: the URL in the status line.
	await term.send(['u']);
	const url = await term.waitFor('the URL', lines => lines.map(line => /^(postgresql:\/\/\S+)$/.exec(line)?.[1]).find(Boolean));
	const parsed = new URL(url);
	expect(parsed.hostname).toBe('127.0.0.1');
	const rows = await pgQuery<{db: string; version: string; seeded: number}>(
		loginFromUrl(url),
		"SELECT current_database() AS db, current_setting('server_version_num') AS version, (SELECT n FROM seeded) AS seeded",
	);
	expect(rows[0]?.db).toBe('testdb');
	expect(rows[0]?.version).toMatch(/^16/);
	// The init file ran at the first start, before the row said healthy.
	expect(rows[0]?.seeded).toBe(42);

	// d, then y: gone from the screen and from the engine.
	await term.send(['d']);
	await term.waitFor('the confirmation', lines => lines.some(line => line.includes(`Destroy ${name}?`)));
	await term.send(['y']);
	await term.waitFor('the destroy to finish', lines => lines.some(line => line === `Destroyed ${name}`) && !rowOf(lines), 30_000);
	const inspect = await run('docker', ['inspect', name]).catch((error: {code?: number}) => error);
	expect((inspect as {code?: number}).code).toBe(1);

	// q: back to the normal screen, exit code 0.
	await term.send(['q']);
	const after = await term.waitFor('dbarena to exit', lines => lines.some(line => line === 'dbarena exited with 0') && lines);
	expect(after.some(line => line.includes('Create a database') || line.startsWith('● connected'))).toBe(false);
});
