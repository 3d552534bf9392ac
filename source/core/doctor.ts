import {statfs} from 'node:fs/promises';
import {localImageId} from './docker/images.js';
import {canPull, engineFacts, type EngineFacts} from './docker/engine-info.js';
import type {EngineHandle} from './engine-handle.js';
import {DockerUnavailableError} from './errors.js';
import {formatBytes} from './format.js';
import {mirrorImage} from './image-ref.js';
import {portClaims} from './inventory.js';
import {isPortFree} from './ports.js';
import {certificatesSlowStart, nodeStart, type NodeStart} from './node-start.js';
import {portsAreLocal} from './engine-reach.js';
import {presetList} from './presets/catalog.js';
import {listSnapshots} from './snapshots.js';
import {listTemplates} from './templates.js';

/**
 * "Why doesn't it work?" in one place: each check says what it found, and when something is wrong
 * what to do about it. fail: dbarena cannot work (or every create will fail); warn: something a
 * user may trip over (an image not here yet, a default port taken); pass: fine.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail';
export type Check = {id: string; title: string; status: CheckStatus; detail: string; fix?: string};
export type DoctorReport = {
	engine: {address: string; foundBy: string; source: string; facts?: EngineFacts};
	checks: Check[];
	/** No engine answered: the other checks could not run. */
	engineUnavailable: boolean;
};

const gib = 1024 ** 3;
/** Within a second or two the clocks agree for every purpose we have (uptimes, log --since). */
const skewWarnMs = 2000;
const skewFailMs = 30_000;
const checkTimeoutMs = 8000;

async function withinTime<T>(work: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const limit = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(new Error(`${what}: no answer within ${checkTimeoutMs / 1000}s`));
		}, checkTimeoutMs);
	});
	try {
		return await Promise.race([work, limit]);
	} finally {
		clearTimeout(timer);
	}
}

/** What the checks read from this machine rather than from the engine; the unit tests give fake ones. */
export type DoctorProbes = {
	now?: () => number;
	nodeStart?: NodeStart;
	/** Bytes an unprivileged process may still write on the filesystem that holds this path. */
	freeBytes?: (path: string) => Promise<number>;
	/** Whether nothing listens on host:port. */
	portFree?: (port: number, host: string) => Promise<boolean>;
};

async function statfsFreeBytes(path: string): Promise<number> {
	const stats = await statfs(path);
	return stats.bavail * stats.bsize;
}

export async function runDoctor(handle: EngineHandle, options: DoctorProbes = {}): Promise<DoctorReport> {
	const now = options.now ?? Date.now;
	const {location} = handle;
	const engine = {address: location.address, foundBy: location.foundBy, source: location.source};
	let facts: EngineFacts;
	try {
		await handle.ensureEngine();
		facts = await engineFacts(handle.docker);
	} catch (error) {
		if (!(error instanceof DockerUnavailableError)) throw error;
		const fix =
			location.source === 'none'
				? `Start Docker or Podman; or point DOCKER_HOST (or DOCKER_CONTEXT) at your engine. Looked at: ${location.tried.join(', ')}.`
				: `Start the engine at ${location.address}, or point DOCKER_HOST (or DOCKER_CONTEXT) at the one you use.`;
		return {engine, engineUnavailable: true, checks: [{id: 'engine', title: 'Container engine', status: 'fail', detail: error.message, fix}]};
	}
	const checks: Check[] = [
		{
			id: 'engine',
			title: 'Container engine',
			status: 'pass',
			detail:
				`${facts.product} ${facts.version} (API ${facts.apiVersion}, ${facts.os}/${facts.arch}, ${facts.rootless ? 'rootless' : 'rootful'}) ` +
				`at ${location.address}, found by ${location.foundBy}`,
		},
	];
	const results = await Promise.all([
		guarded('registry', 'Registry mirror', registryCheck(handle)),
		imageChecks(handle),
		guarded('disk', diskTitle, diskCheck(handle, facts, options.freeBytes)),
		guarded('ports', portsTitle, portChecks(handle, options.portFree)),
		clockCheck(facts, now),
		guarded('stored', storedTitle, storedImagesCheck(handle)),
	]);
	for (const result of results) checks.push(...(Array.isArray(result) ? result : [result]));
	checks.push(nodeStartCheck(options.nodeStart ?? nodeStart(process.env)));
	return {engine: {...engine, facts}, engineUnavailable: false, checks};
}

/**
 * A check the engine (or this machine) answered with an error fails by itself, in the words of
 * that answer: the other checks still report, rather than the whole command ending in a raw error.
 */
async function guarded(id: string, title: string, work: Promise<Check>): Promise<Check> {
	try {
		return await work;
	} catch (error) {
		return {
			id,
			title,
			status: 'fail',
			// The engine gone meanwhile says so itself; anything else is the engine's answer.
			detail: `could not be checked: ${error instanceof DockerUnavailableError ? '' : 'the engine answered '}${(error as Error).message}`,
			fix: 'Run "dbarena doctor" again; if the engine answers the same, its own log says why (journalctl -u docker, or the Podman service\'s log).',
		};
	}
}

const diskTitle = "Disk space of the engine's data root";
const portsTitle = 'Default ports on 127.0.0.1';
const storedTitle = 'Templates and snapshots';

async function registryCheck(handle: EngineHandle): Promise<Check> {
	const registry = handle.settings.registry;
	const title = 'Registry mirror';
	if (!registry) return {id: 'registry', title, status: 'pass', detail: 'none set: images come from Docker Hub'};
	const host = registry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
	// The engine pulls, not this machine: for an engine on another host (127.0.0.1:5000 is then
	// that host's own) an answer from here would prove nothing. The image checks ask the engine.
	if (!portsAreLocal(handle.reach)) {
		return {
			id: 'registry',
			title,
			status: 'pass',
			detail: `not checked from this machine: the engine at ${handle.address} pulls from ${host} itself (see the image checks)`,
		};
	}
	// Registries on loopback speak plain HTTP (the engine allows it there); others HTTPS.
	const scheme = /^https?:\/\//.test(registry) ? registry.split(':')[0] : /^(127\.|localhost|\[::1\])/.test(host) ? 'http' : 'https';
	const url = `${scheme}://${host}/v2/`;
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(3000)});
		// 401 is a registry asking for credentials: it is there.
		if (response.ok || response.status === 401) return {id: 'registry', title, status: 'pass', detail: `${host} answers (${url})`};
		return {
			id: 'registry',
			title,
			status: 'fail',
			detail: `${url} answered HTTP ${response.status}`,
			fix: `Check DBARENA_REGISTRY (${registry}) names a registry.`,
		};
	} catch (error) {
		return {
			id: 'registry',
			title,
			status: 'fail',
			detail: `${url} does not answer (${(error as Error).message})`,
			fix: `Start the registry at ${host}, or change DBARENA_REGISTRY / "registry" in the config file.`,
		};
	}
}

async function imageChecks(handle: EngineHandle): Promise<Check[]> {
	return Promise.all(presetList.map(async preset => guarded(`image:${preset.kind}`, imageTitle(preset), imageCheck(handle, preset))));
}

function defaultVersion(preset: (typeof presetList)[number]) {
	return preset.versions.find(candidate => candidate.version === preset.defaultVersion) ?? preset.versions[0]!;
}

function imageTitle(preset: (typeof presetList)[number]): string {
	return `${preset.title} ${defaultVersion(preset).version} image`;
}

/** Whether a database's default image is here, or can be pulled by the first create. */
export async function imageCheck(handle: EngineHandle, preset: (typeof presetList)[number]): Promise<Check> {
	const image = mirrorImage(defaultVersion(preset).image, handle.settings.registry);
	const id = `image:${preset.kind}`;
	const title = imageTitle(preset);
	if ((await localImageId(handle.docker, image)) !== undefined) return {id, title, status: 'pass', detail: `${image} is here`};
	const pull = await withinTime(canPull(handle.docker, image), image).catch((error: unknown) => ({ok: false as const, reason: (error as Error).message}));
	// Podman has no way to ask a registry without pulling: not a pass, since the first create may
	// well fail on it; a pull now is how to know.
	if (pull === undefined) {
		return {
			id,
			title,
			status: 'warn',
			detail: `${image} is not here, and the engine cannot say whether it can pull it`,
			fix: `Pull it now to find out: "dbarena images pull ${preset.kind}" (the first create would pull it anyway).`,
		};
	}
	if (pull.ok) return {id, title, status: 'pass', detail: `${image} is not here yet; the registry has it (the first create pulls it)`};
	return {
		id,
		title,
		status: 'warn',
		detail: `${image} is not here and cannot be pulled: ${pull.reason}`,
		fix: `Creating ${preset.kind} will fail until it can. Check the registry (DBARENA_REGISTRY), your network, or load the image with "docker load".`,
	};
}

export async function diskCheck(handle: EngineHandle, facts: EngineFacts, freeBytes = statfsFreeBytes): Promise<Check> {
	const title = diskTitle;
	// Only a local engine's data root is on this machine's disks.
	if (!handle.address.startsWith('unix://') || !facts.dataRoot) {
		return {id: 'disk', title, status: 'pass', detail: `not checked: the engine's data root is not on this machine (${handle.address})`};
	}
	let free: number;
	try {
		free = await freeBytes(facts.dataRoot);
	} catch (error) {
		return {
			id: 'disk',
			title,
			status: 'pass',
			detail: `not checked: ${facts.dataRoot} is not readable here (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
		};
	}
	const detail = `${formatBytes(free)} free on ${facts.dataRoot}`;
	const fix = 'Free space: "dbarena templates prune", "dbarena images prune", "docker system prune".';
	if (free < 1 * gib) return {id: 'disk', title, status: 'fail', detail, fix};
	if (free < 5 * gib) return {id: 'disk', title, status: 'warn', detail, fix};
	return {id: 'disk', title, status: 'pass', detail};
}

export async function portChecks(handle: EngineHandle, portFree = isPortFree): Promise<Check> {
	const title = portsTitle;
	if (!handle.address.startsWith('unix://')) return {id: 'ports', title, status: 'pass', detail: 'not checked: the engine publishes ports on its own host'};
	// Ours only while a running container holds it: a stopped one claims its port (in a label) but
	// holds nothing, and another process on it is what keeps that container from starting.
	const ours = new Set<number>();
	const stoppedClaims = new Map<number, string[]>();
	for (const {port, running, name} of await portClaims(handle)) {
		if (running) ours.add(port);
		else stoppedClaims.set(port, [...(stoppedClaims.get(port) ?? []), name]);
	}
	const ports = [...new Set(presetList.map(preset => preset.containerPort))];
	const taken = (await Promise.all(ports.map(async port => ((await portFree(port, '127.0.0.1')) ? undefined : port)))).filter(
		(port): port is number => port !== undefined,
	);
	const byOthers = taken.filter(port => !ours.has(port));
	if (byOthers.length === 0) {
		const held = taken.length > 0 ? ` (${taken.join(', ')} held by dbarena containers)` : '';
		return {id: 'ports', title, status: 'pass', detail: `${ports.join(', ')} free or ours${held}`};
	}
	const blocked = byOthers.flatMap(port => (stoppedClaims.get(port) ?? []).map(name => ({port, name})));
	const fix = 'dbarena then picks the next free port and prints it; to keep the usual one, stop what listens there (ss -ltnp shows it).';
	if (blocked.length === 0) return {id: 'ports', title, status: 'warn', detail: `${byOthers.join(', ')} taken by another process`, fix};
	return {
		id: 'ports',
		title,
		status: 'warn',
		detail:
			`${byOthers.join(', ')} taken by another process; ` +
			blocked.map(({port, name}) => `the stopped dbarena container ${name} claims ${port} and cannot start until it is free`).join('; '),
		fix: `${fix} A stopped container keeps its port: free it before ${blocked.map(({name}) => `"dbarena start ${name}"`).join(', ')}.`,
	};
}

export function clockCheck(facts: EngineFacts, now: () => number): Check {
	const title = "Clock against the engine's";
	if (!facts.systemTime) return {id: 'clock', title, status: 'pass', detail: 'not checked: the engine does not report its time'};
	const skew = facts.systemTime.getTime() - now();
	const detail = `${skew >= 0 ? 'engine ahead' : 'engine behind'} by ${Math.abs(skew)} ms`;
	const fix = "Synchronise the clocks (timedatectl, or restart the VM your engine runs in): uptimes and `logs --follow` resumption use the engine's times.";
	if (Math.abs(skew) > skewFailMs) return {id: 'clock', title, status: 'fail', detail, fix};
	if (Math.abs(skew) > skewWarnMs) return {id: 'clock', title, status: 'warn', detail, fix};
	return {id: 'clock', title, status: 'pass', detail};
}

/** This process's own start: a NODE_EXTRA_CA_CERTS that slows every command is worth knowing of. */
export function nodeStartCheck(start: NodeStart): Check {
	const title = 'Node start';
	const took = `Node took ${Math.round(start.v8StartMs)} ms before it could run any code`;
	if (!certificatesSlowStart(start)) return {id: 'node-start', title, status: 'pass', detail: took};
	return {
		id: 'node-start',
		title,
		status: 'warn',
		detail: `${took}: NODE_EXTRA_CA_CERTS (${start.extraCaCerts}) makes Node 20 load every CA certificate first, and every dbarena command pays it`,
		fix:
			"dbarena itself needs no extra CA certificate, except for doctor's check of an https registry mirror signed by a private CA " +
			"(a TLS engine is verified with its context's own CA). Run it without: alias dbarena='env -u NODE_EXTRA_CA_CERTS dbarena'.",
	};
}

export async function storedImagesCheck(handle: EngineHandle): Promise<Check> {
	const [templates, snapshots] = await Promise.all([listTemplates(handle), listSnapshots(handle)]);
	const size = (items: Array<{sizeBytes: number}>) => formatBytes(items.reduce((sum, item) => sum + item.sizeBytes, 0));
	const stale = templates.filter(template => template.stale).length;
	const detail =
		`${templates.length} template${templates.length === 1 ? '' : 's'} (${size(templates)})${stale > 0 ? `, ${stale} stale` : ''}; ` +
		`${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'} (${size(snapshots)})`;
	if (stale > 0) return {id: 'stored', title: storedTitle, status: 'warn', detail, fix: 'Remove stale templates: "dbarena templates prune --stale --yes".'};
	return {id: 'stored', title: storedTitle, status: 'pass', detail};
}
