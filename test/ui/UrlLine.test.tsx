import {describe, expect, it} from 'vitest';
import {UrlLine} from '../../source/ui/components/UrlLine.js';
import {fakeContainer, renderWith, storeWith} from '../helpers/dashboard.js';
import {frameText, waitForFrame} from '../helpers/ink.js';

const url = 'postgresql://postgres:dbarena@127.0.0.1:5432/testdb';

async function lineAt(width: number, store = storeWith([fakeContainer({name: 'pg'})])): Promise<string> {
	const {instance} = await renderWith(<UrlLine width={width} />, store);
	return frameText(instance);
}

// What a mouse selects on this line is the URL and nothing else: no border, no padding, no cut.
describe('UrlLine', () => {
	it('shows the URL whole, aligned with the details, and says y copies it when there is room', async () => {
		expect(await lineAt(120)).toBe(`  URL       ${url}  y copies it`);
		expect(await lineAt(76)).toBe(`  URL       ${url}  y copies it`);
		expect(await lineAt(70)).toBe(`  URL       ${url}`);
	});

	it('drops the label before it cuts the URL', async () => {
		expect(await lineAt(63)).toBe(`  URL       ${url}`);
		expect(await lineAt(62)).toBe(url);
		expect(await lineAt(51)).toBe(url);
	});

	it('cuts it visibly only when the terminal is narrower than the URL, and says y copies it whole', async () => {
		const line = await lineAt(45);
		expect(line).toBe(`${url.slice(0, 26)}… y copies it whole`);
		expect(line).toHaveLength(45);
	});

	it('shows the local URL of the forward for a database on an ssh:// engine host, or why there is none yet', async () => {
		const base = fakeContainer({name: 'far'});
		const container = {...base, connection: {...base.connection!, onEngineHost: 'ssh://me@build-box'}};
		const local = 'postgresql://postgres:dbarena@127.0.0.1:41234/testdb';
		expect(await lineAt(100, storeWith([container], {forwards: {'id-far': {url: local}}}))).toBe(`  Local URL ${local}  y copies it`);
		expect(await lineAt(100, storeWith([container], {forwards: {'id-far': {error: 'connection refused'}}}))).toBe('  Local URL no forward: connection refused');
		expect(await lineAt(100, storeWith([container]))).toBe('  Local URL opening a forward…');
	});

	it('says when there is no URL', async () => {
		expect(await lineAt(80, storeWith([fakeContainer({name: 'pg', connection: undefined})]))).toBe('  URL       (no published port)');
		const store = storeWith([fakeContainer({name: 'pg'})]);
		const {instance} = await renderWith(<UrlLine width={80} />, store);
		store.setState({selectedId: undefined});
		await waitForFrame(instance, frame => frame.trim() === '');
	});
});
