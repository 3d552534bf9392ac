import {describe, expect, it} from 'vitest';
import {setEngineState} from '../../source/store/container-actions.js';
import {setMessage} from '../../source/store/view-actions.js';
import {Header} from '../../source/ui/components/Header.js';
import {KeyHints} from '../../source/ui/components/KeyHints.js';
import {StatusLine} from '../../source/ui/components/StatusLine.js';
import {fakeContainer, renderWith, storeWith} from '../helpers/dashboard.js';
import {frameText, waitForFrame} from '../helpers/ink.js';

const two = () => storeWith([fakeContainer({name: 'pg'}), fakeContainer({name: 'old', state: 'exited'})]);

describe('StatusLine', () => {
	it('shows the engine, the counts and the last message', async () => {
		const store = two();
		setMessage(store, 'Stopped old', 'success');
		const {instance} = await renderWith(<StatusLine width={100} />, store);
		expect(
			frameText(instance)
				.split('\n')
				.map(line => line.trimEnd()),
		).toEqual(['● connected unix:///var/run/docker.sock · 1 running · 1 stopped', 'Stopped old']);
	});

	it('says how the engine was found when it was not DOCKER_HOST or the default socket', async () => {
		const store = storeWith([fakeContainer({name: 'pg'})]);
		store.setState(state => ({engine: {...state.engine, address: 'unix:///home/me/.colima/default/docker.sock', foundBy: 'docker context "colima"'}}));
		const {instance} = await renderWith(<StatusLine width={120} />, store);
		expect(frameText(instance).split('\n')[0]!.trimEnd()).toBe(
			'● connected unix:///home/me/.colima/default/docker.sock (docker context "colima") · 1 running · 0 stopped',
		);
	});

	it('names the engine once it is known: product and version before its address', async () => {
		const store = storeWith([fakeContainer({name: 'pg'})]);
		store.setState(state => ({engine: {...state.engine, address: 'unix:///run/podman/podman.sock', product: 'Podman 4.3.1'}}));
		const {instance} = await renderWith(<StatusLine width={120} />, store);
		expect(frameText(instance).split('\n')[0]!.trimEnd()).toBe('● connected Podman 4.3.1 at unix:///run/podman/podman.sock · 1 running · 0 stopped');
	});

	it('leaves the engine’s name out rather than the counts when the line is narrow', async () => {
		const store = storeWith([fakeContainer({name: 'pg'})]);
		store.setState(state => ({engine: {...state.engine, product: 'Docker Engine 20.10.24+dfsg1'}}));
		const {instance} = await renderWith(<StatusLine width={80} />, store);
		expect(frameText(instance).split('\n')[0]!.trimEnd()).toBe('● connected unix:///var/run/docker.sock · 1 running · 0 stopped');
	});

	it('follows the engine state', async () => {
		const store = two();
		const {instance} = await renderWith(<StatusLine width={100} />, store);
		setEngineState(store, 'reconnecting');
		await waitForFrame(instance, frame => frame.startsWith('● reconnecting unix:///var/run/docker.sock'));
		setEngineState(store, 'unreachable');
		await waitForFrame(instance, frame => frame.startsWith('● unreachable'));
	});

	it('shows an active filter and how many rows it leaves', async () => {
		const {instance} = await renderWith(
			<StatusLine width={120} />,
			storeWith([fakeContainer({name: 'pg'}), fakeContainer({name: 'my', database: 'mysql'})], {filter: 'my'}),
		);
		expect(frameText(instance)).toContain('· 2 running · 0 stopped · filter "my" 1/2');
	});

	it('becomes the filter prompt while the filter is typed', async () => {
		const {instance} = await renderWith(<StatusLine width={100} />, storeWith([fakeContainer({name: 'pg'})], {filterEditing: true, filter: 'p'}));
		expect(frameText(instance).split('\n')[1]?.trimEnd()).toBe('/ p   1 of 1 · enter keeps the filter · esc clears it');
	});

	it('cuts the line at the terminal width', async () => {
		const store = two();
		setMessage(store, 'x'.repeat(300), 'error');
		const {instance} = await renderWith(<StatusLine width={80} />, store);
		expect(frameText(instance).split('\n')).toHaveLength(2);
	});
});

describe('Header and KeyHints', () => {
	it('the header says which containers are shown', async () => {
		const {instance} = await renderWith(<Header width={60} />, storeWith([], {showAll: false}));
		expect(frameText(instance)).toBe(`dbarena${' '.repeat(30)}running containers only`);
	});

	it('the hint line lists the main keys', async () => {
		const {instance} = await renderWith(<KeyHints />, storeWith([]));
		expect(frameText(instance)).toBe('↑↓ select  enter details  c create  s start/stop  r restart  R reset  S snapshot  d destroy  l logs…');
	});
});

describe('StatusLine with a load running', () => {
	it('says on which database and how fast', async () => {
		const store = two();
		store.setState({loads: {'id-pg': {name: 'pg', rate: 50, ops: 1234, achievedRate: 49.84}}});
		const {instance} = await renderWith(<StatusLine width={140} />, store);
		expect(frameText(instance).split('\n')[0]!.trimEnd()).toBe(
			'● connected unix:///var/run/docker.sock · 1 running · 1 stopped · load pg 49.8/s (1234 writes)',
		);
	});
});
