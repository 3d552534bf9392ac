import {describe, expect, it, vi} from 'vitest';
import {copyToClipboard, osc52, tmuxPassthrough} from '../../source/ui/clipboard.js';

const url = 'postgresql://postgres:dbarena@127.0.0.1:5432/testdb';
const base64 = Buffer.from(url).toString('base64');

describe('copying with OSC 52', () => {
	it('is ESC ] 52 ; c ; the base64 of the text, then BEL', () => {
		expect(osc52(url)).toBe(`\u001B]52;c;${base64}\u0007`);
		expect(osc52('пароль')).toBe(`\u001B]52;c;${Buffer.from('пароль', 'utf8').toString('base64')}\u0007`);
	});

	it('wraps it for tmux passthrough with every ESC doubled', () => {
		expect(tmuxPassthrough(osc52('x'))).toBe(`\u001BPtmux;\u001B\u001B]52;c;eA==\u0007\u001B\\`);
	});

	it('outside tmux: writes the sequence', async () => {
		const write = vi.fn();
		expect(await copyToClipboard(url, write, {env: {}})).toEqual({copied: true, via: 'OSC 52'});
		expect(write).toHaveBeenCalledWith(osc52(url));
	});

	it('inside tmux with set-clipboard on: the plain sequence, which tmux passes on', async () => {
		const write = vi.fn();
		const askTmux = vi.fn(async () => ({setClipboard: 'on', passthrough: false}));
		expect(await copyToClipboard(url, write, {env: {TMUX: '/tmp/tmux-0/default,1,0'}, askTmux})).toEqual({copied: true, via: 'OSC 52 through tmux'});
		expect(write).toHaveBeenCalledWith(osc52(url));
	});

	it('inside tmux with only allow-passthrough: the wrapped sequence', async () => {
		const write = vi.fn();
		const askTmux = async () => ({setClipboard: 'external', passthrough: true});
		expect(await copyToClipboard(url, write, {env: {TMUX: 'x'}, askTmux})).toEqual({copied: true, via: 'OSC 52, tmux passthrough'});
		expect(write).toHaveBeenCalledWith(tmuxPassthrough(osc52(url)));
	});

	it("inside tmux with neither (tmux's defaults): says what to set instead of claiming a copy", async () => {
		const write = vi.fn();
		for (const askTmux of [async () => ({setClipboard: 'external', passthrough: false}), async () => undefined]) {
			expect(await copyToClipboard(url, write, {env: {TMUX: 'x'}, askTmux})).toEqual({
				copied: false,
				why: 'tmux drops OSC 52 unless "set -g set-clipboard on" (or allow-passthrough on)',
			});
		}
		expect(write).not.toHaveBeenCalled();
	});
});
