export type Options = {runs: number; cases: string[]; help: boolean};

/** `--runs N`, `--cases a,b` (also `--runs=N`), `--help`. */
export function parseArgs(argv: string[], known: string[]): Options {
	const options: Options = {runs: 5, cases: known, help: false};
	for (let index = 0; index < argv.length; index++) {
		const [flag, inline] = argv[index]!.split(/=(.*)/s, 2) as [string, string | undefined];
		const value = () => {
			const next = inline ?? argv[++index];
			if (next === undefined) throw new Error(`${flag} needs a value`);
			return next;
		};
		switch (flag) {
			case '--runs': {
				const runs = Number(value());
				if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
				options.runs = runs;
				break;
			}
			case '--cases': {
				const cases = value()
					.split(',')
					.map(item => item.trim())
					.filter(Boolean);
				const unknown = cases.filter(item => !known.includes(item));
				if (unknown.length > 0) throw new Error(`Unknown case ${unknown.join(', ')}; known: ${known.join(', ')}`);
				options.cases = known.filter(item => cases.includes(item));
				break;
			}
			case '-h':
			case '--help':
				options.help = true;
				break;
			default:
				throw new Error(`Unknown option ${flag}; try --help`);
		}
	}
	return options;
}
