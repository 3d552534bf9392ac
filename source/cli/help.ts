import {globalFlags, kebab, type FlagSpecs} from './args.js';
import type {Command} from './command.js';
import {commands, groups} from './command-table.js';

function flagLines(flags: FlagSpecs): string[] {
	const rows = Object.entries(flags).map(([key, spec]) => {
		const name = `${spec.short ? `-${spec.short}, ` : '    '}--${kebab(key)}${spec.value ? ` ${spec.value}` : ''}`;
		return [name, `${spec.description}${spec.multiple ? ' (repeatable)' : ''}`] as const;
	});
	const width = Math.max(...rows.map(([name]) => name.length));
	return rows.map(([name, description]) => `  ${name.padEnd(width)}  ${description}`);
}

export function commandHelp(command: Command): string {
	const lines = [
		`Usage: dbarena ${command.name} ${command.usage}`.trimEnd(),
		'',
		command.summary,
		...(command.details ? ['', ...command.details] : []),
		'',
		'Flags:',
		...flagLines({...command.flags, ...globalFlags}),
	];
	if (command.examples && command.examples.length > 0) lines.push('', 'Examples:', ...command.examples.map(example => `  $ ${example}`));
	return lines.join('\n');
}

export function groupHelp(group: string): string {
	const subcommands = groups[group] ?? [];
	const width = Math.max(...subcommands.map(name => name.length));
	return [
		`Usage: dbarena ${group} <${subcommands.join('|')}> [flags]`,
		'',
		...subcommands.map(name => `  ${name.padEnd(width)}  ${commands[`${group} ${name}`]?.summary ?? ''}`),
		'',
		`Run "dbarena ${group} <subcommand> --help" for its flags.`,
	].join('\n');
}

export function mainHelp(version: string): string {
	const names = Object.keys(commands);
	const width = Math.max(...names.map(name => name.length));
	return [
		`dbarena ${version} — databases in Docker containers, ready when you can log in`,
		'',
		'Usage: dbarena [command] [flags]',
		'',
		'Without a command, dbarena opens the dashboard on a terminal, or prints the list otherwise.',
		'',
		'Commands:',
		...names.map(name => `  ${name.padEnd(width)}  ${commands[name]!.summary}`),
		'',
		'Global flags:',
		'  --json       Print one JSON document on stdout (errors: {"error": {...}})',
		'  -h, --help   Show help (also: dbarena <command> --help, dbarena help <command>)',
		'  --version    Print the version',
		'',
		'Exit codes: 0 ok, 1 operation failed, 2 usage error, 3 Docker unreachable,',
		'            130 interrupted (Ctrl-C), 143 terminated (SIGTERM).',
		'',
		'Examples:',
		'  $ dbarena create postgres --version 16',
		'  $ dbarena create postgres mysql mariadb:10.11',
		'  $ psql "$(dbarena url dbarena-postgres-16-a3f9)"',
		'  $ dbarena destroy --all --yes',
	].join('\n');
}
