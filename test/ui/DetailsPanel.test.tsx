import {describe, expect, it} from 'vitest';
import {DetailsPanel} from '../../source/ui/DetailsPanel.js';
import {fakeContainer, renderWith, storeWith} from '../helpers/dashboard.js';
import {frameText, lines} from '../helpers/ink.js';

describe('DetailsPanel', () => {
	it('shows connection info, image, mode, volume and labels of the selected container', async () => {
		const container = fakeContainer({
			name: 'pg-keep',
			id: 'abcdef0123456789',
			mode: 'persistent',
			volume: 'pg-keep-data',
			labels: {'dbarena.managed': 'true', 'dbarena.database': 'postgres', team: 'billing'},
		});
		const {instance} = await renderWith(<DetailsPanel width={80} height={18}/>, storeWith([container]));
		expect(lines(frameText(instance))).toEqual([
			'╭──────────────────────────────────────────────────────────────────────────────╮',
			'│ Details · pg-keep                                                            │',
			'│ URL       postgresql://postgres:dbarena@127.0.0.1:5432/testdb                │',
			'│ User      postgres                                                           │',
			'│ Password  dbarena                                                            │',
			'│ Database  testdb                                                             │',
			'│ Host      127.0.0.1:5432                                                     │',
			'│ Image     127.0.0.1:5000/library/postgres:16-alpine                          │',
			'│ Mode      persistent (named volume)                                          │',
			'│ Volume    pg-keep-data                                                       │',
			'│ ID        abcdef012345                                                       │',
			'│ Labels    dbarena.database=postgres                                          │',
			'│           dbarena.managed=true                                               │',
			'│           team=billing                                                       │',
			'│                                                                              │',
			'│                                                                              │',
			'│                                                                              │',
			'╰──────────────────────────────────────────────────────────────────────────────╯',
		]);
	});

	it('wraps a URL that does not fit instead of cutting it', async () => {
		const {instance} = await renderWith(<DetailsPanel width={40} height={8}/>, storeWith([fakeContainer({name: 'pg'})]));
		const frame = lines(frameText(instance));
		expect(frame[2]).toBe('│ URL       postgresql://postgres:dbar │');
		expect(frame[3]).toBe('│           ena@127.0.0.1:5432/testdb  │');
	});

	it('cuts what does not fit in its height', async () => {
		const {instance} = await renderWith(<DetailsPanel width={80} height={5}/>, storeWith([fakeContainer({name: 'pg'})]));
		expect(lines(frameText(instance))).toHaveLength(5);
	});

	it('says when nothing is selected', async () => {
		const {instance} = await renderWith(<DetailsPanel width={40} height={5}/>, storeWith([]));
		expect(frameText(instance)).toContain('No container selected.');
	});

	it('says when a container has no published port', async () => {
		const {instance} = await renderWith(<DetailsPanel width={60} height={8}/>, storeWith([fakeContainer({name: 'pg', connection: undefined})]));
		expect(frameText(instance)).toContain('URL       (no published port)');
	});
});
