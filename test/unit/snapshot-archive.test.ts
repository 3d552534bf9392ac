import {Readable} from 'node:stream';
import tarStream from 'tar-stream';
import {describe, expect, it} from 'vitest';
import {reroot} from '../../source/core/docker/archive.js';
import {tmpfsHolding} from '../../source/core/snapshots.js';

type Entry = {name: string; type?: 'file' | 'directory' | 'link' | 'symlink'; mode?: number; uid?: number; gid?: number; linkname?: string; body?: string};

function archive(entries: Entry[]): Readable {
	const pack = tarStream.pack();
	for (const {body = '', ...header} of entries) pack.entry(header, body);
	pack.finalize();
	return Readable.from(pack);
}

type Read = {name: string; type: string; mode: number; uid: number; gid: number; linkname: string | null; body: string};

async function entries(stream: Readable): Promise<Read[]> {
	const extract = tarStream.extract();
	const read: Read[] = [];
	const done = new Promise<void>((resolve, reject) => {
		extract.on('entry', (header, body, next) => {
			const chunks: Buffer[] = [];
			body.on('data', chunk => chunks.push(chunk as Buffer));
			body.on('end', () => {
				const {name, type = 'file', mode = 0, uid = 0, gid = 0, linkname = null} = header;
				read.push({name, type, mode, uid, gid, linkname, body: Buffer.concat(chunks).toString('utf8')});
				next();
			});
		});
		extract.on('finish', resolve);
		extract.on('error', reject);
		stream.on('error', reject);
	});
	stream.pipe(extract);
	await done;
	return read;
}

describe('reroot: the engine archive of a data directory, moved to the snapshot data path', () => {
	it('renames the top entry and everything under it, keeping owners, modes, bodies and hard links', async () => {
		// What GET /containers/{id}/archive?path=/var/lib/postgresql/18/docker gives: entries named after the basename.
		const source = archive([
			{name: 'docker/', type: 'directory', mode: 0o700, uid: 100, gid: 102},
			{name: 'docker/PG_VERSION', mode: 0o600, uid: 100, gid: 102, body: '18\n'},
			{name: 'docker/base/', type: 'directory', mode: 0o700, uid: 100, gid: 102},
			{name: 'docker/base/1', type: 'link', linkname: 'docker/PG_VERSION', mode: 0o600, uid: 100, gid: 102},
			{name: 'docker/pg_wal', type: 'symlink', linkname: '/elsewhere/pg_wal', mode: 0o777, uid: 100, gid: 102},
		]);
		expect(await entries(reroot(source, 'docker', '/var/lib/dbarena/pgdata'))).toEqual([
			{name: 'var/lib/dbarena/pgdata/', type: 'directory', mode: 0o700, uid: 100, gid: 102, linkname: null, body: ''},
			{name: 'var/lib/dbarena/pgdata/PG_VERSION', type: 'file', mode: 0o600, uid: 100, gid: 102, linkname: null, body: '18\n'},
			{name: 'var/lib/dbarena/pgdata/base/', type: 'directory', mode: 0o700, uid: 100, gid: 102, linkname: null, body: ''},
			{name: 'var/lib/dbarena/pgdata/base/1', type: 'link', mode: 0o600, uid: 100, gid: 102, linkname: 'var/lib/dbarena/pgdata/PG_VERSION', body: ''},
			// A symbolic link's target is a path inside the container, not an archive name: kept as it is.
			{name: 'var/lib/dbarena/pgdata/pg_wal', type: 'symlink', mode: 0o777, uid: 100, gid: 102, linkname: '/elsewhere/pg_wal', body: ''},
		]);
	});

	it('does not take a sibling whose name merely starts with the top entry for part of it', async () => {
		const source = archive([{name: 'data/', type: 'directory'}, {name: 'database/x'}]);
		await expect(entries(reroot(source, 'data', '/var/lib/dbarena/mysql'))).rejects.toThrow(/Unexpected entry "database\/x" in an archive of "data"/);
	});
});

describe('tmpfsHolding: data the engine archive would see as an empty directory', () => {
	const info = (tmpfs: Record<string, string>, mounts: Array<{Type: string; Destination: string}> = []) =>
		({HostConfig: {Tmpfs: tmpfs}, Mounts: mounts}) as unknown as Parameters<typeof tmpfsHolding>[1];

	it('finds a tmpfs at the data directory or above it, from --tmpfs or --mount', () => {
		expect(tmpfsHolding('/var/lib/postgresql/data', info({'/var/lib/postgresql/data': 'rw'}))).toBe('/var/lib/postgresql/data');
		expect(tmpfsHolding('/var/lib/postgresql/18/docker', info({}, [{Type: 'tmpfs', Destination: '/var/lib/postgresql'}]))).toBe('/var/lib/postgresql');
	});

	it('ignores volumes, tmpfs elsewhere (the 1 MB one over the unused declared volume), and prefixes that are not parents', () => {
		const dbarenaFromSnapshot = info({'/var/lib/postgresql/data': 'rw,size=1m'}, [{Type: 'volume', Destination: '/var/lib/dbarena/pgdata'}]);
		expect(tmpfsHolding('/var/lib/dbarena/pgdata', dbarenaFromSnapshot)).toBeUndefined();
		expect(tmpfsHolding('/var/lib/mysql', info({'/var/lib/my': ''}))).toBeUndefined();
		expect(tmpfsHolding('/var/lib/mysql', undefined)).toBeUndefined();
	});
});
