import {closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync} from 'node:fs';
import {tmpdir, userInfo} from 'node:os';
import path from 'node:path';

/**
 * A claim on a host port among the dbarena processes of this user on this machine, held from just
 * before a container is created on that port until the engine has started it (so bound the port)
 * or refused. Two processes that picked the same free port then no longer both start a container
 * on it; the second one sees the claim and picks another port.
 *
 * dockerd would refuse the second start and the loser retry elsewhere, which stays the fallback
 * for anything else that takes a port meanwhile. Podman 4.3 (netavark 1.4) also refuses it, but
 * tearing down the refused container's network removes port-forwarding rules the winner shares,
 * and the winner's database is then unreachable from 127.0.0.1 (its logins time out).
 *
 * A claim is a file named after the address and port, holding the claimer's pid; one whose
 * process is gone (or that is older than any start takes) is taken over. Returns the release, or undefined when someone else holds it.
 * Where no claim can be written (a read-only or foreign temporary directory) it claims nothing
 * and says yes: the engine's own refusal and the retry still apply.
 */
export function claimPort(port: number, host: string, directory = claimDirectory()): (() => void) | undefined {
	const file = path.join(directory, `${host.replaceAll(/[^\w.-]/g, '_')}-${port}`);
	const noClaim = () => {};
	try {
		mkdirSync(directory, {recursive: true});
	} catch {
		return noClaim;
	}
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(file, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			return () => {
				try {
					unlinkSync(file);
				} catch {
					// Already gone (taken over as stale): nothing to release.
				}
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return noClaim;
			if (holderAlive(file)) return undefined;
			try {
				unlinkSync(file);
			} catch {
				// Another process took it over first; the next attempt finds its claim.
			}
		}
	}
	return undefined;
}

/** A claim outlives no start: older than this, its process died and its pid may be someone else's. */
const claimMaxAgeMs = 120_000;
/** A claim without a pid yet is being written; unless its writer died right there. */
const claimWriteMs = 5000;

function holderAlive(file: string): boolean {
	let pid: number;
	let ageMs: number;
	try {
		ageMs = Date.now() - statSync(file).mtimeMs;
		pid = Number(readFileSync(file, 'utf8'));
	} catch {
		// Removed meanwhile: free again.
		return false;
	}
	if (ageMs > claimMaxAgeMs) return false;
	if (!Number.isInteger(pid) || pid <= 0) return ageMs < claimWriteMs;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: alive, but another user's process.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** One directory per user: another user's claims could not be taken over when stale. */
function claimDirectory(): string {
	let user: string;
	try {
		user = String(userInfo().uid);
	} catch {
		user = 'user';
	}
	return path.join(tmpdir(), `dbarena-port-claims-${user}`);
}
