import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {claimPort} from '../../source/core/port-claims.js';

const directories: string[] = [];
function directory(): string {
	const made = mkdtempSync(path.join(tmpdir(), 'dbarena-claims-test-'));
	directories.push(made);
	return made;
}
afterEach(() => {
	for (const made of directories.splice(0)) rmSync(made, {recursive: true, force: true});
});

/** The pid of a process that has exited: what a crashed dbarena leaves in its claim. */
function deadPid(): number {
	return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'}).stdout);
}

describe('port claims between dbarena processes', () => {
	it('one claim per address and port until it is released', () => {
		const dir = directory();
		const release = claimPort(5432, '127.0.0.1', dir);
		expect(release).toBeTypeOf('function');
		expect(claimPort(5432, '127.0.0.1', dir)).toBeUndefined();
		// Another port, or the same port on another address, is another claim.
		expect(claimPort(5433, '127.0.0.1', dir)).toBeTypeOf('function');
		expect(claimPort(5432, '0.0.0.0', dir)).toBeTypeOf('function');
		release!();
		expect(claimPort(5432, '127.0.0.1', dir)).toBeTypeOf('function');
	});

	it('takes over the claim of a process that is gone', () => {
		const dir = directory();
		writeFileSync(path.join(dir, '127.0.0.1-3306'), String(deadPid()));
		expect(claimPort(3306, '127.0.0.1', dir)).toBeTypeOf('function');
	});

	it('takes over a claim older than any start, whoever holds the pid now', () => {
		const dir = directory();
		const file = path.join(dir, '127.0.0.1-3306');
		writeFileSync(file, String(process.pid));
		const past = new Date(Date.now() - 10 * 60_000);
		utimesSync(file, past, past);
		expect(claimPort(3306, '127.0.0.1', dir)).toBeTypeOf('function');
	});

	it('an address with characters a file name cannot hold (IPv6) still gets its own claim', () => {
		const dir = directory();
		expect(claimPort(5432, '::1', dir)).toBeTypeOf('function');
		expect(claimPort(5432, '::1', dir)).toBeUndefined();
	});

	it('claims nothing, and lets the create go on, where no claim can be written', () => {
		const file = path.join(directory(), 'not-a-directory');
		writeFileSync(file, '');
		expect(claimPort(5432, '127.0.0.1', file)).toBeTypeOf('function');
	});
});
