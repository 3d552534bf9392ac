import {randomBytes} from 'node:crypto';
import {createServer, type Server} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {registry} from '../helpers/docker.js';
import {buildCli, docker} from '../integration/cli-helpers.js';
import {badInputCases, expectRefused, removeTargets, setUpTargets, targetNames, title} from './bad-input-cases.js';
import {busyImage, startBusyLoop, type BusyLoop} from './busy-loop.js';
import {footprint, portsIn} from './footprint.js';

// The bad-input rows on a developer's machine, where other containers come and go: an unrelated
// container is created and removed in a loop while rows run, and they must still pass. Then,
// beside the same loop, the comparison must still catch what a row could really leave behind.

const token = randomBytes(3).toString('hex');
const targets = targetNames('badinput-busy');
const leakName = `badinput-leak-${token}`;
// Every sixth row (the whole table runs in bad-input.test.ts), and every row aimed at a target or a
// port: those are where the comparison looks at names and ports, not only at labels.
const aimed = (args: string[]) => args.some(arg => arg.startsWith(targets.managed) || arg === targets.foreign) || portsIn(args).length > 0;
const rows = badInputCases(targets.managed, targets.foreign).filter(([args], index) => index % 6 === 0 || aimed(args));
let loop: BusyLoop | undefined;
/** How many engine changes the loop made while each row ran. */
const changesDuringRows: number[] = [];

beforeAll(async () => {
	await buildCli();
	// The loop's image must already be here: a pull would be a change of its own, outside any row.
	await docker(['image', 'inspect', busyImage]).catch(async () => docker(['pull', '-q', busyImage]));
	await setUpTargets(targets);
	loop = startBusyLoop(`badinput-busy-loop-${token}`);
}, 180_000);

afterAll(async () => {
	await loop?.stop();
	await removeTargets(targets);
});

describe('bad input beside a busy engine', () => {
	it.concurrent.each(rows.map(([args, message]) => [title(args), args, message] as const))('%s', async (_, args, message) => {
		const before = loop!.changes();
		try {
			await expectRefused(args, message);
		} finally {
			changesDuringRows.push(loop!.changes() - before);
		}
	});

	it('the loop really changed the engine while the rows ran', () => {
		expect(loop!.errors()).toEqual([]);
		// Most rows must have had an unrelated change between their two comparisons, or the rows
		// above proved nothing about a busy engine.
		const overlapped = changesDuringRows.filter(changes => changes > 0).length;
		expect(overlapped, JSON.stringify(changesDuringRows)).toBeGreaterThanOrEqual(Math.ceil(rows.length * 0.75));
	});
});

/** What changed in a row's footprint while `leak` ran; `undo` removes the leak whatever happens. */
async function changedBy(args: string[], leak: () => Promise<unknown>, undo: () => Promise<unknown>): Promise<string[]> {
	const before = await footprint(args);
	try {
		await leak();
		const after = await footprint(args);
		return [...before.filter(line => !after.includes(line)).map(line => `- ${line}`), ...after.filter(line => !before.includes(line)).map(line => `+ ${line}`)];
	} finally {
		await undo();
	}
}

const removeLeak = async () => docker(['rm', '-f', '-v', leakName]).catch(() => '');

describe('the comparison still catches a real leak, beside the same loop', () => {
	it('a stopped container with a dbarena label, under a name the row never used', async () => {
		const changed = await changedBy(
			['create', 'postgres', '--version', '13'],
			async () => docker(['create', '--name', leakName, '--label', 'dbarena.managed=true', busyImage]),
			removeLeak,
		);
		expect(changed).toContainEqual(expect.stringMatching(new RegExp(`^\\+ container ${leakName} \\w+ created$`)));
	});

	it('a plain container under the name the row used', async () => {
		const changed = await changedBy(['start', leakName], async () => docker(['create', '--name', leakName, busyImage]), removeLeak);
		expect(changed).toContainEqual(expect.stringMatching(new RegExp(`^\\+ container ${leakName} `)));
	});

	it('a plain volume named <name>-data for the --name the row passed', async () => {
		const volume = `${leakName}-data`;
		const changed = await changedBy(
			['create', 'postgres', '--name', leakName, '--bogus'],
			async () => docker(['volume', 'create', volume]),
			async () => docker(['volume', 'rm', volume]).catch(() => ''),
		);
		expect(changed).toContain(`+ volume ${volume}`);
	});

	it('a volume with a dbarena label, under a name the row never used', async () => {
		const volume = `${leakName}-labelled`;
		const changed = await changedBy(
			['volumes', 'rm', 'no-such-volume-at-all', '--yes'],
			async () => docker(['volume', 'create', '--label', 'dbarena.managed=true', volume]),
			async () => docker(['volume', 'rm', volume]).catch(() => ''),
		);
		expect(changed).toContain(`+ volume ${volume}`);
	});

	it('an image with a dbarena label (a snapshot, say), and a new tag under the registry dbarena pulls from', async () => {
		const snapshot = `${leakName}:snapshot`;
		const pulled = `${registry}/${leakName}:pulled`;
		const changed = await changedBy(
			['snapshot', 'rm', 'no-such-snapshot', '--yes'],
			async () => {
				await docker(['create', '--name', leakName, busyImage]);
				await docker(['commit', '--change', 'LABEL dbarena.snapshot=true', leakName, snapshot]);
				await docker(['tag', busyImage, pulled]);
			},
			async () => {
				await docker(['rmi', snapshot, pulled]).catch(() => '');
				await removeLeak();
			},
		);
		expect(changed.filter(line => line.includes(snapshot))).toHaveLength(1);
		// The tag lands on an image already in the footprint: its line changes.
		expect(changed.filter(line => line.includes(pulled))).toHaveLength(1);
	});

	it('a listener left on a port the row named', async () => {
		const server: Server = createServer();
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as {port: number};
		await new Promise(resolve => server.close(resolve));
		const changed = await changedBy(
			['create', 'postgres', '--port', String(port), '--fast', '--durable'],
			async () => new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve)),
			async () => new Promise(resolve => server.close(resolve)),
		);
		expect(changed).toEqual(expect.arrayContaining([`- port ${port} free`, `+ port ${port} listening`]));
	});

	it('the container dbarena must not manage, stopped', async () => {
		const id = (await docker(['inspect', '--format', '{{.Id}}', targets.foreign])).trim();
		const changed = await changedBy(
			['stop', targets.foreign],
			async () => docker(['kill', targets.foreign]),
			async () => docker(['start', targets.foreign]),
		);
		expect(changed).toEqual(expect.arrayContaining([`- container ${targets.foreign} ${id} running`, `+ container ${targets.foreign} ${id} exited`]));
	});

	it('but an unrelated container and volume made meanwhile change nothing', async () => {
		const other = `badinput-other-${token}`;
		const changed = await changedBy(
			['create', 'postgres', '--name', leakName],
			async () => {
				await docker(['run', '-d', '--name', other, '--entrypoint', 'sleep', busyImage, '600']);
				await docker(['volume', 'create', `${other}-vol`]);
			},
			async () => {
				await docker(['rm', '-f', '-v', other]).catch(() => '');
				await docker(['volume', 'rm', `${other}-vol`]).catch(() => '');
			},
		);
		// Exactly nothing: a line here would be the whole-engine comparison this replaced.
		expect(changed).toEqual([]);
	});
});
