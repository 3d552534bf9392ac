import type {ContainerManager, CreateOptions, CreateResult, OperationOptions} from '../../source/core/lifecycle.js';

/** Plan and create, as the command line does: a bad value rejects before anything is created. */
export async function createFrom(manager: ContainerManager, options: CreateOptions, operation: OperationOptions = {}): Promise<CreateResult> {
	const plan = options.fromSnapshot === undefined ? manager.plan(options) : await manager.planFromSnapshot({...options, fromSnapshot: options.fromSnapshot});
	return manager.create(plan, operation);
}
