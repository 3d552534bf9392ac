import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {selectSelectedEntry} from '../../store/selectors.js';
import {containerStatus} from '../../core/container-state.js';
import {dataOriginText, modeText} from '../../core/describe-container.js';
import type {ConnectionInfo, Health, ManagedContainer} from '../../core/types.js';
import type {CdcView, ForwardView, VitalsView} from '../../store/state.js';
import {useDashboard} from '../hooks/use-dashboard.js';
import {Field, labelWidth} from './DetailField.js';
import {vitalsFields} from './vitals-fields.js';

export type DetailsPanelProps = {
	width: number;
	height: number;
};

/** The box's border and padding on both sides. */
const chrome = 4;

/** The CDC login, then (while it runs) what the server says about its settings and slots. */
function cdcFields(container: ManagedContainer, view: CdcView | undefined, vitals: VitalsView | undefined) {
	const {cdc} = container;
	if (!cdc) return [];
	const login = `user ${cdc.user} · password ${cdc.password}${cdc.publication ? ` · publication ${cdc.publication}` : ''}`;
	const fields = [<Field key="cdc" name="CDC" value={login} />];
	if (container.state !== 'running') return fields;
	if (view?.containerId !== container.id) {
		fields.push(<Field key="cdc-server" name="CDC now" value="reading the server's settings…" color="gray" />);
		return fields;
	}
	if (view.status === undefined) {
		fields.push(<Field key="cdc-server" name="CDC now" value={`unknown: ${view.error ?? 'no answer'}`} color="red" />);
		return fields;
	}
	const {ready, settings, slots} = view.status;
	const values = Object.entries(settings)
		.map(([name, value]) => `${name}=${value}`)
		.join(' ');
	fields.push(<Field key="cdc-server" name="CDC now" value={`${ready ? 'ready' : 'NOT ready'} · ${values}`} color={ready ? 'green' : 'red'} wrap />);
	// The vitals list the same slots with the WAL they hold; once they are on screen, once is enough.
	if (slots && !(vitals?.containerId === container.id && vitals.vitals?.slots)) {
		if (slots.length === 0) fields.push(<Field key="slot-none" name="Slots" value="none yet (a connector creates one)" />);
		for (const [index, slot] of slots.entries()) {
			const lag = slot.lagBytes === null ? 'lag -' : `lag ${slot.lagBytes} B`;
			fields.push(
				<Field
					key={`slot-${slot.name}`}
					name={index === 0 ? 'Slots' : ''}
					value={`${slot.name} ${slot.plugin} ${slot.active ? 'active' : 'inactive'} ${lag}`}
				/>,
			);
		}
	}
	return fields;
}

/**
 * The URL is what gets copied, so it wraps rather than losing its end. A database on a remote
 * engine's host has two: the local one of the forward the dashboard keeps, which works here, and
 * the one on that host.
 */
/**
 * A URL on one line, whole or visibly cut: wrapped inside the box, a mouse selection would copy
 * the border and padding with it. y copies it whole, u shows it whole in the status line.
 */
function urlLine(key: string, name: string, url: string, room: number) {
	if (url.length <= room) return [<Field key={key} name={name} value={url} color="cyan" />];
	return [
		<Field key={key} name={name} value={`${url.slice(0, Math.max(0, room - 1))}…`} color="cyan" />,
		<Field key={`${key}-hint`} name="" value="y copies it · u shows it whole" color="gray" />,
	];
}

function urlFields(connection: ConnectionInfo | undefined, forward: ForwardView | undefined, health: Health, width: number) {
	const room = width - chrome - labelWidth;
	if (!connection) return [<Field key="url" name="URL" value="(no published port)" color="cyan" />];
	if (!connection.onEngineHost) return urlLine('url', 'URL', connection.url, room);
	const local = forward?.url
		? urlLine('local', 'Local URL', forward.url, room)
		: forward?.error
			? [<Field key="local" name="Local URL" value={`no forward: ${forward.error}`} color="red" />]
			: [<Field key="local" name="Local URL" value={health === 'healthy' ? 'opening a forward…' : 'a forward opens once it is healthy'} color="gray" />];
	return [...local, <Field key="url" name="On host" value={`${connection.url} (${connection.onEngineHost})`} />];
}

/** Connection info and provenance of the selected container: what a user copies into a client. */
export function DetailsPanel({width, height}: DetailsPanelProps) {
	// The entry object only changes on lifecycle changes, not on stats samples.
	const entry = useDashboard(selectSelectedEntry);
	// Only written by the CDC poller, for the selected --cdc container.
	const cdc = useDashboard(state => state.cdc);
	// Only written by the vitals sampler, for the selected running database while this panel shows.
	const vitals = useDashboard(state => state.vitals);
	// Only written for databases on a remote engine's host, once a forward to them is open.
	const forward = useDashboard(state => (entry ? state.forwards[entry.container.id] : undefined));
	const lines = Math.max(0, height - 3);

	let body: ReactNode;
	if (entry) {
		const {container} = entry;
		const {connection} = container;
		const status = containerStatus(container, entry.health);
		const fixed = [
			<Field key="state" name="State" value={status.text} color={status.failed ? 'red' : status.word === 'healthy' ? 'green' : 'gray'} />,
			...(status.hint ? [<Field key="hint" name="" value={status.hint} color="yellow" wrap />] : []),
			...urlFields(connection, forward, entry.health, width),
			<Field key="user" name="User" value={connection?.user ?? '-'} />,
			<Field key="password" name="Password" value={connection?.password ?? '-'} />,
			<Field key="database" name="Database" value={connection?.database ?? '-'} />,
			<Field key="host" name="Host" value={connection ? `${connection.host}:${connection.port}` : '-'} />,
			<Field key="image" name="Image" value={container.image} />,
			<Field key="mode" name="Mode" value={modeText(container.mode)} />,
			<Field key="origin" name="Data from" value={dataOriginText(container)} />,
			<Field key="volume" name="Volume" value={container.volume ?? '- (data goes with the container)'} />,
			<Field key="id" name="ID" value={container.id.slice(0, 12)} />,
		];
		const labels = Object.entries(container.labels).sort(([a], [b]) => a.localeCompare(b));
		const labelLines = labels.map(([key, value], index) => <Field key={`label-${key}`} name={index === 0 ? 'Labels' : ''} value={`${key}=${value}`} />);
		body = [...fixed, ...vitalsFields(container, vitals), ...cdcFields(container, cdc, vitals), ...labelLines].slice(0, lines);
	} else {
		body = [
			<Text key="none" dimColor>
				No container selected.
			</Text>,
		];
	}

	return (
		<Box flexDirection="column" borderStyle="round" borderColor="gray" width={width} height={height} flexShrink={0} paddingX={1} overflowY="hidden">
			{/* Not shrinkable: when the fields overflow, they are cut at the bottom, not the title. */}
			<Box flexShrink={0}>
				<Text bold wrap="truncate-end">
					{entry ? `Details · ${entry.container.name}` : 'Details'}
				</Text>
			</Box>
			{body}
		</Box>
	);
}
