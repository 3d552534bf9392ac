import {DbarenaError, InvalidValueError, type ValueField} from '../core/errors.js';

/** The flag that sets each create option, so the core's errors about a value can name the flag. */
const flagOfField: Readonly<Record<ValueField, string>> = {
	port: '--port',
	hostIp: '--bind',
	memory: '--memory',
	env: '--env',
	image: '--image',
	rate: '--rate',
	duration: '--duration',
	tables: '--tables',
	mix: '--mix',
};

/**
 * An error as the command line says it. The core names a bad value in its own terms ("Invalid
 * port"); the user typed a flag, so that is what the line names, with the core's rule unchanged.
 */
export function errorText(error: unknown): string {
	if (error instanceof InvalidValueError) return `Invalid ${flagOfField[error.field]} "${error.value}": ${error.rule}`;
	if (error instanceof DbarenaError && error.code === 'exposed_default_password') return `${error.message} (--password or --random-password)`;
	return error instanceof Error ? error.message : String(error);
}
