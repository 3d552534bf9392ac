import {existsSync, readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {ensureTemplate, errorText, type BenchCase} from '../lib/case.js';
import {now, sleep} from '../lib/clock.js';
import {cliPath, repoRoot} from '../lib/dbarena.js';
import {docker} from '../lib/docker.js';
import {runChecked, runProcess} from '../lib/proc.js';
import {Collector} from '../lib/results.js';
import {discard, namePrefix, session} from '../lib/session.js';
import {registry, targets} from '../lib/targets.js';
import {dbarenaCreate} from '../lib/tools/dbarena.js';

/** Shorter windows and fewer databases when the machine is shared: BENCH_DASHBOARD_WINDOW_S, BENCH_DASHBOARD_DBS. */
const windowMs = Number(process.env['BENCH_DASHBOARD_WINDOW_S'] ?? 30) * 1000;
const containerCount = Number(process.env['BENCH_DASHBOARD_DBS'] ?? 30);

export const dashboardLabel = {
	cpu: 'dashboard CPU while idle (% of one core, per 30 s window)',
	rss: 'dashboard RSS (highest 1 s sample in the window)',
	rssGrowth: 'dashboard RSS growth within the window (last − first sample)',
	youngCpu: 'dashboard CPU, containers in their first minute (uptime drawn every second)',
	youngRss: 'dashboard RSS, containers in their first minute',
	engine: 'engine (dockerd) CPU while the dashboard is idle (% of one core)',
	engineBaseline: 'engine (dockerd) CPU with the dashboard closed (% of one core)',
	engineCaused: 'engine CPU the dashboard causes (idle minus closed, % of one core)',
	total: 'dashboard CPU + the engine CPU it causes (% of one core)',
	vitalsOffCpu: 'dashboard CPU with the details (and vitals) hidden (% of one core)',
	vitalsOffEngine: 'engine (dockerd) CPU with the details (and vitals) hidden (% of one core)',
	sockets: "dashboard's open sockets (engine streams and SQL sessions) at the window's end",
} as const;

/** The uptime column shows seconds during a container's first minute, then minutes. */
const firstMinuteMs = 60_000;

function cpuTicks(pid: number): number {
	// Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

function rssKiB(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
}

type WindowSample = {
	cpuPercent: number;
	rssMaxKiB: number;
	rssFirstKiB: number;
	rssLastKiB: number;
	seconds: number;
	enginePercent?: number;
	/** Open sockets at the window's end: the engine's event stream, one per stats stream, and any SQL session. */
	sockets: number;
};

/** The process's open sockets: on a busy machine a steadier sign of the streams it holds than CPU. */
function socketCount(pid: number): number {
	let count = 0;
	for (const fd of readdirSync(`/proc/${pid}/fd`)) {
		try {
			if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) count++;
		} catch {
			// Closed between the listing and the look.
		}
	}
	return count;
}

/**
 * The engine's daemon, to charge it with the stats streams it serves the dashboard (issue 19: 30
 * streams cost dockerd 2.35 % of a core). Undefined when it is not a process here (remote, Podman).
 */
async function enginePid(): Promise<number | undefined> {
	const found = await runProcess('pgrep', ['-xo', 'dockerd']);
	const pid = Number(found.stdout.trim());
	return pid > 0 && existsSync(`/proc/${pid}/stat`) ? pid : undefined;
}

/** CPU over one window from utime + stime, and RSS each second; throws when the process is gone. */
async function sampleWindow(pid: number, clockTicks: number, engine?: number): Promise<WindowSample> {
	const t0 = now();
	const ticks0 = cpuTicks(pid);
	const engineTicks0 = engine === undefined ? 0 : cpuTicks(engine);
	const rssFirstKiB = rssKiB(pid);
	let rssLastKiB = rssFirstKiB;
	let rssMaxKiB = rssFirstKiB;
	while (now() - t0 < windowMs) {
		await sleep(1000);
		rssLastKiB = rssKiB(pid);
		rssMaxKiB = Math.max(rssMaxKiB, rssLastKiB);
	}
	const seconds = (now() - t0) / 1000;
	const percent = (ticks: number) => (ticks / clockTicks / seconds) * 100;
	return {
		cpuPercent: percent(cpuTicks(pid) - ticks0),
		rssMaxKiB,
		rssFirstKiB,
		rssLastKiB,
		seconds,
		sockets: socketCount(pid),
		...(engine === undefined ? {} : {enginePercent: percent(cpuTicks(engine) - engineTicks0)}),
	};
}

/** The engine's CPU over one window with no dashboard running: what others' work costs it meanwhile. */
async function engineWindow(engine: number, clockTicks: number): Promise<number> {
	const t0 = now();
	const ticks0 = cpuTicks(engine);
	await sleep(windowMs);
	return ((cpuTicks(engine) - ticks0) / clockTicks / ((now() - t0) / 1000)) * 100;
}

async function tmux(args: string[]): Promise<string> {
	return (await runChecked('tmux', args, {timeoutMs: 10_000})).stdout;
}

/**
 * The dashboard (`dbarena` with no command) in a 120×40 tmux pane with 30 containers of ours
 * (filtered to them, so others' containers on the engine do not change the picture), left alone:
 * CPU from /proc/<pid>/stat (utime + stime) over 30 s windows, RSS sampled each second, and the
 * engine daemon's CPU over the same windows and over one window before the dashboard started.
 * First with the details panel shown (the selected database's vitals are sampled), then hidden.
 */
export const dashboardIdle: BenchCase = {
	id: 'dashboard',
	title: 'Idle dashboard cost',
	async run({runs, log}) {
		await ensureTemplate(targets.pg);
		const made: string[] = [];
		const tmuxSession = `dbb-${session}-dash`;
		const raw: Record<string, unknown> = {};
		try {
			for (let index = 0; index < containerCount; index++) {
				log(`dashboard: creating container ${index + 1}/${containerCount}`);
				made.push((await dbarenaCreate(targets.pg, {fresh: false})).container);
			}
			const lastCreated = now();
			const clockTicks = Number((await runChecked('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
			const engine = await enginePid();
			const collector = new Collector();
			if (engine !== undefined) {
				log(`dashboard: engine CPU with the dashboard closed (${windowMs / 1000} s)`);
				const closed = await engineWindow(engine, clockTicks);
				raw['engineClosed'] = closed;
				collector.add(dashboardLabel.engineBaseline, '%', closed);
			}
			await tmux([
				'new-session',
				'-d',
				'-s',
				tmuxSession,
				'-x',
				'120',
				'-y',
				'40',
				'-e',
				`DBARENA_REGISTRY=${registry}`,
				'-c',
				repoRoot,
				`exec ${process.execPath} ${process.env['BENCH_DASHBOARD_CLI'] ?? cliPath}`,
			]);
			// Keep the pane after the process ends, so a crash leaves its last screen to read.
			await tmux(['set-option', '-t', tmuxSession, 'remain-on-exit', 'on']).catch(() => '');
			const pid = Number((await tmux(['display-message', '-p', '-t', tmuxSession, '#{pane_pid}'])).trim());
			const died = async (when: string): Promise<string> => {
				const status = (await tmux(['display-message', '-p', '-t', tmuxSession, '#{pane_dead_status}']).catch(() => '?')).trim();
				const screen = (await tmux(['capture-pane', '-p', '-t', tmuxSession]).catch(() => '')).trim();
				raw['paneAtExit'] = screen;
				return `the dashboard process exited ${when} (exit status ${status || '?'}); its last screen:\n${screen
					.split('\n')
					.filter(line => line.trim())
					.slice(-12)
					.join('\n')}`;
			};
			// Wait until its table is drawn with rows in it (others' containers are listed too, so ours may be
			// below the fold), then let it settle.
			const drawn = (text: string) => /NAME/.test(text) && /DATABASE/.test(text) && /(postgres|mariadb|mysql)\s+\d/.test(text);
			const deadline = now() + 20_000;
			let pane = '';
			while (now() < deadline) {
				pane = await tmux(['capture-pane', '-p', '-t', tmuxSession]).catch(() => '');
				if (drawn(pane)) break;
				await sleep(250);
			}
			raw['paneAtStart'] = pane;
			// Only our containers: others' on a shared engine would change how many rows there are.
			// Each key once the screen shows the last one took: typed ahead, the name's letters would be keys.
			const until = async (what: string, seen: (text: string) => boolean) => {
				const limit = now() + 10_000;
				while (now() < limit) {
					if (seen(await tmux(['capture-pane', '-p', '-t', tmuxSession]).catch(() => ''))) return;
					await sleep(200);
				}
				throw new Error(`the dashboard did not show ${what} within 10 s`);
			};
			await tmux(['send-keys', '-t', tmuxSession, '/']);
			await until('the filter prompt', text => text.includes('enter keeps the filter'));
			await tmux(['send-keys', '-t', tmuxSession, '-l', namePrefix]);
			await until('the filter typed', text => text.includes(`/ ${namePrefix}`));
			await tmux(['send-keys', '-t', tmuxSession, 'Enter']);
			await until('only our rows', text => !text.includes('enter keeps the filter') && text.includes(namePrefix));
			if (!existsSync(`/proc/${pid}`)) return {tables: [], notes: [], raw, skipped: await died('while starting')};
			if (!drawn(pane)) {
				return {tables: [], notes: [], raw, skipped: `the dashboard did not draw its container table within 20 s; pane:\n${pane.trim().slice(0, 600)}`};
			}
			// Its first readiness probes and stats subscriptions for every container happen at start-up; idle comes after.
			await sleep(10_000);
			if (!existsSync(`/proc/${pid}`)) return {tables: [], notes: [], raw, skipped: await died('before the first window')};
			const managed = await docker.listContainers({filters: {label: ['dbarena.managed=true']}});
			raw['threads'] = /^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
			raw['managedRunning'] = managed.length;
			const windows: WindowSample[] = [];
			// One window while the newest containers are younger than a minute: what a user sees just
			// after creating them. Then idle proper, once every uptime is shown in minutes.
			if (now() - lastCreated + windowMs < firstMinuteMs) {
				log('dashboard: window with containers in their first minute (30 s)');
				const young = await sampleWindow(pid, clockTicks);
				raw['youngWindow'] = young;
				collector.add(dashboardLabel.youngCpu, '%', young.cpuPercent);
				collector.add(dashboardLabel.youngRss, 'MiB', young.rssMaxKiB / 1024);
			}
			const settle = lastCreated + firstMinuteMs + 5000 - now();
			if (settle > 0) await sleep(settle);
			if (!existsSync(`/proc/${pid}`)) return {tables: [], notes: [], raw, skipped: await died('before the idle windows')};
			const closed = collector.median(dashboardLabel.engineBaseline) ?? 0;
			// Details shown (vitals sampled for the selected database), then hidden (enter toggles them).
			for (const details of [true, false]) {
				if (!details) {
					await tmux(['send-keys', '-t', tmuxSession, 'Enter']);
					await until('the details hidden', text => !text.includes('Details ·'));
				}
				for (let run = 0; run < runs; run++) {
					log(`dashboard: window ${run + 1}/${runs} (${windowMs / 1000} s), details ${details ? 'shown' : 'hidden'}`);
					let sample: WindowSample;
					try {
						sample = await sampleWindow(pid, clockTicks, engine);
					} catch (error) {
						// /proc/<pid> vanished: the process ended during the window.
						if (!existsSync(`/proc/${pid}`)) return {tables: [], notes: [], raw: {...raw, windows}, skipped: await died(`during window ${run + 1}`)};
						throw error;
					}
					windows.push(sample);
					if (!details) {
						collector.add(dashboardLabel.vitalsOffCpu, '%', sample.cpuPercent);
						collector.add(dashboardLabel.vitalsOffEngine, '%', sample.enginePercent);
						continue;
					}
					collector.add(dashboardLabel.cpu, '%', sample.cpuPercent);
					collector.add(dashboardLabel.rss, 'MiB', sample.rssMaxKiB / 1024);
					collector.add(dashboardLabel.rssGrowth, 'MiB', (sample.rssLastKiB - sample.rssFirstKiB) / 1024);
					collector.add(dashboardLabel.sockets, 'count', sample.sockets);
					if (sample.enginePercent === undefined) continue;
					collector.add(dashboardLabel.engine, '%', sample.enginePercent);
					// Others' work on a shared engine is charged to nobody: the closed window's figure is taken off.
					const caused = Math.max(0, sample.enginePercent - closed);
					collector.add(dashboardLabel.engineCaused, '%', caused);
					collector.add(dashboardLabel.total, '%', sample.cpuPercent + caused);
				}
			}
			raw['windows'] = windows;
			raw['paneAtEnd'] = await tmux(['capture-pane', '-p', '-t', tmuxSession]).catch(() => '');
			return {
				tables: [
					collector.table(
						`Idle dashboard (tmux 120×40, ${made.length} containers of ours, ${windowMs / 1000} s windows)`,
						Object.values(dashboardLabel),
						[],
						[
							`The dashboard was filtered to our ${made.length} containers (${managed.length} managed containers were running on the engine in all).`,
							'The engine figures are its daemon process (dockerd) only; the closed window is taken before the dashboard starts.',
							'Idle windows start once every container is older than a minute; the first-minute window is taken before that.',
						],
					),
				],
				notes: [],
				raw,
			};
		} catch (error) {
			raw['error'] = errorText(error);
			throw error;
		} finally {
			await runProcess('tmux', ['kill-session', '-t', tmuxSession]);
			for (const name of made) await discard(name);
		}
	},
};
