// @ts-check
/**
 * Starts one database with testcontainers-node and its documented wait for that database, prints
 * the container's id, port and credentials as one JSON line, and exits (ryuk is disabled, so the
 * container stays up for the bench to log in to and remove).
 *
 * Plain JavaScript run by plain `node`: a tsx loader would add its own start-up to what
 * testcontainers is measured with.
 *
 * Usage: node testcontainers-start.mjs postgres|mariadb IMAGE SESSION
 */
const [kind, image, session] = process.argv.slice(2);
if (!kind || !image || !session) throw new Error('usage: testcontainers-start.mjs postgres|mariadb IMAGE SESSION');
const labels = {'dbarena.bench': 'true', 'dbarena.bench.session': session};
const wall = () => performance.timeOrigin + performance.now();

const importStart = wall();
/** @type {Record<string, unknown>} */
let out;
if (kind === 'postgres') {
	const {PostgreSqlContainer} = await import('@testcontainers/postgresql');
	const startCall = wall();
	const container = await new PostgreSqlContainer(image).withLabels(labels).start();
	out = {
		id: container.getId(),
		port: container.getPort(),
		user: container.getUsername(),
		password: container.getPassword(),
		database: container.getDatabase(),
		importStart,
		startCall,
		startReturned: wall(),
	};
} else {
	const {MariaDbContainer} = await import('@testcontainers/mariadb');
	const startCall = wall();
	const container = await new MariaDbContainer(image).withLabels(labels).start();
	out = {
		id: container.getId(),
		port: container.getPort(),
		user: container.getUsername(),
		password: container.getUserPassword(),
		database: container.getDatabase(),
		importStart,
		startCall,
		startReturned: wall(),
	};
}
process.stdout.write(`${JSON.stringify(out)}\n`);
// testcontainers keeps sockets open; the container must outlive this process.
process.exit(0);
