import {cdcConnectionInfo} from '../core/connection.js';
import {OperationError, UsageError} from '../core/errors.js';
import type {ConnectionInfo, ManagedContainer} from '../core/types.js';
import type {Output} from './output.js';

/** The admin login of a container, or with `cdc` the CDC connector's (url and env --cdc). */
export function loginOf(container: ManagedContainer, cdc: boolean): ConnectionInfo {
	if (!container.connection) throw new OperationError(`${container.name} has no published port or credential labels, so it has no URL.`);
	if (!cdc) return container.connection;
	const login = cdcConnectionInfo(container);
	if (!login) throw new UsageError(`${container.name} was not created with --cdc, so it has no CDC login; leave out --cdc.`, 'no_cdc');
	return login;
}

/**
 * The settings stay printable (scripts read them before a start), but a client would meet a
 * refused connection: say why on stderr, where `$(dbarena url x)` does not see it.
 */
export function noteIfStopped(out: Output, container: ManagedContainer): void {
	if (container.state === 'running' || !container.connection) return;
	const {name, state, connection} = container;
	out.error(`Note: ${name} is not running (${state}); nothing listens on port ${connection.port} until "dbarena start ${name}".`);
}
