import {EventEmitter} from 'node:events';
import {afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import type {ContainerManager} from '../../source/core/lifecycle.js';
import type {EngineStreams} from '../../source/core/streams.js';
import {enterAlternateScreen, leaveAlternateScreen} from '../../source/ui/alternate-screen.js';
import {runDashboard} from '../../source/ui/run.js';
import type {ChangeOpener} from '../../source/store/feeders/change-follower.js';
import {fakeChangeOpener} from '../helpers/changes.js';
import {deferred, fakeContainer} from '../helpers/dashboard.js';
import {keys} from '../helpers/ink.js';

// runDashboard end to end over fake terminal streams: every way out restores the screen and
// resolves with the right exit code.

class FakeTerminal extends EventEmitter {
	isTTY = true;
	columns = 100;
	rows = 30;
	text = '';
	write = (data: string) => {
		this.text += data;
		this.emit('written');
		return true;
	};
}

/** The shape Ink reads keys from (as ink-testing-library's stdin). */
class FakeKeyboard extends EventEmitter {
	isTTY = true;
	private pending: string | null = null;
	setRawMode() {}
	setEncoding() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read = () => {
		const data = this.pending;
		this.pending = null;
		return data;
	};
	type(data: string) {
		this.pending = data;
		this.emit('readable');
	}
}

const idleFeeds: EngineStreams = {
	watchEvents: () => ({stop() {}}),
	followStats: () => ({stop() {}, soon() {}}),
	followLogs: () => ({stop() {}}),
};

/** An event stream that connects at once (so the feeders list the containers) and then stays quiet. */
const connected: EngineStreams['watchEvents'] = options => {
	options.onState?.('connected');
	return {stop() {}};
};

function start(manager: Partial<ContainerManager> = {}, feeds = idleFeeds, openChangeStream?: ChangeOpener) {
	const stdout = new FakeTerminal();
	const stderr = new FakeTerminal();
	const stdin = new FakeKeyboard();
	// A stand-in with only what the dashboard calls; the real class needs an engine.
	const fake = {
		address: 'unix:///fake.sock',
		location: {address: 'unix:///fake.sock', foundBy: 'DOCKER_HOST', source: 'DOCKER_HOST', tried: []},
		list: async () => [fakeContainer({name: 'pg'})],
		find: async () => fakeContainer({name: 'pg'}),
		health: async () => 'healthy' as const,
		engineIdentity: async () => ({product: 'Docker Engine', version: '20.10.24'}),
		...manager,
	} as unknown as ContainerManager;
	const done = runDashboard({
		manager: fake,
		feeds,
		...(openChangeStream ? {openChangeStream} : {}),
		stdin: stdin as unknown as NodeJS.ReadStream,
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: stderr as unknown as NodeJS.WriteStream,
	});
	const shows = async (text: string) =>
		vi.waitFor(
			() => {
				expect(stdout.text).toContain(text);
			},
			{timeout: 5000, interval: 5},
		);
	return {stdout, stderr, stdin, done, shows};
}

/** The screen was entered before the first frame and left after the last one. */
function expectRestored(stdout: FakeTerminal): void {
	expect(stdout.text.startsWith(enterAlternateScreen)).toBe(true);
	expect(stdout.text.endsWith(leaveAlternateScreen)).toBe(true);
}

beforeAll(async () => {
	// Ink patches the console so stray output cannot tear the screen, and builds its replacement
	// with console.Console, which the test runner's console lacks.
	const {Console} = await import('node:console');
	(console as {Console?: typeof Console}).Console ??= Console;
	// runDashboard loads the session (Ink, React) on first use; loading it here keeps that time
	// out of the first test's timeout.
	await import('../../source/ui/dashboard-session.js');
}, 60_000);

/** The runner's uncaughtException listeners, taken away for one test and given back after it. */
const removed: NodeJS.UncaughtExceptionListener[] = [];

afterEach(() => {
	for (const listener of removed.splice(0)) process.on('uncaughtException', listener);
});

describe('runDashboard', () => {
	it('q leaves the alternate screen and resolves 0', async () => {
		const {stdout, stdin, done, shows} = start();
		await shows('unix:///fake.sock');
		stdin.type('q');
		expect(await done).toBe(0);
		expectRestored(stdout);
	});

	it('Ctrl-C does the same', async () => {
		const {stdout, stdin, done, shows} = start();
		await shows('unix:///fake.sock');
		stdin.type(keys.ctrlC);
		expect(await done).toBe(0);
		expectRestored(stdout);
	});

	it('SIGTERM restores the screen and resolves 143', async () => {
		const {stdout, done, shows} = start();
		await shows('unix:///fake.sock');
		process.emit('SIGTERM', 'SIGTERM');
		expect(await done).toBe(143);
		expectRestored(stdout);
	});

	it('an uncaught error restores the screen, reports it and resolves 1', async () => {
		// The test runner's own handler would count this deliberate error as a failure.
		removed.push(...process.listeners('uncaughtException'));
		process.removeAllListeners('uncaughtException');
		const {stdout, stderr, done, shows} = start();
		await shows('unix:///fake.sock');
		process.emit('uncaughtException', new Error('boom'));
		expect(await done).toBe(1);
		expect(stdout.text).toContain(leaveAlternateScreen);
		expect(stderr.text).toContain('dbarena: Error: boom');
	});

	it('a stray rejection shows in the status line and the dashboard keeps running', async () => {
		const {stdin, done, shows} = start();
		await shows('unix:///fake.sock');
		process.emit('unhandledRejection', new Error('lost promise'), Promise.resolve());
		await shows('Internal error: lost promise');
		stdin.type('q');
		expect(await done).toBe(0);
	});

	it("q closes the Changes pane's stream, and waits for it to close before it returns", async () => {
		const opener = fakeChangeOpener();
		const cdc = {user: 'cdc', password: 'secret', publication: 'dbarena_cdc'};
		const pg = fakeContainer({name: 'pg', cdc});
		const {stdin, done, shows} = start({list: async () => [pg], find: async () => pg}, {...idleFeeds, watchEvents: connected}, opener.open);
		await shows('unix:///fake.sock');
		await shows('1 running');
		stdin.type('C');
		await shows('waiting for changes');
		const closing = deferred<undefined>();
		opener.last().close.mockImplementation(async () => closing.promise);
		let returned = false;
		void done.then(() => {
			returned = true;
		});
		stdin.type('q');
		await vi.waitFor(() => {
			expect(opener.last().close).toHaveBeenCalledTimes(1);
		});
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(returned).toBe(false);
		closing.resolve(undefined);
		expect(await done).toBe(0);
		expect(opener.open).toHaveBeenCalledTimes(1);
	});

	it('refuses to draw without a terminal', async () => {
		const stderr = new FakeTerminal();
		const code = await runDashboard({
			manager: {address: 'x', location: {address: 'x', foundBy: 'DOCKER_HOST', source: 'DOCKER_HOST', tried: []}} as unknown as ContainerManager,
			stdin: {isTTY: false} as unknown as NodeJS.ReadStream,
			stdout: new FakeTerminal() as unknown as NodeJS.WriteStream,
			stderr: stderr as unknown as NodeJS.WriteStream,
		});
		expect(code).toBe(2);
		expect(stderr.text).toBe('dbarena: the dashboard needs a terminal; use "dbarena list" instead.\n');
	});
});
