import {monoOf} from '../clock.js';
import {inspect} from '../docker.js';

/** Docker's Created and StartedAt of a container, in ms since `t0` (a now() reading). */
export async function dockerPhases(container: string, t0: number): Promise<Record<string, number>> {
	const info = await inspect(container);
	const phases: Record<string, number> = {};
	if (info?.created !== undefined) phases['dockerCreated'] = monoOf(info.created) - t0;
	if (info?.started !== undefined) phases['dockerStarted'] = monoOf(info.started) - t0;
	const planned = info?.labels['dbarena.created_at'];
	if (planned) phases['dbarenaPlanned'] = monoOf(Date.parse(planned)) - t0;
	return phases;
}
