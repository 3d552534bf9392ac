import {describe, expect, it} from 'vitest';
import {containerSpec} from '../../source/core/create/container-spec.js';
import {planCreate, withDataPath} from '../../source/core/create/plan.js';
import {templateKey} from '../../source/core/templates.js';

const now = new Date('2026-11-26T10:00:00Z');
const plan = (options: Parameters<typeof planCreate>[0]) => planCreate({name: 'x', ...options}, {registry: 'r'}, now);

describe('template key', () => {
	const base = templateKey(plan({database: 'postgres', version: '16'}), 'sha256:aaa');

	it('is stable for the same settings (the name does not matter)', () => {
		expect(templateKey(plan({database: 'postgres', version: '16', name: 'other'}), 'sha256:aaa')).toBe(base);
	});

	it.each([
		['image', plan({database: 'postgres', version: '16'}), 'sha256:bbb'],
		['password', plan({database: 'postgres', version: '16', password: 'x'}), 'sha256:aaa'],
		['user', plan({database: 'postgres', version: '16', user: 'u'}), 'sha256:aaa'],
		['database', plan({database: 'postgres', version: '16', databaseName: 'd'}), 'sha256:aaa'],
		['mode', plan({database: 'postgres', version: '16', mode: 'durable'}), 'sha256:aaa'],
		['env', plan({database: 'postgres', version: '16', env: {TZ: 'UTC'}}), 'sha256:aaa'],
		['version', plan({database: 'postgres', version: '17'}), 'sha256:aaa'],
	] as const)('changes with the %s', (_, changed, image) => {
		expect(templateKey(changed, image)).not.toBe(base);
	});
});

describe('starting from data outside the declared volume', () => {
	it('points PostgreSQL at the template data and keeps the volume path off anonymous volumes', () => {
		const p = withDataPath(plan({database: 'postgres', version: '16'}), '/var/lib/dbarena/pgdata', {
			kind: 'template',
			image: 'dbarena-template/postgres-16:k',
			key: 'k',
		});
		const spec = containerSpec(p, 5432);
		expect(spec.Image).toBe('dbarena-template/postgres-16:k');
		expect(spec.Env).toContain('PGDATA=/var/lib/dbarena/pgdata');
		expect(spec.HostConfig?.Tmpfs).toEqual({'/var/lib/postgresql/data': 'rw,size=1m'});
		expect(spec.Labels).toMatchObject({'dbarena.source': 'template', 'dbarena.image': 'r/library/postgres:16-alpine'});
	});

	it('points MariaDB at it with --datadir and mounts a persistent volume there', () => {
		const p = withDataPath(plan({database: 'mariadb', version: '10.11', mode: 'persistent'}), '/var/lib/dbarena/mysql', {
			kind: 'template',
			image: 't',
			key: 'k',
		});
		const spec = containerSpec(p, 3306);
		expect(spec.Cmd).toContain('--datadir=/var/lib/dbarena/mysql');
		expect(spec.HostConfig?.Mounts).toEqual([{Type: 'volume', Source: 'x-data', Target: '/var/lib/dbarena/mysql'}]);
	});

	it('is not used with an explicit image or --no-template', () => {
		expect(plan({database: 'postgres', image: 'custom:1'}).useTemplates).toBe(false);
		expect(plan({database: 'postgres', noTemplate: true}).useTemplates).toBe(false);
		expect(plan({database: 'postgres'}).useTemplates).toBe(true);
		expect(plan({database: 'sqlserver'}).useTemplates).toBe(false);
	});
});
