import {spawn} from 'node:child_process';
import {errorText, ensureImage, type BenchCase} from '../lib/case.js';
import {dbarena} from '../lib/dbarena.js';
import {docker, imageId} from '../lib/docker.js';
import {freePort} from '../lib/ports.js';
import {loginSoon} from '../lib/prober.js';
import {runChecked, type Line} from '../lib/proc.js';
import {Collector} from '../lib/results.js';
import {containerName, discard, labels} from '../lib/session.js';
import {defaultConn, registry, target} from '../lib/targets.js';

const pg = target('pg', 'PostgreSQL 17', 'postgres', '17');
/** A one-layer copy of the PostgreSQL 17 fixture, kept in the local registry for this case. */
const coldImage = `${registry}/dbarena-bench/postgres:17-flat`;

/** Pipe `docker export` of a container into `docker import`, so the copy shares no layer with anything local. */
async function exportImport(container: string, reference: string, changes: string[]): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const exporter = spawn('docker', ['export', container], {stdio: ['ignore', 'pipe', 'inherit']});
		const importer = spawn('docker', ['import', ...changes.flatMap(change => ['--change', change]), '-', reference], {stdio: ['pipe', 'ignore', 'inherit']});
		exporter.stdout.pipe(importer.stdin);
		let failed = false;
		const fail = (error: Error) => {
			failed = true;
			reject(error);
		};
		exporter.on('error', fail);
		importer.on('error', fail);
		exporter.on('close', code => {
			if (code !== 0) fail(new Error(`docker export exited ${code}`));
		});
		importer.on('close', code => {
			if (failed) return;
			if (code === 0) resolve();
			else reject(new Error(`docker import exited ${code}`));
		});
	});
}

async function registryHas(reference: string): Promise<boolean> {
	const [repository, tag] = reference.slice(registry.length + 1).split(':') as [string, string];
	const response = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
		method: 'HEAD',
		headers: {accept: 'application/vnd.docker.distribution.manifest.v2+json'},
	}).catch(() => undefined);
	return response?.ok ?? false;
}

/**
 * Every layer of the preset images is shared with other images on this machine (the fixtures'
 * Debian base, and fixture builds of other revisions hold the server binaries), so removing the
 * preset tag would leave almost nothing to pull. A flattened copy (one layer, 420+ MB, the same
 * entrypoint and settings) is really absent once its tag is removed: a complete cold pull.
 */
async function prepareColdImage(log: (line: string) => void): Promise<string> {
	if (await registryHas(coldImage)) return 'present in the local registry';
	log(`cold: building ${coldImage} (a one-layer copy of ${pg.image}) and pushing it to the local registry`);
	await ensureImage(pg);
	const info = await docker.getImage(pg.image).inspect();
	const config = info.Config;
	const changes = [
		...(config.Env ?? []).map(entry => `ENV ${entry.slice(0, entry.indexOf('='))}=${JSON.stringify(entry.slice(entry.indexOf('=') + 1))}`),
		...(config.Entrypoint ? [`ENTRYPOINT ${JSON.stringify(config.Entrypoint)}`] : []),
		...(config.Cmd ? [`CMD ${JSON.stringify(config.Cmd)}`] : []),
		...Object.keys(config.Volumes ?? {}).map(volume => `VOLUME ${JSON.stringify([volume])}`),
		...Object.keys(config.ExposedPorts ?? {}).map(port => `EXPOSE ${port}`),
		...Object.entries(labels).map(([key, value]) => `LABEL ${key}=${value}`),
	];
	const source = containerName('pg-cold-source');
	await runChecked('docker', ['create', '--name', source, ...Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]), pg.image]);
	try {
		await exportImport(source, coldImage, changes);
	} finally {
		await discard(source);
	}
	await runChecked('docker', ['push', '-q', coldImage], {timeoutMs: 600_000});
	return 'built and pushed now';
}

/** Remove the local copy; true when it is really gone. */
async function removeLocal(): Promise<boolean> {
	const id = await imageId(coldImage);
	if (!id) return true;
	await docker
		.getImage(coldImage)
		.remove()
		.catch(() => {});
	return (await imageId(id)) === undefined;
}

const at = (lines: Line[], pattern: RegExp) => lines.find(line => pattern.test(line.text));

export const coldLabel = {
	total: 'dbarena create, image not local (command → host login)',
	beforePull: 'dbarena: command start → "pulling…" line',
	pullPrinted: 'dbarena: pull, as dbarena prints it',
	pullLines: 'dbarena: pull, "pulling…" line → "pulled" line',
	afterPull: 'dbarena: "pulled" line → host login (create, start, first-start init)',
	dockerPull: 'docker pull alone (same image, same registry)',
} as const;

export const coldStart: BenchCase = {
	id: 'cold',
	title: 'Cold start (image pulled from the local registry)',
	async run({runs, log}) {
		const prepared = await prepareColdImage(log);
		const collector = new Collector();
		const raw: Array<Record<string, unknown>> = [];
		try {
			for (let run = 0; run < runs; run++) {
				for (const step of run % 2 === 0 ? ['dbarena', 'docker pull'] : ['docker pull', 'dbarena']) {
					log(`cold: run ${run + 1}/${runs} ${step}`);
					const entry: Record<string, unknown> = {run, step};
					raw.push(entry);
					try {
						if (!(await removeLocal())) throw new Error(`${coldImage} could not be removed locally (in use?)`);
						if (step === 'docker pull') {
							const pull = await runChecked('docker', ['pull', '-q', coldImage], {timeoutMs: 600_000});
							entry['ms'] = pull.tExit - pull.t0;
							collector.add(coldLabel.dockerPull, 'ms', pull.tExit - pull.t0);
							continue;
						}
						const port = await freePort();
						const name = containerName('pg-cold');
						try {
							// --image: used as given (no mirror, no template), so the pull is the whole image.
							const result = await dbarena(['create', 'postgres', '--version', pg.version, '--image', coldImage, '--name', name, '--port', String(port)], {
								timeoutMs: 600_000,
							});
							if (result.code !== 0) throw new Error(`dbarena exited ${result.code}: ${result.stderr.trim()}`);
							const login = await loginSoon(pg.client, defaultConn(pg, port));
							const pulling = at(result.lines, /not cached, pulling/);
							const pulled = at(result.lines, /pulled \(/);
							const printed = /pulled \((\d+(?:\.\d+)?)s\)/.exec(pulled?.text ?? '');
							if (!pulled) throw new Error(`dbarena did not pull: ${result.stdout.split('\n')[0] ?? ''}`);
							Object.assign(entry, {
								total: login.t - result.t0,
								pullPrintedMs: printed ? Number(printed[1]) * 1000 : undefined,
								lines: result.lines.map(line => ({t: Math.round(line.t - result.t0), text: line.text})),
							});
							collector.add(coldLabel.total, 'ms', login.t - result.t0);
							collector.add(coldLabel.beforePull, 'ms', pulling ? pulling.t - result.t0 : undefined);
							collector.add(coldLabel.pullPrinted, 'ms', printed ? Number(printed[1]) * 1000 : undefined);
							collector.add(coldLabel.pullLines, 'ms', pulling ? pulled.t - pulling.t : undefined);
							collector.add(coldLabel.afterPull, 'ms', login.t - pulled.t);
						} finally {
							await discard(name);
						}
					} catch (error) {
						entry['error'] = errorText(error);
						log(`  failed: ${errorText(error)}`);
					}
				}
			}
		} finally {
			await removeLocal();
		}
		const size = await sizeInRegistry();
		return {
			tables: [
				collector.table(
					`Cold start — ${pg.title}, nothing of the image local (${coldImage})`,
					Object.values(coldLabel),
					[coldLabel.dockerPull],
					[
						`The image is a one-layer copy of the PostgreSQL 17 fixture (${size}), ` +
							'because every layer of the preset images is shared with other images here and would not be pulled. ' +
							'--image means no template: the create initialises afresh.',
						"dbarena prints its pull time with 0.1 s resolution; the line times are the bench's own (ms).",
					],
				),
			],
			notes: [`Cold image: ${prepared}.`],
			raw: {image: coldImage, prepared, runs: raw},
		};
	},
};

async function sizeInRegistry(): Promise<string> {
	const [repository, tag] = coldImage.slice(registry.length + 1).split(':') as [string, string];
	try {
		const response = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
			headers: {accept: 'application/vnd.docker.distribution.manifest.v2+json'},
		});
		const manifest = (await response.json()) as {layers?: Array<{size: number}>};
		const bytes = (manifest.layers ?? []).reduce((sum, layer) => sum + layer.size, 0);
		return `${(bytes / 1024 / 1024).toFixed(0)} MiB compressed in ${manifest.layers?.length ?? '?'} layer(s)`;
	} catch {
		return 'size unknown';
	}
}
