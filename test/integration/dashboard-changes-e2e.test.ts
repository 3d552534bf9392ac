import {afterAll, beforeAll, expect, it} from 'vitest';
import {pgQuery, registry, removeContainers} from '../helpers/docker.js';
import {startTerminal, type TmuxTerminal} from '../helpers/tmux.js';
import {buildCli, cli, cliPath, json, root} from './cli-helpers.js';

// The real `dbarena` dashboard in tmux with a --cdc PostgreSQL: C shows the Changes pane, a row
// inserted from this machine appears in it, and after q the server has no slot of dbarena's left
// (the pane's stream is a temporary slot of its own).

const run6 = Math.random().toString(16).slice(2, 8);
const name = `pane-cdc-${run6}`;
let terminal: TmuxTerminal | undefined;
let admin: {host: string; port: number; user: string; password: string; database: string};

beforeAll(async () => {
	await buildCli();
	const created = await cli(['create', 'postgres', '--version', '16', '--name', name, '--cdc', '--json'], {env: {DBARENA_REGISTRY: registry}});
	expect(created.code, created.stderr).toBe(0);
	type Login = {host: string; port: number; user: string; password: string; database: string};
	const {connection} = json<{containers: Array<{connection: Login}>}>(created).containers[0]!;
	admin = {host: connection.host, port: connection.port, user: connection.user, password: connection.password, database: connection.database};
	await pgQuery(admin, 'CREATE TABLE pane_orders (id integer PRIMARY KEY, item text)');
	terminal = await startTerminal({
		name: `dbarena-changes-${process.pid}-${run6}`,
		cwd: root,
		columns: 140,
		rows: 40,
		env: {DBARENA_REGISTRY: registry, TERM: 'xterm-256color'},
		command: `${process.execPath} ${cliPath}; echo "dbarena exited with $?"; sleep 600`,
	});
}, 180_000);

afterAll(async () => {
	await terminal?.close();
	await removeContainers([name]);
});

it('C shows the change stream of the selected --cdc database; a row inserted from here appears; q leaves no slot', {timeout: 120_000}, async () => {
	const term = terminal!;
	await term.waitFor('the dashboard to connect', screen => screen.some(line => line.startsWith('● connected')));
	// Other containers may share the engine: the filter leaves only ours, selected.
	await term.send(['/']);
	await term.waitFor('the filter prompt', screen => screen.some(line => line.includes('enter keeps the filter')));
	await term.send([name], {literal: true});
	await term.waitFor('the filter to leave one row', screen => screen.some(line => line.startsWith(`/ ${name}`) && line.includes(' 1 of ')));
	await term.send(['Enter']);
	// Each key after the prompt has closed, as a person would see it close (keys typed ahead are
	// the table's too: test/ui/App.test.tsx).
	await term.waitFor('the filter prompt to close', lines => !lines.some(line => line.includes('enter keeps the filter')));
	await term.waitFor('our row, healthy', screen => screen.some(line => line.includes(`› ${name}`) && line.includes('● healthy')), 60_000);

	await term.send(['C']);
	await term.waitFor('the stream to open', screen => screen.some(line => line.includes('waiting for changes')), 30_000);
	await pgQuery(admin, "INSERT INTO pane_orders VALUES (42, 'tea')");
	const line = await term.waitFor('the insert in the pane', screen => screen.find(text => /insert +public\.pane_orders +id=42 item='tea'/.test(text)), 10_000);
	expect(line).toMatch(/\d\d:\d\d:\d\d\.\d{3} insert +public\.pane_orders/);
	await term.waitFor('its count', screen => screen.some(text => /public\.pane_orders +insert 1 +update 0 +delete 0/.test(text)));
	await term.waitFor('the lag', screen => screen.some(text => /lag -?\d+ ms \(median -?\d+ ms\) · 1 change/.test(text)));

	await term.send(['q']);
	await term.waitFor('dbarena to exit', screen => screen.some(text => text === 'dbarena exited with 0'));
	expect(await pgQuery(admin, 'SELECT slot_name FROM pg_replication_slots')).toEqual([]);
});
