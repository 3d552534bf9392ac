import {formatBytes} from '../format.js';
import type {BinlogVitals, DiskVitals, SlotVitals, Vitals} from './types.js';

/** The vitals as text, shared by inspect and the dashboard so both say the same thing. */

export const sessionsText = ({connections}: Vitals) => `${connections.active} active · ${connections.idle} idle · max ${connections.max}`;

export const rateText = (perSecond: number | null) => (perSecond === null ? '- /s' : `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`);

export const ratioText = (ratio: number | null) => (ratio === null ? '-' : `${(ratio * 100).toFixed(1)}%`);

export const diskText = (disk: DiskVitals) =>
	`${disk.sizeBytes > 0 ? Math.round((disk.usedBytes / disk.sizeBytes) * 100) : 0}% of ${formatBytes(disk.sizeBytes)} used (${disk.path})`;

export function slotText(slot: SlotVitals): string {
	const held = slot.retainedWalBytes === null ? 'no WAL reserved' : formatBytes(slot.retainedWalBytes);
	// lost and unreserved: the server has (or is about to have) recycled WAL the slot still needed.
	const trouble = slot.walStatus === 'lost' || slot.walStatus === 'unreserved' ? ` (${slot.walStatus})` : '';
	return `${slot.name} ${slot.plugin} ${slot.active ? 'active' : 'INACTIVE'} · ${held}${trouble}`;
}

export const binlogText = (binlog: BinlogVitals | null) =>
	binlog === null ? 'off (fast mode without --cdc)' : `${binlog.file}:${binlog.position} · ${formatBytes(binlog.totalBytes)} of binary logs`;
