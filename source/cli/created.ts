import type {CreateResult} from '../core/lifecycle.js';
import {connectionJson, containerJson, type ContainerJson} from './serialize.js';

export type CreatedJson = ContainerJson & {pulled: boolean; readyMs: number; totalMs: number; volumeReused: boolean};

/** A create's or reset's result for --json: the container, full connection info, timings. */
export function createdJson(result: CreateResult): CreatedJson {
	return {
		...containerJson(result.container, {health: 'healthy', secrets: true}),
		connection: connectionJson(result.connection, true),
		pulled: result.pulled,
		readyMs: result.readyMs,
		totalMs: result.totalMs,
		volumeReused: result.volumeReused,
	};
}
