import {presets} from '../../source/core/presets/catalog.js';
import type {Preset} from '../../source/core/presets/preset.js';
import {mirrorImage} from '../../source/core/image-ref.js';
import type {DatabaseKind} from '../../source/core/types.js';
import type {ClientKind, Conn} from './login.js';

export const registry = process.env['DBARENA_REGISTRY'] ?? '127.0.0.1:5000';

export type TargetId = 'pg' | 'mariadb' | 'mysql';

/** A database the bench starts: preset, version, the mirrored image ref, the host client to log in with. */
export type Target = {
	id: TargetId;
	title: string;
	database: DatabaseKind;
	version: string;
	preset: Preset;
	client: ClientKind;
	/** The image as dbarena pulls it through the local registry. */
	image: string;
	/** "postgres:16", as `dbarena create` takes several. */
	spec: string;
};

export function target(id: TargetId, title: string, database: DatabaseKind, version: string): Target {
	const preset = presets[database];
	const entry = preset.versions.find(candidate => candidate.version === version);
	if (!entry) throw new Error(`${database} ${version} is not a dbarena preset`);
	return {
		id,
		title,
		database,
		version,
		preset,
		client: preset.probe === 'postgres' ? 'postgres' : 'mysql',
		image: mirrorImage(entry.image, registry),
		spec: `${database}:${version}`,
	};
}

export const targets: Record<TargetId, Target> = {
	pg: target('pg', 'PostgreSQL 16', 'postgres', '16'),
	mariadb: target('mariadb', 'MariaDB 10.11', 'mariadb', '10.11'),
	// The fixture for mysql:8.4 is the real MySQL 9.7 server (Debian unstable's), as for every mysql tag.
	mysql: target('mysql', 'MySQL 8.4 (9.7 server)', 'mysql', '8.4'),
};

/** dbarena's default credentials for the database on a host port. */
export function defaultConn(target: Target, port: number): Conn {
	return {host: '127.0.0.1', port, ...target.preset.defaultCredentials};
}
