import type {Preset} from './preset.js';
import {mysqlFamily, mysqlFamilyAfterReady, mysqlFamilyCdcCommand, mysqlFamilyCommand, mysqlUserEnvironment} from './mysql-family.js';

export const mariadb: Preset = {
	...mysqlFamily,
	kind: 'mariadb',
	title: 'MariaDB',
	aliases: ['maria'],
	versions: ['10.11', '11.4', '11.8'].map(version => ({version, image: `mariadb:${version}`})),
	defaultVersion: '11.8',
	environment: ({user, password, database}) => ({
		...mysqlUserEnvironment('MARIADB', user, password),
		MARIADB_DATABASE: database,
	}),
	command: mode =>
		mode === 'durable'
			? []
			: [
					...mysqlFamilyCommand(mode),
					'--innodb-buffer-pool-size=256M',
					// The 96 MB default redo log is written at every start; from a template on overlayfs that
					// first write copies the whole file up.
					'--innodb-log-file-size=16M',
				],
	cdc: {user: 'cdc', command: flags => mysqlFamilyCdcCommand(flags, false)},
	afterReady: mysqlFamilyAfterReady,
};
