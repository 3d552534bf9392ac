import {describe, expect, it} from 'vitest';
import {progressWords} from '../../source/core/progress-words.js';

describe('progressWords', () => {
	it('names each finished step and what comes next', () => {
		const describe = progressWords();
		expect(describe({type: 'image-cached', image: 'postgres:16-alpine'})).toEqual({
			step: {text: 'Image postgres:16-alpine cached', warning: false},
			now: 'Creating container...',
		});
		expect(describe({type: 'volume', name: 'pg-data', reused: true})).toEqual({step: {text: 'Reusing volume pg-data (data kept from before)', warning: false}});
		expect(describe({type: 'volume', name: 'pg-data', reused: false})).toEqual({step: {text: 'Volume pg-data created', warning: false}});
		expect(describe({type: 'template', image: 'dbarena-template/postgres-16:abc'})).toEqual({
			step: {text: 'Using initialised template dbarena-template/postgres-16:abc', warning: false},
		});
		expect(describe({type: 'container-created', name: 'pg', id: 'abc'})).toEqual({
			step: {text: 'Creating container pg', warning: false},
			now: 'Starting database...',
		});
		expect(describe({type: 'port-retry', name: 'pg', port: 5432})).toEqual({step: {text: 'Port 5432 was taken meanwhile; trying another', warning: true}});
		expect(describe({type: 'container-started', name: 'pg', hostPort: 5432})).toEqual({
			step: {text: 'Starting database', warning: false},
			now: 'Waiting for healthy...',
		});
		expect(describe({type: 'waiting', name: 'pg', elapsedMs: 2150})).toEqual({now: 'Waiting for healthy... (2.1s)'});
		expect(describe({type: 'ready', name: 'pg', ms: 2300})).toEqual({step: {text: 'Waiting for healthy... (2.3s)', warning: false}});
	});

	it("says when a reset moves the new server's WAL past the old one's", () => {
		const describe = progressWords();
		expect(describe({type: 'wal-advance', name: 'pg', past: '2/4D000028'})).toEqual({now: 'Moving the WAL position past 2/4D000028...'});
		expect(describe({type: 'wal-advanced', name: 'pg', past: '2/4D000028', ms: 9500})).toEqual({
			step: {text: 'WAL position moved past 2/4D000028 (9.5s)', warning: false},
		});
	});

	it("says whether a failed create's container goes or stays", () => {
		const describe = progressWords();
		expect(describe({type: 'cleanup', name: 'pg', reason: 'readiness_timeout'})).toEqual({step: {text: 'Removing pg (readiness_timeout)', warning: true}});
		expect(describe({type: 'cleanup', name: 'pg', reason: 'kept for inspection (--keep-on-error)'})).toEqual({
			step: {text: 'Keeping pg: kept for inspection (--keep-on-error)', warning: true},
		});
	});

	it("counts a pull's layers and whole percents of the bytes known so far", () => {
		const describe = progressWords();
		const pull = {type: 'pull-progress', image: 'mysql:8.4'} as const;
		expect(describe({type: 'pull-start', image: 'mysql:8.4'})).toEqual({
			step: {text: 'Image mysql:8.4 not cached, pulling...', warning: true},
			now: 'Image mysql:8.4 not cached, pulling...',
		});
		expect(describe({...pull, layer: 'a', status: 'Pulling fs layer'}).now).toBe('Image mysql:8.4 not cached, pulling... 0/1 layers');
		expect(describe({...pull, layer: 'a', status: 'Downloading', current: 1024, total: 4096}).now).toBe(
			'Image mysql:8.4 not cached, pulling... 0/1 layers, 25% of 4.0 KiB',
		);
		expect(describe({...pull, layer: 'b', status: 'Already exists'}).now).toBe('Image mysql:8.4 not cached, pulling... 1/2 layers, 25% of 4.0 KiB');
		expect(describe({...pull, layer: 'a', status: 'Download complete'}).now).toBe('Image mysql:8.4 not cached, pulling... 2/2 layers, 100% of 4.0 KiB');
		// Extraction reports other sizes; the layer's share stays what its download was.
		expect(describe({...pull, layer: 'a', status: 'Extracting', current: 100, total: 9000}).now).toBe(
			'Image mysql:8.4 not cached, pulling... 2/2 layers, 100% of 4.0 KiB',
		);
		expect(describe({type: 'pull-done', image: 'mysql:8.4', ms: 15_240})).toEqual({
			step: {text: 'Image mysql:8.4 pulled (15.2s)', warning: false},
			now: 'Creating container...',
		});
	});

	it("keeps each operation's pull apart", () => {
		const first = progressWords();
		first({type: 'pull-progress', image: 'x', layer: 'a', status: 'Downloading', current: 1, total: 2});
		expect(progressWords()({type: 'pull-progress', image: 'y', layer: 'b', status: 'Downloading', current: 0, total: 2}).now).toBe(
			'Image y not cached, pulling... 0/1 layers, 0% of 2 B',
		);
	});
});
