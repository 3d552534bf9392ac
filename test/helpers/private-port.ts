import getPort, {portNumbers} from 'get-port';

/**
 * A free host port away from the ranges other suites pick from (5432/3306 and up, and the
 * kernel's ephemeral ports), for a test that stops a container and starts it again: while it is
 * stopped its port is free on the host, and a process that does not know it could take it. The
 * engine's own containers skip it (dbarena reads the ports its stopped containers claim), but the
 * tests of another engine on this host (the Podman project runs beside the Docker one) do not.
 */
export async function privatePort(): Promise<number> {
	const from = 20_000 + Math.floor(Math.random() * 9000);
	return getPort({port: portNumbers(from, from + 999), host: '127.0.0.1'});
}
