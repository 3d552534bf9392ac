/**
 * An image reference as dockerd shows it. Podman stores every name fully qualified: an image
 * committed as "dbarena-snapshot:t1" is listed as "docker.io/library/dbarena-snapshot:t1", and
 * "dbarena-template/postgres-16:k" as "docker.io/dbarena-template/postgres-16:k". dockerd lists
 * both by the short names, and both engines find an image by its short name. Listings go through
 * this, so the rest of dbarena compares names the same way on either engine.
 */
export function familiarReference(reference: string): string {
	if (reference.startsWith(libraryPrefix)) return reference.slice(libraryPrefix.length);
	if (reference.startsWith(hubPrefix)) return reference.slice(hubPrefix.length);
	return reference;
}

const hubPrefix = 'docker.io/';
const libraryPrefix = `${hubPrefix}library/`;
