import {describe, expect, it, vi} from 'vitest';
import {copyToClipboard, osc52, type RunTmux, type TmuxResult, tmuxPassthrough} from '../../source/ui/clipboard.js';

const url = 'postgresql://postgres:dbarena@127.0.0.1:5432/testdb';
const base64 = Buffer.from(url).toString('base64');
const inTmux = {TMUX: '/tmp/tmux-0/default,1,0'};

/**
 * A tmux that answers display-message with its clipboard options and load-buffer as told; every
 * call is recorded with what went to its stdin.
 */
function fakeTmux(options: {setClipboard?: string; passthrough?: string; loadW?: TmuxResult; load?: TmuxResult; answers?: boolean} = {}) {
	const calls: Array<{args: string[]; input: string | undefined}> = [];
	const run: RunTmux = vi.fn(async (args: string[], input?: string): Promise<TmuxResult> => {
		calls.push({args, input});
		if (args[0] === 'display-message') {
			return options.answers === false
				? {ok: false, error: 'no server running'}
				: {ok: true, stdout: `${options.setClipboard ?? 'external'} ${options.passthrough ?? 'off'}\n`};
		}
		if (args.join(' ') === 'load-buffer -w -') return options.loadW ?? {ok: true, stdout: ''};
		if (args.join(' ') === 'load-buffer -') return options.load ?? {ok: true, stdout: ''};
		return {ok: false, error: `unexpected tmux ${args.join(' ')}`};
	});
	const loads = () => calls.filter(call => call.args[0] === 'load-buffer');
	return {run, calls, loads};
}

const oldTmux: TmuxResult = {ok: false, error: 'command load-buffer: unknown flag -w'};

describe('copying with OSC 52', () => {
	it('is ESC ] 52 ; c ; the base64 of the text, then BEL', () => {
		expect(osc52(url)).toBe(`\u001B]52;c;${base64}\u0007`);
		expect(osc52('пароль')).toBe(`\u001B]52;c;${Buffer.from('пароль', 'utf8').toString('base64')}\u0007`);
	});

	it('wraps it for tmux passthrough with every ESC doubled', () => {
		expect(tmuxPassthrough(osc52('x'))).toBe(`\u001BPtmux;\u001B\u001B]52;c;eA==\u0007\u001B\\`);
	});

	it('outside tmux: writes the sequence, and runs no tmux', async () => {
		const write = vi.fn();
		const tmux = fakeTmux();
		expect(await copyToClipboard(url, write, {env: {}, tmux: tmux.run})).toEqual({copied: true, via: 'OSC 52'});
		expect(write.mock.calls).toEqual([[osc52(url)]]);
		expect(tmux.calls).toEqual([]);
	});

	it('inside tmux with set-clipboard on: the plain sequence, which tmux takes into its buffer and passes on', async () => {
		const write = vi.fn();
		const tmux = fakeTmux({setClipboard: 'on'});
		expect(await copyToClipboard(url, write, {env: inTmux, tmux: tmux.run})).toEqual({copied: true, via: 'OSC 52 through tmux'});
		expect(write.mock.calls).toEqual([[osc52(url)]]);
		expect(tmux.loads()).toEqual([]);
	});
});

// tmux's default, set-clipboard external, drops an application's OSC 52: the URL goes to tmux itself.
describe('inside tmux without set-clipboard on: tmux load-buffer', () => {
	it("puts the text into tmux's buffer and, with -w, the terminal's clipboard; on stdin, no shell; the raw sequence still goes out", async () => {
		const write = vi.fn();
		const tmux = fakeTmux();
		expect(await copyToClipboard(url, write, {env: inTmux, tmux: tmux.run})).toEqual({
			copied: true,
			via: "tmux load-buffer -w: tmux's buffer and the terminal's clipboard",
		});
		expect(tmux.loads()).toEqual([{args: ['load-buffer', '-w', '-'], input: url}]);
		expect(write.mock.calls).toEqual([[osc52(url)]]);
	});

	it('before tmux 3.2 (no -w): loads it without -w and says the terminal did not get it', async () => {
		const write = vi.fn();
		const tmux = fakeTmux({loadW: oldTmux});
		expect(await copyToClipboard(url, write, {env: inTmux, tmux: tmux.run})).toEqual({
			copied: true,
			via: "tmux's buffer only: load-buffer -w failed (command load-buffer: unknown flag -w; it needs tmux 3.2)",
		});
		expect(tmux.loads()).toEqual([
			{args: ['load-buffer', '-w', '-'], input: url},
			{args: ['load-buffer', '-'], input: url},
		]);
	});

	it('before tmux 3.2 with allow-passthrough on: the buffer, and the wrapped sequence for the terminal', async () => {
		const write = vi.fn();
		const tmux = fakeTmux({loadW: oldTmux, passthrough: 'on'});
		expect(await copyToClipboard(url, write, {env: inTmux, tmux: tmux.run})).toEqual({copied: true, via: "tmux's buffer, and OSC 52 by tmux passthrough"});
		expect(write.mock.calls).toEqual([[osc52(url)], [tmuxPassthrough(osc52(url))]]);
	});

	it("with set-clipboard off: says that tmux keeps it from the terminal's clipboard", async () => {
		const tmux = fakeTmux({setClipboard: 'off'});
		expect(await copyToClipboard(url, vi.fn(), {env: inTmux, tmux: tmux.run})).toEqual({
			copied: true,
			via: "tmux's buffer only: set-clipboard off keeps it from the terminal's clipboard",
		});
	});

	it('when tmux does not answer at all: says why, and what to set, rather than claiming a copy', async () => {
		const write = vi.fn();
		const failed: TmuxResult = {ok: false, error: 'no server running on /tmp/tmux-0/default'};
		const tmux = fakeTmux({answers: false, loadW: failed, load: failed});
		expect(await copyToClipboard(url, write, {env: inTmux, tmux: tmux.run})).toEqual({
			copied: false,
			why: 'tmux load-buffer failed (no server running on /tmp/tmux-0/default), and tmux drops OSC 52 unless "set -g set-clipboard on"',
		});
		expect(write.mock.calls).toEqual([[osc52(url)]]);
	});

	it('when loading fails but passthrough is on: the wrapped sequence', async () => {
		const write = vi.fn();
		const failed: TmuxResult = {ok: false, error: 'timed out'};
		const tmux = fakeTmux({passthrough: 'on', loadW: failed, load: failed});
		expect(await copyToClipboard(url, write, {env: inTmux, tmux: tmux.run})).toEqual({copied: true, via: 'OSC 52, tmux passthrough'});
		expect(write.mock.calls).toEqual([[osc52(url)], [tmuxPassthrough(osc52(url))]]);
	});
});
