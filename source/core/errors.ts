import {formatBytes} from './format.js';
import {kindOf, type CodeOfKind, type ErrorCode, type ErrorKind} from './error-codes.js';

export type {CodeOfKind, ErrorCode, ErrorKind} from './error-codes.js';

/**
 * Typed errors of the core. Each carries a message a user can act on; the command mode maps
 * `kind` to an exit code and the dashboard shows `message` in its status line. The kind is not
 * chosen per call site but read from the one code table (error-codes.ts), so a code always
 * leaves with the same exit code.
 */
export class DbarenaError extends Error {
	readonly kind: ErrorKind;
	/** A short machine-readable name, stable for --json consumers. */
	readonly code: ErrorCode;

	constructor(message: string, code: ErrorCode, options?: {cause?: unknown}) {
		super(message, options);
		this.kind = kindOf(code);
		this.code = code;
		this.name = new.target.name;
	}
}

/** A usage code only: handing it another kind's code (say 'operation_failed') does not compile. */
export type UsageCode = CodeOfKind<'usage'>;

export class UsageError extends DbarenaError {
	constructor(message: string, code: UsageCode = 'usage') {
		super(message, code);
	}
}

/** The create and load options a value can be invalid for, and the code each one's error carries. */
const codeOfField = {
	port: 'invalid_port',
	hostIp: 'invalid_bind',
	image: 'invalid_image',
	memory: 'invalid_memory',
	env: 'invalid_env',
	rate: 'invalid_rate',
	duration: 'invalid_duration',
	tables: 'invalid_tables',
	mix: 'invalid_mix',
} as const satisfies Record<string, UsageCode>;

export type ValueField = keyof typeof codeOfField;

/**
 * A value the user gave that does not fit. `field` names the create option it was given for, so
 * each face can name it its own way (the command line as its flag, the form as its field) while
 * the rule stays the core's. The message says it in the core's own words.
 */
export class InvalidValueError extends UsageError {
	readonly field: ValueField;
	readonly value: string;
	readonly rule: string;
	constructor(field: ValueField, words: string, value: string, rule: string, code: UsageCode = codeOfField[field]) {
		super(`Invalid ${words} "${value}": ${rule}`, code);
		this.field = field;
		this.value = value;
		this.rule = rule;
	}
}

export class UnknownDatabaseError extends UsageError {
	constructor(input: string, supported: string[]) {
		super(`Unknown database "${input}". Supported: ${supported.join(', ')}.`, 'unknown_database');
	}
}

export class UnknownVersionError extends UsageError {
	constructor(database: string, input: string, supported: string[]) {
		super(`Unknown ${database} version "${input}". Supported: ${supported.join(', ')}.`, 'unknown_version');
	}
}

export class NameConflictError extends UsageError {
	constructor(name: string) {
		super(`A container named "${name}" already exists. Choose another --name, or destroy it first.`, 'name_conflict');
	}
}

export class PortInUseError extends UsageError {
	constructor(port: number, hostIp: string) {
		super(`Port ${port} on ${hostIp} is already in use. Choose another --port, or leave it out to get a free one.`, 'port_in_use');
	}
}

export class NotFoundError extends UsageError {
	constructor(name: string, suggestions: string[] = [], what: 'container' | 'volume' = 'container') {
		const listing = what === 'container' ? 'dbarena list --all' : 'dbarena volumes list';
		const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(', ')}?` : ` Run "${listing}" to see them.`;
		super(`No dbarena ${what} named "${name}".${hint}`, 'not_found');
	}
}

export class ConfirmationRequiredError extends UsageError {
	constructor(message: string) {
		super(message, 'confirmation_required');
	}
}

/**
 * `message` replaces the default sentence when more is known than "it does not answer" (an SSH
 * login refused, a certificate that does not match); `code` then says which.
 */
export type EngineErrorOptions = {cause?: unknown; message?: string; code?: CodeOfKind<'engine'>};

export class DockerUnavailableError extends DbarenaError {
	readonly address: string;
	/**
	 * `where`: how the address was found. When nothing was found at all the message lists every
	 * place looked at, so "no engine" never reads as "your Docker is broken".
	 */
	constructor(address: string, detail?: string, options?: EngineErrorOptions, where?: {foundBy: string; tried: string[]; nothingFound: boolean}) {
		super(
			options?.message ??
				(where?.nothingFound
					? `No container engine found (looked at: ${where.tried.join(', ')}). Start Docker or Podman, or set DOCKER_HOST (or DOCKER_CONTEXT) to the engine you use.`
					: `Docker is not reachable at ${address}${where && where.foundBy !== 'DOCKER_HOST' ? `, found by ${where.foundBy}` : ''}` +
						`${detail ? ` (${detail})` : ''} — is the daemon running? Start it, or set DOCKER_HOST to the engine you use.`),
			options?.code ?? 'docker_unavailable',
			options,
		);
		this.address = address;
	}
}

export class ImageNotFoundError extends DbarenaError {
	constructor(image: string, detail?: string) {
		super(`Image ${image} could not be pulled${detail ? `: ${detail}` : ''}. ${pullAdvice(detail)}`, 'image_not_found');
	}
}

/**
 * What to check after a failed pull. A registry that speaks plain HTTP is refused until the engine
 * is told to trust it: dockerd trusts 127.0.0.0/8 by itself, Podman nothing, so a local mirror
 * that works with dockerd fails on Podman with Go's words for it.
 */
function pullAdvice(detail: string | undefined): string {
	if (detail && /server gave HTTP response to HTTPS client/i.test(detail)) {
		return (
			'The registry speaks plain HTTP: let the engine use it (Podman: a [[registry]] entry with insecure = true in ' +
			'/etc/containers/registries.conf.d/; dockerd: "insecure-registries" in daemon.json).'
		);
	}
	return 'Check the name and tag, the registry (DBARENA_REGISTRY), and your network.';
}

function logLines(logTail: string[]): string {
	return logTail.length > 0 ? `\nLast log lines:\n${logTail.map(line => `  ${line}`).join('\n')}` : '';
}

export class ReadinessTimeoutError extends DbarenaError {
	readonly logTail: string[];
	constructor(name: string, seconds: number, lastError: string | undefined, logTail: string[]) {
		super(
			// The log lines themselves, not "look at its logs": a failed create removes the container.
			`${name} was not ready after ${seconds}s${lastError ? ` (last probe: ${lastError})` : ''}. Try a longer --timeout.${logLines(logTail)}`,
			'readiness_timeout',
		);
		this.logTail = logTail;
	}
}

/** How a container that should be starting ended, as the engine recorded it. */
export type ContainerEnd = {running: boolean; exitCode: number; oomKilled?: boolean; memoryLimitBytes?: number};

export class ContainerExitedError extends DbarenaError {
	readonly logTail: string[];
	readonly exitCode: number;
	constructor(name: string, end: ContainerEnd, logTail: string[]) {
		// An OOM kill is the one end the user can fix with a flag: name it, with the limit it hit.
		const message = end.oomKilled
			? `${name} was killed: out of memory${end.memoryLimitBytes ? ` (limit ${formatBytes(end.memoryLimitBytes)})` : ''} while starting. ` +
				'Give it more memory with --memory (e.g. --memory 1g).'
			: `${name} exited with code ${end.exitCode} while starting.`;
		super(`${message}${logLines(logTail)}`, end.oomKilled ? 'out_of_memory' : 'container_exited');
		this.logTail = logTail;
		this.exitCode = end.exitCode;
	}
}

export class InterruptedError extends DbarenaError {
	constructor(what: string) {
		super(`${what} was interrupted.`, 'interrupted');
	}
}

export class OperationError extends DbarenaError {
	constructor(message: string, options?: {cause?: unknown}) {
		super(message, 'operation_failed', options);
	}
}
