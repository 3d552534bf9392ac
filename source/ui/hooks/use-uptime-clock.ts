import {useEffect, useState} from 'react';
import {nextUptimeTick} from '../format.js';

/**
 * The time the uptime column is drawn at. It ticks only when a shown uptime can change (see
 * nextUptimeTick): every second while a container is in its first minute, then once a minute for
 * all rows together, and not at all when nothing runs.
 */
export function useUptimeClock(startTimes: readonly number[]): number {
	const [now, setNow] = useState(Date.now);
	// biome-ignore lint/correctness/useExhaustiveDependencies: `now` is a dependency on purpose: each tick schedules the next
	useEffect(() => {
		const wait = nextUptimeTick(Date.now(), startTimes);
		if (wait === undefined) return;
		// A few ms late rather than early, so the tick lands after the boundary it waits for.
		const timer = setTimeout(() => {
			setNow(Date.now());
		}, wait + 5);
		return () => {
			clearTimeout(timer);
		};
	}, [startTimes, now]);
	return now;
}
