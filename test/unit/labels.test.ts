import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {
	buildLabels,
	describeLabels,
	describeSnapshotImage,
	describeTemplateImage,
	describeVolumeLabels,
	isSnapshotImage,
	isTemplateImage,
	snapshotImageLabels,
	sourceLabels,
	templateImageLabels,
	volumeLabels,
} from '../../source/core/labels.js';

const credentials = {user: 'postgres', password: 'pw', database: 'testdb'};
const base = buildLabels({
	database: 'postgres',
	version: '16',
	mode: 'fast',
	image: 'postgres:16-alpine',
	credentials,
	containerPort: 5432,
	createdAt: new Date(0),
});

describe('the label schema', () => {
	it("reads back where a container's data came from, as written", () => {
		expect(describeLabels({...base, ...sourceLabels('/d', {kind: 'fresh'})})).toMatchObject({source: 'fresh'});
		const template = describeLabels({...base, ...sourceLabels('/d', {kind: 'template', image: 'dbarena-template/postgres-16:k'})});
		expect(template).toMatchObject({source: 'template', sourceImage: 'dbarena-template/postgres-16:k'});
		expect(template?.sourceSnapshot).toBeUndefined();
		expect(describeLabels({...base, ...sourceLabels('/d', {kind: 'snapshot', image: 'dbarena-snapshot:t1', tag: 't1'})})).toMatchObject({
			source: 'snapshot',
			sourceImage: 'dbarena-snapshot:t1',
			sourceSnapshot: 't1',
		});
	});

	it('still reads the snapshot tag of containers made before it had a label of its own', () => {
		expect(describeLabels({...base, 'dbarena.source': 'snapshot', 'dbarena.snapshot': 'old-tag'})?.sourceSnapshot).toBe('old-tag');
		// On an image the same label only marks a snapshot; it is not a tag.
		expect(describeLabels({...base, 'dbarena.snapshot': 'true'})?.sourceSnapshot).toBeUndefined();
	});

	it('round-trips volume, template-image and snapshot-image labels', () => {
		expect(describeVolumeLabels(volumeLabels({database: 'postgres', version: '16', credentials, owner: 'db', dataPath: '/d'}))).toEqual({
			database: 'postgres',
			version: '16',
			credentials,
			owner: 'db',
			dataPath: '/d',
		});
		const template = templateImageLabels({
			key: 'k',
			sourceImageId: 'sha256:1',
			sourceRef: 'postgres:16-alpine',
			dataPath: '/d',
			mode: 'fast',
			database: 'postgres',
			version: '16',
		});
		expect(isTemplateImage(template) && !isSnapshotImage(template)).toBe(true);
		expect(describeTemplateImage(template)).toEqual({
			key: 'k',
			database: 'postgres',
			version: '16',
			mode: 'fast',
			sourceRef: 'postgres:16-alpine',
			sourceImageId: 'sha256:1',
		});
		const snapshot = snapshotImageLabels({
			tag: 't',
			container: 'db',
			dataPath: '/d',
			baseImage: 'postgres:16-alpine',
			createdAt: new Date(0),
			database: 'postgres',
			version: '16',
			credentials,
		});
		expect(isSnapshotImage(snapshot) && !isTemplateImage(snapshot)).toBe(true);
		expect(describeSnapshotImage(snapshot)).toEqual({
			database: 'postgres',
			version: '16',
			container: 'db',
			dataPath: '/d',
			baseImage: 'postgres:16-alpine',
			credentials,
		});
	});

	it('is the only place in the source that spells a dbarena.* label', () => {
		const files: string[] = [];
		const walk = (dir: string) => {
			for (const entry of readdirSync(dir)) {
				const full = path.join(dir, entry);
				if (statSync(full).isDirectory()) walk(full);
				else if (/\.tsx?$/.test(entry)) files.push(full);
			}
		};
		walk(path.resolve('source'));
		expect(files.length).toBeGreaterThan(50);
		const spelled = files.filter(file => !file.endsWith(path.join('core', 'labels.ts'))).filter(file => /['"`]dbarena\.[a-z]/.test(readFileSync(file, 'utf8')));
		expect(spelled).toEqual([]);
	});
});
