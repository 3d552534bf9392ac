import {createRequire} from 'node:module';

/**
 * Node's built-in modules that only some paths need, loaded when first used. Every command is a
 * new process, and importing them at the top costs it whether it uses them or not: child_process
 * alone loads 37 internal modules (dgram and cluster among them), 16 ms of a process's start on a
 * 2-core machine, zlib 9 ms. `reset --data`, `list` and most commands need neither; a create needs
 * no zlib (test/integration/cli-create.test.ts) and gets child_process only through Node's own net,
 * whose first listen (the free-port check) loads cluster.
 */
const require = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => require('node:child_process') as typeof import('node:child_process');

export const zlib = (): typeof import('node:zlib') => require('node:zlib') as typeof import('node:zlib');
