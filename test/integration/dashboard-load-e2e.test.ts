import {afterAll, beforeAll, expect, it} from 'vitest';
import {createFrom} from '../helpers/create-from.js';
import {testArena} from '../helpers/arena.js';
import {docker, pgQuery, registry} from '../helpers/docker.js';
import {startTerminal, type TmuxTerminal} from '../helpers/tmux.js';
import {buildCli, cliPath, root} from './cli-helpers.js';

// The dashboard's w on a real PostgreSQL, in tmux as a person would use it: the load starts and
// shows its rate in the status line, its rows reach the database, w stops it with its summary, and
// stopping the container (s) ends a load that runs on it.

const {manager, name} = testArena('dash-load');
let terminal: TmuxTerminal | undefined;

beforeAll(async () => {
	await buildCli();
}, 180_000);

afterAll(async () => {
	await terminal?.close();
});

it('w starts a load on the selected database, shows its rate, and stops it; s stops the container and its load', {timeout: 180_000}, async () => {
	const created = await createFrom(manager, {database: 'postgres', version: '18', name: name('pg')});
	const db = created.container.name;
	terminal = await startTerminal({
		name: `dbarena-load-e2e-${process.pid}`,
		cwd: root,
		columns: 160,
		rows: 40,
		env: {DBARENA_REGISTRY: registry, TERM: 'xterm-256color'},
		command: `${process.execPath} ${cliPath}; echo "dbarena exited with $?"; sleep 600`,
	});
	const term = terminal;
	await term.waitFor('the dashboard to connect', screen => screen.some(line => line.startsWith('● connected')));
	// It names the engine it reached, as the engine itself says it is.
	const {Version} = await docker.version();
	await term.waitFor('the engine named', screen =>
		screen.some(line => line.startsWith(`● connected Docker Engine ${Version} at unix:///var/run/docker.sock · `)),
	);
	// Other tests' containers share the engine: the filter leaves only ours.
	await term.send(['/']);
	await term.waitFor('the filter prompt', lines => lines.some(line => line.includes('enter keeps the filter')));
	await term.send([db], {literal: true});
	await term.waitFor('the typed filter', lines => lines.some(line => line.startsWith(`/ ${db}`)));
	await term.send(['Enter']);
	// Each key after the prompt has closed, as a person would see it close (keys typed ahead are
	// the table's too: test/ui/App.test.tsx).
	await term.waitFor('the filter prompt to close', lines => !lines.some(line => line.includes('enter keeps the filter')));
	await term.waitFor('our row, selected and healthy', lines => lines.some(line => line.includes(`› ${db}`) && line.includes('● healthy')), 60_000);

	await term.send(['w']);
	const status = await term.waitFor(
		'the load in the status line',
		lines => lines.find(line => new RegExp(`· load ${db} [\\d.]+/s \\([1-9]\\d* writes\\)`).test(line)),
		30_000,
	);
	expect(status).toMatch(/^● connected /);
	const [count] = await pgQuery<{n: string}>(created.connection, 'SELECT count(*) AS n FROM dbarena_load_1');
	expect(Number(count!.n)).toBeGreaterThan(0);

	await term.send(['w']);
	const summary = await term.waitFor('the summary', lines => lines.find(line => line.startsWith(`Load on ${db} stopped: `)), 30_000);
	expect(summary).toMatch(new RegExp(`^Load on ${db} stopped: \\d+ writes in \\d+\\.\\d s, [\\d.]+/s, commit p50 [\\d.]+ ms p99 [\\d.]+ ms$`));
	expect((await term.screen()).some(line => line.includes(`· load ${db}`))).toBe(false);

	// A load, then s: the load ends first, and the container stops.
	await term.send(['w']);
	await term.waitFor('the second load', lines => lines.some(line => line.includes(`· load ${db}`)), 30_000);
	await term.send(['s']);
	await term.waitFor(
		'the container stopped, the load gone',
		lines => lines.some(line => line === `Stopped ${db}`) && !lines.some(line => line.includes(`· load ${db}`)),
		60_000,
	);
	expect((await manager.inspect(db)).state).toBe('exited');

	await term.send(['q']);
	await term.waitFor('dbarena to exit', lines => lines.some(line => line === 'dbarena exited with 0'));
});
