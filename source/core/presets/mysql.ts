import type {Preset} from './preset.js';
import {mysqlFamily, mysqlFamilyAfterReady, mysqlFamilyCdcCommand, mysqlFamilyCommand, mysqlUserEnvironment} from './mysql-family.js';

// The official images that exist in 2026: 8.4 and 9.7 (LTS) are current; 8.0 is end of life but
// its tags can still be pulled. None of them has a -debian variant any more.
/**
 * The official mysql image pastes the root password unescaped into SQL and into an option file:
 * a quote or a backslash breaks its first start or stores another password.
 */
export function mysqlPasswordProblem(password: string): string | undefined {
	return /['"\\]/.test(password) ? 'A MySQL password cannot contain \' " or \\: the official mysql image pastes it into SQL unescaped' : undefined;
}

export const mysql: Preset = {
	...mysqlFamily,
	kind: 'mysql',
	title: 'MySQL',
	aliases: ['my'],
	versions: [
		{version: '8.0', image: 'mysql:8.0'},
		{version: '8.4', image: 'mysql:8.4', aliases: ['8.4-lts', 'lts']},
		{version: '9.7', image: 'mysql:9.7'},
	],
	defaultVersion: '8.4',
	environment: ({user, password, database}) => ({
		...mysqlUserEnvironment('MYSQL', user, password),
		MYSQL_DATABASE: database,
	}),
	command: mode => mysqlFamilyCommand(mode),
	cdc: {user: 'cdc', command: flags => mysqlFamilyCdcCommand(flags, true)},
	afterReady: mysqlFamilyAfterReady,
	passwordProblem: mysqlPasswordProblem,
};
