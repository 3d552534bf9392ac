import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';

/**
 * Settings that outlive one command. The environment wins over the file so that CI and tests can
 * point one run elsewhere without touching a user's configuration.
 */
export type Settings = {
	/** Registry mirror for every image (DBARENA_REGISTRY, or "registry" in the config file). */
	registry?: string;
};

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
	const base = env['XDG_CONFIG_HOME'] ?? path.join(homedir(), '.config');
	return path.join(base, 'dbarena', 'config.json');
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
	let file: Settings = {};
	try {
		const parsed: unknown = JSON.parse(readFileSync(configPath(env), 'utf8'));
		if (typeof parsed === 'object' && parsed !== null) file = parsed as Settings;
	} catch {
		// No file (the usual case) or an unreadable one: defaults apply.
	}
	const registry = env['DBARENA_REGISTRY'] ?? file.registry;
	return registry ? {registry} : {};
}
