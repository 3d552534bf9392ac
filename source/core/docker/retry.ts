/**
 * Retrying transient Docker API failures (NFR-2): up to 3 retries with exponential backoff.
 * A user error (4xx: conflict, not found, bad parameter) is never retried: repeating it
 * cannot help and would only delay the message the user needs.
 */
export type RetryOptions = {
	retries?: number;
	baseDelayMs?: number;
	/** Injected in tests so backoff can be checked without waiting. */
	sleep?: (ms: number) => Promise<void>;
	onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
	/** Which failures are worth another try; isTransient unless a call knows better. */
	retryable?: (error: unknown) => boolean;
};

const transientCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ESOCKETTIMEDOUT']);

/** Delay before retry number `attempt` (1-based): base, 2×base, 4×base… */
export function backoffDelay(attempt: number, baseDelayMs = 100): number {
	return baseDelayMs * 2 ** (attempt - 1);
}

type ErrorLike = {code?: unknown; statusCode?: unknown; message?: unknown};

/** The request never got an answer (the connection dropped): the engine may not have seen it. */
export function isConnectionLoss(error: unknown): boolean {
	return isTransient(error) && typeof (error as ErrorLike | null)?.statusCode !== 'number';
}

export function isTransient(error: unknown): boolean {
	if (typeof error !== 'object' || error === null) return false;
	const {code, statusCode, message} = error as ErrorLike;
	if (typeof code === 'string' && transientCodes.has(code)) return true;
	if (typeof statusCode === 'number') {
		// "port is already allocated" arrives as a 500 but is a conflict the caller handles.
		if (typeof message === 'string' && /already allocated|address already in use/i.test(message)) return false;
		return statusCode >= 500 && statusCode !== 501;
	}
	// A request that died with the connection (the socket closed under us) has no status code.
	return typeof message === 'string' && /socket hang up|read ECONNRESET/i.test(message);
}

const realSleep = async (ms: number) =>
	new Promise<void>(resolve => {
		setTimeout(resolve, ms);
	});

export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
	const {retries = 3, baseDelayMs = 100, sleep = realSleep, onRetry, retryable = isTransient} = options;
	for (let attempt = 0; ; attempt++) {
		try {
			return await operation();
		} catch (error) {
			if (attempt >= retries || !retryable(error)) throw error;
			const delay = backoffDelay(attempt + 1, baseDelayMs);
			onRetry?.(attempt + 1, error, delay);
			await sleep(delay);
		}
	}
}
