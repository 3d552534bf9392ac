import type {ContainerManager} from '../core/lifecycle.js';
import {loadContainer} from '../core/load/container-load.js';
import {defaultLoadOptions} from '../core/load/options.js';
import {takeSnapshot} from '../core/snapshots.js';
import type {DashboardCore} from './operations.js';

/**
 * The core as the dashboard uses it: the manager's lifecycle plus the snapshot and CDC helpers.
 * Each call goes to the manager when it is made (not bound up front), so a partial manager in a
 * test only fails for the calls it lacks.
 */
export function bindCore(manager: ContainerManager): DashboardCore {
	return {
		plan: (...args) => manager.plan(...args),
		create: async (...args) => manager.create(...args),
		start: async (...args) => manager.start(...args),
		stop: async (...args) => manager.stop(...args),
		restart: async (...args) => manager.restart(...args),
		destroy: async (...args) => manager.destroy(...args),
		reset: async (...args) => manager.reset(...args),
		resetData: async (...args) => manager.resetData(...args),
		snapshot: async (name, options) => takeSnapshot(manager.engine, name, options),
		readCdcStatus: async container => manager.cdcStatus(container),
		load: async (container, control) => loadContainer(manager.engine, container, defaultLoadOptions, control),
	};
}
