import {readFile, writeFile} from 'node:fs/promises';
import pg from 'pg';
import {describe, expect, it} from 'vitest';
import type {CreateOptions} from '../../source/core/lifecycle.js';
import {testArena} from '../helpers/arena.js';
import {createFrom} from '../helpers/create-from.js';
import {docker, pgQuery, waitFor, type Login} from '../helpers/docker.js';

/**
 * The README's "What each mode survives" table, one row of modes at a time: every cell below is
 * an assertion here (the engine-restart row is in test/isolated/engine-restart.test.ts, which
 * stops the engine). PostgreSQL 16, checked from the host with the printed credentials.
 */
const {manager, name} = testArena('fault');

const modes: Array<[string, Partial<CreateOptions>]> = [
	['fast', {}],
	['fast --cdc', {cdc: true}],
	['persistent', {mode: 'persistent'}],
	['durable', {mode: 'durable'}],
];

const notes = async (login: Login) => (await pgQuery<{note: string}>(login, 'SELECT note FROM kept ORDER BY id')).map(row => row.note);

/**
 * Make the server process the kernel's first choice when the container runs out of memory, then
 * run out of memory: the engine records OOMKilled, as after a real out-of-memory kill. Without
 * the score a backend would be killed instead and the postmaster would recover on its own.
 */
async function oomKill(db: string, login: Login): Promise<void> {
	// The backend that will ask for the memory is forked first: a child inherits its parent's
	// score, and a backend forked after the write would be the kernel's choice instead.
	const client = new pg.Client({...login, connectionTimeoutMillis: 3000});
	client.on('error', () => {});
	await client.connect();
	try {
		const pid = (await docker.getContainer(db).inspect()).State.Pid;
		await writeFile(`/proc/${pid}/oom_score_adj`, '1000');
		expect((await readFile(`/proc/${pid}/oom_score_adj`, 'utf8')).trim()).toBe('1000');
		// 400 MB in one backend, over the 256 MiB limit every case here runs with.
		await client.query("SELECT length(repeat('x', 400 * 1024 * 1024))").catch(() => undefined);
	} finally {
		await client.end().catch(() => undefined);
	}
	await waitFor('the engine to record the kill', async () => !(await docker.getContainer(db).inspect()).State.Running, 30_000, 100);
}

describe.each(modes)('%s', (label, options) => {
	it('keeps its data across a kill right after a commit, stop/start, restart and an out-of-memory kill; destroy does what the mode says', async () => {
		const db = name(label.replace(/\W+/g, '-'));
		let login: Login = (await createFrom(manager, {database: 'postgres', version: '16', name: db, memory: '256m', ...options})).connection;
		await pgQuery(login, 'CREATE TABLE kept (id serial PRIMARY KEY, note text)');
		await pgQuery(login, "INSERT INTO kept (note) VALUES ('committed')");
		await pgQuery(login, 'CHECKPOINT');

		// Killed right after a commit returned.
		await pgQuery(login, "INSERT INTO kept (note) VALUES ('just before the kill')");
		await docker.getContainer(db).kill();
		login = (await manager.start(db)).container.connection!;
		const afterKill = await notes(login);
		if (label === 'fast') {
			// Asynchronous commits: the last moment's commit may be lost, nothing before it.
			expect(afterKill[0]).toBe('committed');
		} else {
			expect(afterKill).toEqual(['committed', 'just before the kill']);
		}
		const kept = afterKill;

		login = (await manager.restart(db)).container.connection!;
		expect(await notes(login)).toEqual(kept);
		await manager.stop(db);
		login = (await manager.start(db)).container.connection!;
		expect(await notes(login)).toEqual(kept);

		await oomKill(db, login);
		const killed = await manager.inspect(db);
		expect(killed.oomKilled).toBe(true);
		login = (await manager.start(db)).container.connection!;
		expect(await notes(login)).toEqual(kept);

		const destroyed = await manager.destroy(db);
		const volume = killed.volume;
		if (options.mode === undefined) {
			expect(volume).toBeUndefined();
		} else {
			expect(destroyed.volumeKept).toBe(volume);
			const again = await createFrom(manager, {database: 'postgres', version: '16', name: db, memory: '256m', ...options});
			expect(again.volumeReused).toBe(true);
			expect(await notes(again.connection)).toEqual(kept);
		}
	});
});
