import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {DbarenaError} from '../../source/core/errors.js';
import {fakeCore, renderDashboard, storeWith} from '../helpers/dashboard.js';
import {keys, press, waitForFrame} from '../helpers/ink.js';
import {runMain} from '../helpers/run-main.js';

/** The command line's --json error document for these arguments. */
async function cliError(argv: string[]): Promise<{code: string; message: string; exitCode: number}> {
	const result = await runMain([...argv, '--json'], '0.0.0');
	const {error} = JSON.parse(result.stdout) as {error: {code: string; message: string; exitCode: number}};
	expect(error.exitCode).toBe(result.code);
	return error;
}

/** The dashboard's create form with this port typed in, submitted: what the form says, and the core's error. */
async function formError(port: string): Promise<{shown: string; code: string}> {
	const core = fakeCore();
	const {instance} = await renderDashboard(storeWith([]), core);
	await press(instance, 'c', frame => frame.includes('Create a database'));
	for (let field = 0; field < 4; field++) await press(instance, keys.down);
	await press(instance, port, frame => frame.includes(port));
	const frame = await press(instance, keys.enter, text => text.includes('Invalid port'));
	expect(core.create).not.toHaveBeenCalled();
	const thrown = core.plan.mock.results.find(result => result.type === 'throw')?.value as unknown;
	expect(thrown).toBeInstanceOf(DbarenaError);
	return {
		shown: frame
			.split('\n')
			.find(line => line.includes('Invalid port'))!
			.trim(),
		code: (thrown as DbarenaError).code,
	};
}

describe('a create option is checked once, in the core, whichever face it came from', () => {
	it.each(['70000', '0'])('port %s: the same error code from the command line and the dashboard form', async port => {
		const cli = await cliError(['create', 'postgres', '--port', port]);
		const form = await formError(port);
		expect(cli.code).toBe('invalid_port');
		expect(form.code).toBe(cli.code);
		expect(cli.exitCode).toBe(2);
		// The rule is the core's; each face only names the value its own way.
		expect(cli.message).toBe(`Invalid --port "${port}": use a whole number from 1 to 65535.`);
		expect(form.shown).toContain(`Invalid port "${port}": use a whole number from 1 to 65535.`);
	});
});

describe('init paths are read once, in the core, whichever face they came from', () => {
	it('a missing path: the same invalid_init error from the command line and the form; the form stays open and nothing is created', async () => {
		const missing = path.join(tmpdir(), `dbarena-no-such-seed-${process.pid}.sql`);
		const cli = await cliError(['create', 'postgres', '--init', missing]);
		expect(cli).toMatchObject({code: 'invalid_init', exitCode: 2, message: `Init path "${missing}" does not exist.`});

		const core = fakeCore();
		const {instance} = await renderDashboard(storeWith([]), core);
		await press(instance, 'c', frame => frame.includes('Create a database'));
		await press(instance, keys.up, frame => frame.includes('› Init'));
		instance.stdin.write(missing);
		await waitForFrame(instance, frame => frame.includes('.sql▏'));
		const frame = await press(instance, keys.enter, text => text.includes('does not exist'));
		expect(frame.replaceAll(/[\s│]+/g, ' ')).toContain(`Init path "${missing}" does not exist.`);
		expect(frame).toContain('Create a database');
		expect(core.create).not.toHaveBeenCalled();
		const thrown = core.plan.mock.results.find(result => result.type === 'throw')?.value as DbarenaError;
		expect(thrown.code).toBe(cli.code);
	});

	it('a file that is there: the form creates with it', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'dbarena-form-seed-'));
		const file = path.join(dir, 'schema.sql');
		writeFileSync(file, 'CREATE TABLE t (id int);\n');
		try {
			const core = fakeCore();
			const {instance} = await renderDashboard(storeWith([]), core);
			await press(instance, 'c', frame => frame.includes('Create a database'));
			await press(instance, keys.up, frame => frame.includes('› Init'));
			instance.stdin.write(`${file}${keys.enter}`);
			await vi.waitFor(() => {
				expect(core.create).toHaveBeenCalled();
			});
			expect(core.plan).toHaveBeenCalledWith(expect.objectContaining({init: [file]}));
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
