import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {selectSelectedEntry, selectUrlFromHere} from '../../store/selectors.js';
import {useDashboard} from '../hooks/use-dashboard.js';
import {labelWidth} from './DetailField.js';

/** Under the details' border and padding, so the label and the value line up with the fields above. */
const indent = '  ';
const hint = 'y copies it';
const cutHint = ' y copies it whole';

export type FittedUrl = {label?: string; url: string; hint?: string};

/**
 * The URL on a line of `width` columns: whole whenever it fits at all (the label goes first, then
 * the hint), so a mouse selection of it is a URL a client accepts. Only a terminal narrower than
 * the URL cuts it, visibly, and then y is the way to get it.
 */
export function fitUrl(label: string, url: string, width: number): FittedUrl {
	const labelled = indent.length + labelWidth + url.length;
	if (labelled <= width) return {label, url, ...(labelled + 2 + hint.length <= width ? {hint: `  ${hint}`} : {})};
	if (url.length <= width) return {url};
	return {url: `${url.slice(0, Math.max(0, width - cutHint.length - 1))}…`, hint: cutHint};
}

function Labelled({label, children}: {label: string; children: ReactNode}) {
	return (
		<Text wrap="truncate-end">
			{indent}
			<Text dimColor>{label.padEnd(labelWidth)}</Text>
			{children}
		</Text>
	);
}

/**
 * The selected database's URL on a full-width line of its own, outside every box: the one that
 * works from here (for a database on an ssh:// engine's host, the local forward's).
 */
export function UrlLine({width}: {width: number}) {
	// The entry object only changes on lifecycle changes, not on stats samples.
	const entry = useDashboard(selectSelectedEntry);
	// Only written for databases on a remote engine's host, once a forward to them is open.
	const forward = useDashboard(state => (entry ? state.forwards[entry.container.id] : undefined));
	const connection = entry?.container.connection;
	const label = connection?.onEngineHost ? 'Local URL' : 'URL';
	const url = useDashboard(state => (entry && connection ? selectUrlFromHere(state, entry.container.id, connection) : undefined));

	let line: ReactNode;
	if (!entry) {
		line = undefined;
	} else if (!connection) {
		line = <Labelled label={label}>(no published port)</Labelled>;
	} else if (url) {
		const fitted = fitUrl(label, url, width);
		const text = (
			<>
				<Text color="cyan">{fitted.url}</Text>
				{fitted.hint ? <Text dimColor>{fitted.hint}</Text> : null}
			</>
		);
		line = fitted.label ? <Labelled label={fitted.label}>{text}</Labelled> : <Text wrap="truncate-end">{text}</Text>;
	} else if (forward?.error) {
		line = (
			<Labelled label={label}>
				<Text color="red">{`no forward: ${forward.error}`}</Text>
			</Labelled>
		);
	} else {
		line = (
			<Labelled label={label}>
				<Text color="gray">{entry.health === 'healthy' ? 'opening a forward…' : 'a forward opens once it is healthy'}</Text>
			</Labelled>
		);
	}
	return (
		<Box width={width} height={1} flexShrink={0}>
			{line}
		</Box>
	);
}
