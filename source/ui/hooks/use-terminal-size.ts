import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type TerminalSize = {columns: number; rows: number};

/** Ink 6 has no useWindowSize: read the size from stdout and follow its 'resize' events. */
export function useTerminalSize(fallback: TerminalSize = {columns: 100, rows: 24}): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState<TerminalSize>(() => ({columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows}));
	useEffect(() => {
		const onResize = () => {
			setSize(previous => {
				const next = {columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows};
				return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
			});
		};
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, fallback.columns, fallback.rows]);
	return size;
}
