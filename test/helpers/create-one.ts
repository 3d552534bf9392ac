// Run one create in its own process (as a separate dbarena would) and print the result as JSON.
import {createFrom} from './create-from.js';
import {ContainerManager} from '../../source/core/lifecycle.js';

const [database = 'postgres', version] = process.argv.slice(2);
const retries: number[] = [];
try {
	const result = await createFrom(
		new ContainerManager(),
		{database, ...(version ? {version} : {})},
		{
			onProgress: event => {
				if (event.type === 'port-retry') retries.push(event.port);
			},
		},
	);
	process.stdout.write(JSON.stringify({name: result.container.name, connection: result.connection, retries}));
} catch (error) {
	process.stdout.write(JSON.stringify({error: String(error)}));
	process.exitCode = 1;
}
