import {DbarenaError, type ErrorCode} from '../core/errors.js';

/**
 * The exit codes scripts can rely on. One table, so the code a user sees for a kind of failure is
 * the same from every command.
 */
export const exitCode = {
	ok: 0,
	/** The request was valid but did not succeed: readiness timeout, crash, engine refused. */
	failed: 1,
	/** Unknown command or flag, bad value, unknown name, missing confirmation. */
	usage: 2,
	/** The Docker engine could not be reached at all. */
	engineUnavailable: 3,
	/** Stopped by Ctrl-C (SIGINT), 128 + 2 as shells report it. */
	interrupted: 130,
	/** Stopped by SIGTERM, 128 + 15. */
	terminated: 143,
} as const;

/** The code for the signal that stopped an operation (SIGTERM -> 143, anything else -> 130). */
export function signalExitCode(signal: NodeJS.Signals | undefined): number {
	return signal === 'SIGTERM' ? exitCode.terminated : exitCode.interrupted;
}

/** Map a thrown error to an exit code by the core's error kind; anything untyped is a failure. */
export function exitCodeFor(error: unknown, signal?: NodeJS.Signals): number {
	if (!(error instanceof DbarenaError)) return exitCode.failed;
	switch (error.kind) {
		case 'usage': {
			return exitCode.usage;
		}
		case 'engine': {
			return exitCode.engineUnavailable;
		}
		case 'interrupted': {
			return signalExitCode(signal);
		}
		case 'failed': {
			return exitCode.failed;
		}
	}
}

/**
 * The stable machine-readable code of an error, for `{"error": {"code"}}`. An untyped error (an
 * engine or system error passed on as is) has no code of its own: it is `internal_error`.
 */
export function errorCode(error: unknown): ErrorCode {
	return error instanceof DbarenaError ? error.code : 'internal_error';
}
