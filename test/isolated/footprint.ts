import {connect} from 'node:net';
import Docker from 'dockerode';
import {docker, registry} from '../helpers/docker.js';

/**
 * What a bad-input row could have touched, to compare before and after it. Not the whole engine:
 * on a developer's machine or a shared CI host other containers come and go meanwhile, and a row
 * must not fail because of them. Covered:
 *  - every container (stopped too), volume and image carrying a `dbarena.` label: dbarena labels
 *    all it makes (source/core/labels.ts), whatever name it picks, and the test's own targets
 *    carry `dbarena.test`;
 *  - every container and volume named by an argument of the row, and the `<name>-data` volume
 *    dbarena would make for it, labelled or not;
 *  - the images dbarena pulls, which carry no label of dbarena's: anything tagged under the
 *    registry the tests pull from;
 *  - every host port the row named: whether something listens there, and which container publishes it.
 *    A port a Podman container publishes counts as free: the podman project runs beside these
 *    tests, and Podman's conmon holds its databases' ports on this host (CI saw 5432 go from free
 *    to listening during a row dbarena refused).
 * Another dbarena run on the same engine meanwhile (a second test run) still shows here: its
 * objects are dbarena's too, and nothing in the engine's state says which process made them.
 */
export async function footprint(args: string[]): Promise<string[]> {
	const names = namesIn(args);
	const ports = portsIn(args);
	const podman = await podmanPorts();
	const [containers, {Volumes: volumes}, images, listeners] = await Promise.all([
		docker.listContainers({all: true}),
		docker.listVolumes(),
		docker.listImages(),
		Promise.all(ports.map(async port => `port ${port} ${(await listening(port)) && !podman.has(port) ? 'listening' : 'free'}`)),
	]);
	return [
		...containers
			.filter(
				({Labels, Names, Ports}) =>
					dbarenaLabelled(Labels) || Names.some(name => names.has(name.slice(1))) || Ports.some(({PublicPort}) => ports.includes(PublicPort)),
			)
			.map(({Names, Id, State}) => `container ${Names.map(name => name.slice(1)).join(',')} ${Id} ${State}`),
		...(volumes ?? []).filter(({Labels, Name}) => dbarenaLabelled(Labels) || names.has(Name)).map(({Name}) => `volume ${Name}`),
		...images
			.filter(({Labels, RepoTags}) => dbarenaLabelled(Labels) || (RepoTags ?? []).some(tag => tag.startsWith(`${registry}/`)))
			.map(({Id, RepoTags}) => `image ${Id} ${[...(RepoTags ?? [])].sort().join(',')}`),
		...listeners,
	].sort();
}

/**
 * The test environment labels its fixture images `dbarena.fixture*` (scripts/fixtures-build.sh), and
 * every container run from one inherits that: it says nothing about dbarena, so it does not count.
 */
function dbarenaLabelled(labels: Record<string, string> | null | undefined): boolean {
	return Object.keys(labels ?? {}).some(key => key.startsWith('dbarena.') && key !== 'dbarena.fixture' && !key.startsWith('dbarena.fixture.'));
}

/** Docker's own rule for container and volume names; anything else cannot name one. */
const dockerName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Every argument that could name a container or volume, and the volume dbarena would name after it. */
export function namesIn(args: string[]): Set<string> {
	return new Set(args.filter(arg => dockerName.test(arg)).flatMap(name => [name, `${name}-data`]));
}

/** The host ports a row named: `--port N` and the port of a `--bind host:port` (as `--flag value` or `--flag=value`). */
export function portsIn(args: string[]): number[] {
	const values = (flag: string) =>
		args.flatMap((arg, index) => (args[index - 1] === flag ? [arg] : arg.startsWith(`${flag}=`) ? [arg.slice(flag.length + 1)] : []));
	const named = [...values('--port'), ...values('--bind').map(bind => /:(\d+)$/.exec(bind)?.[1] ?? '')];
	const ports = named.filter(value => /^\d+$/.test(value)).map(Number);
	return [...new Set(ports.filter(port => port > 0 && port < 65536))].sort((a, b) => a - b);
}

/** The host ports Podman's containers publish, when the podman project runs beside (npm test sets DBARENA_PODMAN_HOST). */
async function podmanPorts(): Promise<Set<number>> {
	const host = process.env['DBARENA_PODMAN_HOST'];
	if (!host?.startsWith('unix://')) return new Set();
	const podman = new Docker({socketPath: host.slice('unix://'.length)});
	const containers = await podman.listContainers().catch(() => []);
	return new Set(containers.flatMap(container => (container.Ports ?? []).flatMap(port => (port.PublicPort ? [port.PublicPort] : []))));
}

/** Something accepts connections on the port (a published container port, or any server). */
async function listening(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = connect({host: '127.0.0.1', port});
		const done = (answer: boolean) => {
			socket.destroy();
			resolve(answer);
		};
		socket.setTimeout(2000, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}
