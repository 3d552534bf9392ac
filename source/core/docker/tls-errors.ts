import type {EngineLocation} from '../engine-location.js';
import {DockerUnavailableError} from '../errors.js';

type TlsErrorLike = {code?: unknown; message?: unknown; statusCode?: unknown; json?: unknown; reason?: unknown};

/** OpenSSL's and Node's codes for "the server's certificate is not vouched for by our CA". */
const untrustedServer = new Set([
	'SELF_SIGNED_CERT_IN_CHAIN',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_SIGNATURE_FAILURE',
	'CERT_UNTRUSTED',
]);

/**
 * A failed first contact with a tcp:// engine that is about TLS, in words that say what to fix;
 * undefined for any other failure. Node's own words ("self-signed certificate in certificate
 * chain", "SSL alert number 42") name the mechanism, not the folder or variable to change.
 */
export function tlsProblem(error: unknown, where: EngineLocation | string): DockerUnavailableError | undefined {
	const location = typeof where === 'string' ? {address: where, tls: undefined} : where;
	if (!location.address.startsWith('tcp://')) return undefined;
	const {code, message, statusCode, json} = (error ?? {}) as TlsErrorLike;
	const text = `${typeof message === 'string' ? message : ''} ${typeof json === 'string' ? json : ''}`;
	const certPath = location.tls?.certPath ?? 'DOCKER_CERT_PATH';
	const denied = (sentence: string) => new DockerUnavailableError(location.address, undefined, {message: sentence, code: 'engine_access_denied', cause: error});
	if (typeof code === 'string' && untrustedServer.has(code)) {
		return denied(
			`The engine at ${location.address} presented a certificate that the CA in ${certPath}/ca.pem did not sign (${code}): ` +
				'it is not the engine those certificates were made for, or DOCKER_CERT_PATH names the wrong folder.',
		);
	}
	if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
		return denied(`The certificate of the engine at ${location.address} is not valid now (${code}): renew it, or check this machine's clock.`);
	}
	if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
		return denied(
			`The certificate of the engine at ${location.address} is not made out to that name (${typeof message === 'string' ? message : code}). ` +
				'Use the host name or address the certificate names in DOCKER_HOST.',
		);
	}
	if (typeof code === 'string' && /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA|CERTIFICATE_UNKNOWN|ACCESS_DENIED)/.test(code)) {
		return denied(
			`The engine at ${location.address} refused our client certificate (${certPath}/cert.pem): it was not signed by a CA the engine trusts. ` +
				'Use the certificates made for this engine (DOCKER_CERT_PATH).',
		);
	}
	if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
		return denied(`The engine at ${location.address} does not speak TLS. Unset DOCKER_TLS_VERIFY (or use the engine's TLS port, usually 2376).`);
	}
	if (statusCode === 400 && /HTTP request to an HTTPS server/i.test(text)) {
		return denied(`The engine at ${location.address} speaks TLS only. Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to its certificates.`);
	}
	return undefined;
}
