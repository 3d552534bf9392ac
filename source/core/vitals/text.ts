import {formatBytes} from '../format.js';
import type {BinlogVitals, DiskVitals, SlotVitals, Vitals} from './types.js';

/** The vitals as text, shared by inspect and the dashboard so both say the same thing. */

export const sessionsText = ({connections}: Vitals) => `${connections.active} active · ${connections.idle} idle · max ${connections.max}`;

export const rateText = (perSecond: number | null) => (perSecond === null ? '- /s' : `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`);

export const ratioText = (ratio: number | null) => (ratio === null ? '-' : `${(ratio * 100).toFixed(1)}%`);

const diskShare = (disk: DiskVitals) => `${disk.sizeBytes > 0 ? Math.round((disk.usedBytes / disk.sizeBytes) * 100) : 0}% of ${formatBytes(disk.sizeBytes)}`;

export const diskText = (disk: DiskVitals) => `${diskShare(disk)} used (${disk.path})`;

/** The size, and how full the disk is, on one short line (the details panel is narrow). */
export const sizeText = (vitals: Vitals) => `${formatBytes(vitals.databaseBytes)}${vitals.disk ? ` · disk ${diskShare(vitals.disk)}` : ''}`;

export function slotText(slot: SlotVitals): string {
	const held = slot.retainedWalBytes === null ? 'no WAL reserved' : formatBytes(slot.retainedWalBytes);
	// lost and unreserved: the server has (or is about to have) recycled WAL the slot still needed.
	const trouble = slot.walStatus === 'lost' || slot.walStatus === 'unreserved' ? ` (${slot.walStatus})` : '';
	// What matters first (a narrow panel cuts the end): which slot, how much it holds, whether anyone reads it.
	return `${slot.name} · ${held}${trouble} · ${slot.active ? 'active' : 'INACTIVE'} ${slot.plugin}`;
}

export const binlogText = (binlog: BinlogVitals | null) =>
	binlog === null ? 'off (fast mode without --cdc)' : `${binlog.file}:${binlog.position} · ${formatBytes(binlog.totalBytes)} of binary logs`;
