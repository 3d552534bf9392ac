import {createServer, type Server} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {InvalidValueError, PortInUseError, UsageError} from '../../source/core/errors.js';
import {closestNames, generateName, validateName, volumeNameFor} from '../../source/core/names.js';
import {parsePort} from '../../source/core/create/values.js';
import {choosePort, isPortFree} from '../../source/core/ports.js';

describe('names', () => {
	it('generates dbarena-<db>-<version>-<4 hex>', () => {
		expect(generateName('postgres', '16', () => 'a3f9')).toBe('dbarena-postgres-16-a3f9');
		expect(generateName('mysql', '8.4')).toMatch(/^dbarena-mysql-8\.4-[\da-f]{4}$/);
	});

	it('generates distinct names', () => {
		const names = new Set(Array.from({length: 200}, () => generateName('postgres', '16')));
		expect(names.size).toBeGreaterThan(190); // 65536 possibilities; a few birthday collisions are possible
	});

	it.each(['', '-x', 'a b', 'x'.repeat(64), 'naïve', 'a;rm -rf', '../x'])('rejects the invalid name %j', name => {
		expect(() => validateName(name)).toThrow(UsageError);
	});

	it.each(['db', 'my-test-db', 'A_1.b', 'x'.repeat(63)])('accepts %j', name => {
		expect(() => validateName(name)).not.toThrow();
	});

	it('derives the volume name from the container', () => {
		expect(volumeNameFor('my-db')).toBe('my-db-data');
	});

	it('suggests close names for typos, and nothing for unrelated input', () => {
		const names = ['dbarena-postgres-16-a3f9', 'dbarena-mysql-8.4-b7e2', 'orders'];
		expect(closestNames('dbarena-postgres-16-a3f8', names)).toEqual(['dbarena-postgres-16-a3f9']);
		expect(closestNames('ordres', names)).toEqual(['orders']);
		expect(closestNames('zzz', names)).toEqual([]);
	});
});

describe('ports', () => {
	const servers: Server[] = [];
	afterEach(async () => {
		await Promise.all(
			servers.splice(0).map(
				async server =>
					new Promise(resolve => {
						server.close(resolve);
					}),
			),
		);
	});

	async function occupy(port = 0): Promise<number> {
		const server = createServer();
		servers.push(server);
		await new Promise<void>(resolve => {
			server.listen({port, host: '127.0.0.1'}, resolve);
		});
		return (server.address() as {port: number}).port;
	}

	it.each([0, -1, 65_536, 1.5, Number.NaN])('rejects port %s', port => {
		expect(() => parsePort(port)).toThrow('use a whole number from 1 to 65535');
	});

	it('says an address this machine does not have is not local, for a chosen and an explicit port alike', async () => {
		await expect(choosePort({preferred: 5432, host: '10.255.255.1'})).rejects.toThrow(InvalidValueError);
		await expect(choosePort({preferred: 5432, explicit: 15_432, host: '10.255.255.1'})).rejects.toThrow('it is not an address of this machine');
	});

	it('knows a busy port from a free one', async () => {
		const busy = await occupy();
		expect(await isPortFree(busy, '127.0.0.1')).toBe(false);
		servers.pop()!.close();
		await new Promise(resolve => setTimeout(resolve, 10));
		expect(await isPortFree(busy, '127.0.0.1')).toBe(true);
	});

	it('takes the preferred port when free, the next one when busy', async () => {
		const preferred = await occupy();
		servers.pop()!.close();
		await new Promise(resolve => setTimeout(resolve, 10));
		expect(await choosePort({preferred, host: '127.0.0.1'})).toBe(preferred);
		await occupy(preferred);
		const next = await choosePort({preferred, host: '127.0.0.1'});
		expect(next).toBeGreaterThan(preferred);
		expect(next).toBeLessThanOrEqual(preferred + 100);
	});

	it('skips excluded ports (ones the engine just refused)', async () => {
		const preferred = await occupy();
		servers.pop()!.close();
		await new Promise(resolve => setTimeout(resolve, 10));
		const port = await choosePort({preferred, host: '127.0.0.1', exclude: [preferred]});
		expect(port).not.toBe(preferred);
	});

	it('refuses an explicit busy port instead of substituting one', async () => {
		const busy = await occupy();
		await expect(choosePort({preferred: 5432, explicit: busy, host: '127.0.0.1'})).rejects.toThrow(PortInUseError);
	});
});

describe('spreading after a lost race', () => {
	it('picks from above the preferred port in a shuffled order', async () => {
		const picks = new Set<number>();
		for (let index = 0; index < 20; index++) picks.add(await choosePort({preferred: 40_000, host: '127.0.0.1', spread: true}));
		for (const port of picks) {
			expect(port).toBeGreaterThan(40_000);
			expect(port).toBeLessThanOrEqual(40_100);
		}
		expect(picks.size).toBeGreaterThan(5);
	});
});
