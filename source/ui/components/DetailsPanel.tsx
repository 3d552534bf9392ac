import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {selectSelectedEntry} from '../../store/selectors.js';
import {containerStatus} from '../../core/container-state.js';
import {dataOriginText, modeText} from '../../core/describe-container.js';
import type {ConnectionInfo, ManagedContainer} from '../../core/types.js';
import type {CdcView, VitalsView} from '../../store/state.js';
import {useDashboard} from '../hooks/use-dashboard.js';
import {Field} from './DetailField.js';
import {vitalsFields} from './vitals-fields.js';

export type DetailsPanelProps = {
	width: number;
	height: number;
};

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
 * Where the server listens, as seen from the engine's host. No URL: in a box of at most 64
 * columns it would be cut (no client accepts that) or wrapped with the border in a mouse
 * selection; UrlLine shows the selected one whole, under this panel.
 */
function hostText(connection: ConnectionInfo | undefined): string {
	if (!connection) return '- (no published port)';
	const address = `${connection.host}:${connection.port}`;
	return connection.onEngineHost ? `${address} on ${connection.onEngineHost}` : address;
}

/** Connection info and provenance of the selected container: what a user copies into a client. */
export function DetailsPanel({width, height}: DetailsPanelProps) {
	// The entry object only changes on lifecycle changes, not on stats samples.
	const entry = useDashboard(selectSelectedEntry);
	// Only written by the CDC poller, for the selected --cdc container.
	const cdc = useDashboard(state => state.cdc);
	// Only written by the vitals sampler, for the selected running database while this panel shows.
	const vitals = useDashboard(state => state.vitals);
	const lines = Math.max(0, height - 3);

	let body: ReactNode;
	if (entry) {
		const {container} = entry;
		const {connection} = container;
		const status = containerStatus(container, entry.health);
		const fixed = [
			<Field key="state" name="State" value={status.text} color={status.failed ? 'red' : status.word === 'healthy' ? 'green' : 'gray'} />,
			...(status.hint ? [<Field key="hint" name="" value={status.hint} color="yellow" wrap />] : []),
			<Field key="user" name="User" value={connection?.user ?? '-'} />,
			<Field key="password" name="Password" value={connection?.password ?? '-'} />,
			<Field key="database" name="Database" value={connection?.database ?? '-'} />,
			<Field key="host" name="Host" value={hostText(connection)} />,
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
