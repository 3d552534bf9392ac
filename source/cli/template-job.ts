import {spawn} from 'node:child_process';
import type {CreateOptions} from '../core/create/plan.js';
import {presets} from '../core/presets/catalog.js';
import type {ContainerManager, CreateResult} from '../core/lifecycle.js';
import type {CommandContext} from './command.js';

/** The settings that shape a template (not the name, port or address of one container). */
export function templateOptions(options: CreateOptions, result: CreateResult): CreateOptions {
	return {
		database: result.container.database,
		version: result.container.version,
		mode: result.container.mode,
		user: result.connection.user,
		password: result.connection.password,
		databaseName: result.connection.database,
		...(options.env ? {env: options.env} : {}),
		...(options.memory === undefined ? {} : {memory: options.memory}),
		...(options.cdc ? {cdc: true} : {}),
	};
}

/**
 * After a fresh create, build the template for its settings in a detached process, so the user
 * is not kept waiting (the command has printed and exited) and the next create with the same
 * settings starts from it. Skipped when it cannot help: a template was used, data came from a
 * volume or snapshot, a custom image, a random password (a new key every time), or
 * DBARENA_TEMPLATES=off. Another process building the same key makes this one a no-op.
 */
export function startTemplateBuild(ctx: CommandContext, manager: ContainerManager, options: CreateOptions, result: CreateResult): boolean {
	const useless =
		result.container.source !== 'fresh' ||
		result.volumeReused ||
		options.noTemplate ||
		options.image !== undefined ||
		options.fromSnapshot !== undefined ||
		options.randomPassword ||
		presets[result.container.database].template === undefined;
	if (useless || ctx.env['DBARENA_TEMPLATES'] === 'off' || !process.argv[1]) return false;
	void manager;
	const child = spawn(process.execPath, [process.argv[1], 'templates', 'build', '--options-json', JSON.stringify(templateOptions(options, result))], {
		detached: true,
		stdio: 'ignore',
		env: ctx.env,
	});
	child.on('error', () => {});
	child.unref();
	return true;
}
