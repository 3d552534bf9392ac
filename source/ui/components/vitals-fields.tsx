import type {ManagedContainer} from '../../core/types.js';
import {slotConcern} from '../../core/vitals/read-vitals.js';
import {binlogText, rateText, ratioText, sessionsText, sizeText, slotText} from '../../core/vitals/text.js';
import type {VitalsView} from '../../store/state.js';
import {Field} from './DetailField.js';

const concernColor = {ok: undefined, holding: 'yellow', critical: 'red'} as const;

/**
 * The selected database's own vitals, as the vitals sampler last read them: nothing for any other
 * container (it samples only the selected one), the reason when a sample failed.
 */
export function vitalsFields(container: ManagedContainer, view: VitalsView | undefined) {
	if (view?.containerId !== container.id || container.state !== 'running') return [];
	const {vitals} = view;
	if (!vitals) return [<Field key="vitals" name="Vitals" value={`vitals unavailable: ${view.error ?? 'no answer'}`} color="red" />];
	const fields = [
		<Field key="sessions" name="Sessions" value={sessionsText(vitals)} />,
		<Field key="commits" name="Commits" value={`${rateText(view.commitsPerSecond)} · cache hit ${ratioText(vitals.cacheHitRatio)}`} />,
		<Field key="size" name="Size" value={sizeText(vitals)} />,
	];
	if (vitals.slots) {
		if (vitals.slots.length === 0) fields.push(<Field key="wal-none" name="WAL held" value="none (no replication slots)" />);
		for (const [index, slot] of vitals.slots.entries()) {
			const color = concernColor[slotConcern(slot, vitals.disk)];
			fields.push(<Field key={`wal-${slot.name}`} name={index === 0 ? 'WAL held' : ''} value={slotText(slot)} {...(color ? {color} : {})} />);
		}
	}
	if (vitals.binlog !== undefined) {
		fields.push(<Field key="binlog" name="Binlog" value={binlogText(vitals.binlog)} />);
		if (vitals.binlog) fields.push(<Field key="gtid" name="GTID" value={vitals.binlog.gtidSet || '(none yet)'} />);
	}
	return fields;
}
