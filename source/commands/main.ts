// Placeholder until the command mode lands: only --version works.
export async function main(argv: string[], version: string): Promise<number> {
	process.stderr.write(`dbarena ${version}: commands are not implemented yet (${argv.join(' ')})\n`);
	return 2;
}
