import type {DiskVitals} from './types.js';

/** POSIX df in KiB blocks: GNU coreutils and BusyBox (the alpine images) both know -P and -k. */
export const dfCommand = (path: string) => ['df', '-Pk', path];

/** `df -Pk` output: a header line, then "filesystem 1024-blocks used available capacity mounted-on". */
export function parseDf(output: string, path: string): DiskVitals | null {
	const line = output
		.split('\n')
		.slice(1)
		.find(text => text.trim() !== '');
	const fields = line?.trim().split(/\s+/) ?? [];
	const size = Number(fields[1]);
	const used = Number(fields[2]);
	if (fields.length < 6 || !Number.isFinite(size) || !Number.isFinite(used)) return null;
	return {path, usedBytes: used * 1024, sizeBytes: size * 1024};
}
