/**
 * Map an official image reference onto a registry mirror, the way a pull-through mirror lays
 * repositories out: `postgres:16-alpine` -> `<mirror>/library/postgres:16-alpine`,
 * `mcr.microsoft.com/mssql/server:2022-latest` -> `<mirror>/mssql/server:2022-latest`.
 */
export function mirrorImage(reference: string, registry: string | undefined): string {
	if (!registry) return reference;
	const mirror = registry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
	const [first, ...rest] = reference.split('/');
	// A first component with a dot, a colon or "localhost" names a registry host (Docker's own rule).
	const hasHost = rest.length > 0 && first !== undefined && (/[.:]/.test(first) || first === 'localhost');
	const path = hasHost ? rest.join('/') : reference;
	return `${mirror}/${path.includes('/') ? path : `library/${path}`}`;
}

/** Split "repo:tag" (a registry port is not a tag). */
export function splitReference(reference: string): {repository: string; tag: string} {
	const at = reference.indexOf('@');
	const withoutDigest = at >= 0 ? reference.slice(0, at) : reference;
	const colon = withoutDigest.lastIndexOf(':');
	if (colon > withoutDigest.lastIndexOf('/')) {
		return {repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1)};
	}
	return {repository: withoutDigest, tag: 'latest'};
}
