import {describe, expect, it} from 'vitest';
import {
	ConfirmationRequiredError,
	ContainerExitedError,
	DockerUnavailableError,
	ImageNotFoundError,
	InterruptedError,
	NameConflictError,
	NotFoundError,
	OperationError,
	PortInUseError,
	ReadinessTimeoutError,
	UnknownDatabaseError,
	UsageError,
} from '../../source/core/errors.js';
import {errorCode, exitCode, exitCodeFor, signalExitCode} from '../../source/cli/exit-codes.js';

describe('exit codes', () => {
	it('are the documented numbers', () => {
		expect(exitCode).toEqual({ok: 0, failed: 1, usage: 2, engineUnavailable: 3, interrupted: 130, terminated: 143});
	});

	it.each([
		[new UsageError('x'), 2],
		[new UnknownDatabaseError('x', ['postgres']), 2],
		[new NameConflictError('x'), 2],
		[new PortInUseError(5432, '127.0.0.1'), 2],
		[new NotFoundError('x'), 2],
		[new ConfirmationRequiredError('x'), 2],
		[new DockerUnavailableError('unix:///var/run/docker.sock'), 3],
		[new ReadinessTimeoutError('x', 60, undefined, []), 1],
		[new ContainerExitedError('x', {running: false, exitCode: 1}, []), 1],
		[new ContainerExitedError('x', {running: false, exitCode: 137, oomKilled: true, memoryLimitBytes: 6 * 1024 * 1024}, []), 1],
		[new ImageNotFoundError('x'), 1],
		[new OperationError('x'), 1],
		[new Error('anything else'), 1],
		['not even an error', 1],
	])('maps %o by its kind to %d', (error, code) => {
		expect(exitCodeFor(error)).toBe(code);
	});

	it('reports an interruption by the signal that caused it', () => {
		expect(exitCodeFor(new InterruptedError('x'))).toBe(130);
		expect(exitCodeFor(new InterruptedError('x'), 'SIGINT')).toBe(130);
		expect(exitCodeFor(new InterruptedError('x'), 'SIGTERM')).toBe(143);
		expect(signalExitCode(undefined)).toBe(130);
	});

	it('gives stable machine codes for --json', () => {
		expect(errorCode(new PortInUseError(1, 'h'))).toBe('port_in_use');
		expect(errorCode(new Error('x'))).toBe('internal_error');
		const oom = new ContainerExitedError('db', {running: false, exitCode: 137, oomKilled: true, memoryLimitBytes: 6 * 1024 * 1024}, ['FATAL: x']);
		expect(errorCode(oom)).toBe('out_of_memory');
		expect(oom.message).toMatch(/^db was killed: out of memory \(limit 6\.0 MiB\) while starting\. Give it more memory with --memory/);
		expect(oom.message).toContain('Last log lines:\n  FATAL: x');
		expect(errorCode(new ContainerExitedError('db', {running: false, exitCode: 137}, []))).toBe('container_exited');
	});
});

describe('engine errors that only look like timeouts', () => {
	it('a 404 quoting a name with "timeout" in it is not "Docker unreachable" (exit 3)', async () => {
		const {isUnavailable} = await import('../../source/core/docker/client.js');
		expect(isUnavailable({statusCode: 404, message: '(HTTP code 404) no such container - No such container: db-timeout-1'})).toBe(false);
		expect(isUnavailable({code: 'ECONNREFUSED', message: 'connect ECONNREFUSED /var/run/docker.sock'})).toBe(true);
		expect(isUnavailable({message: 'socket timed out'})).toBe(true);
	});
});
