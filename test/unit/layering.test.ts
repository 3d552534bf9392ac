import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type TypeScript from 'typescript';
import {describe, expect, it} from 'vitest';

// The layers, as the code is meant to depend: commands, cli and ui use the store and the core; the
// store uses the core; the core uses only itself, and only core/docker/ talks to the engine
// through dockerode. tsc does not know about layers, so this test reads the import graph.

// Loaded by Node itself: through the test runner's module loader the compiler (9 MB) takes seconds.
const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** How a module is reached; kept so a report says which statement to look at. */
type EdgeKind = 'import' | 'export' | 'dynamic' | 'type' | 'require';

/** One dependency: `from` and a relative `to` are repository paths with '/'; a package is its specifier. */
type Edge = {from: string; to: string; specifier: string; kind: EdgeKind};

type Violation = {edge: Edge; rule: string};

/** An edge that is known to break a rule and is tolerated until its owner fixes it. */
type Allowance = {from: string; to: string; why: string};

/**
 * Forbidden edges tolerated for now (none today). Each entry names its file so whoever owns it
 * can fix the import and delete the entry; an entry that no longer matches anything fails the
 * test, so the list cannot silently go stale.
 */
const allowed: Allowance[] = [];

const upperLayers = ['source/store/', 'source/ui/', 'source/commands/', 'source/cli/'];

const isUnder = (file: string, folder: string) => file.startsWith(folder);
const isDockerode = (to: string) => to === 'dockerode' || to.startsWith('dockerode/');
// source/cli.ts is the command line's entry point, so it belongs to the cli layer.
const isAboveCore = (file: string) => file === 'source/cli.ts' || upperLayers.some(folder => isUnder(file, folder));

/** Every rule an edge breaks; the allow-list is applied by the caller. */
function forbiddenEdges(edges: readonly Edge[]): Violation[] {
	const violations: Violation[] = [];
	for (const edge of edges) {
		const {from, to} = edge;
		if (isUnder(from, 'source/core/') && isAboveCore(to)) {
			violations.push({edge, rule: 'core must not depend on store, ui, commands or cli'});
		}
		if (!isUnder(from, 'source/core/') && isUnder(to, 'source/core/docker/')) {
			violations.push({edge, rule: 'only core may use core/docker/; use what core offers (e.g. core/streams.ts)'});
		}
		if (!isUnder(from, 'source/core/docker/') && isDockerode(to)) {
			violations.push({edge, rule: 'only core/docker/ may import dockerode'});
		}
	}
	return violations;
}

const isAllowed = (violation: Violation, allowances: readonly Allowance[]) =>
	allowances.some(allowance => allowance.from === violation.edge.from && allowance.to === violation.edge.to);

const describeViolation = ({edge, rule}: Violation) => `${edge.from} -> ${edge.to} (${edge.kind} '${edge.specifier}'): ${rule}`;

/** The module specifiers a file names, with how; comments and ordinary strings are not mistaken for imports. */
function moduleSpecifiers(fileName: string, text: string): Array<{specifier: string; kind: EdgeKind}> {
	const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
	const found: Array<{specifier: string; kind: EdgeKind}> = [];
	const literal = (node: TypeScript.Node | undefined) => (node !== undefined && ts.isStringLiteralLike(node) ? node.text : undefined);
	const add = (specifier: string | undefined, kind: EdgeKind) => {
		if (specifier !== undefined) found.push({specifier, kind});
	};
	const visit = (node: TypeScript.Node): void => {
		if (ts.isImportDeclaration(node)) {
			add(literal(node.moduleSpecifier), node.importClause?.isTypeOnly ? 'type' : 'import');
		} else if (ts.isExportDeclaration(node)) {
			add(literal(node.moduleSpecifier), 'export');
		} else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
			add(literal(node.moduleReference.expression), 'import');
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
			// typeof import('pg'): no code is loaded, but the file depends on the module all the same.
			add(literal(node.argument.literal), 'type');
		} else if (ts.isCallExpression(node)) {
			// createRequire's require is how an ES module loads CommonJS; it is an import too.
			if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(literal(node.arguments[0]), 'dynamic');
			else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(literal(node.arguments[0]), 'require');
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** A relative specifier as the file it names (sources import './x.js' for x.ts); packages unchanged. */
function resolve(from: string, specifier: string): string {
	if (!specifier.startsWith('.')) return specifier;
	const target = path.posix.join(path.posix.dirname(from), specifier);
	const stem = target.replace(/\.(js|jsx|ts|tsx)$/, '');
	const candidates = [`${stem}.ts`, `${stem}.tsx`, target, `${target}/index.ts`];
	return candidates.find(candidate => existsSync(path.join(root, candidate))) ?? target;
}

function sourceFiles(folder: string): string[] {
	return readdirSync(path.join(root, folder), {withFileTypes: true}).flatMap(entry => {
		const relative = `${folder}/${entry.name}`;
		if (entry.isDirectory()) return sourceFiles(relative);
		return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative] : [];
	});
}

function importGraph(): {files: string[]; edges: Edge[]} {
	const files = sourceFiles('source');
	const edges = files.flatMap(from =>
		moduleSpecifiers(from, readFileSync(path.join(root, from), 'utf8')).map(({specifier, kind}) => ({from, to: resolve(from, specifier), specifier, kind})),
	);
	return {files, edges};
}

describe('the layering of source/', () => {
	const {files, edges} = importGraph();
	const violations = forbiddenEdges(edges);

	it('reads a real graph, not an empty one', () => {
		expect(files.length).toBeGreaterThan(50);
		expect(edges.length).toBeGreaterThan(200);
		const has = (from: string, to: string) => edges.some(edge => edge.from === from && edge.to === to);
		// One edge of each kind the rules depend on, so a broken reader or resolver shows here.
		expect(has('source/core/streams.ts', 'source/core/docker/events.ts')).toBe(true);
		expect(has('source/store/feeders/start-feeders.ts', 'source/core/streams.ts')).toBe(true);
		expect(has('source/core/docker/dockerode.ts', 'dockerode')).toBe(true);
		expect(has('source/ui/run.tsx', 'source/ui/dashboard-session.tsx')).toBe(true);
		expect(edges.some(edge => edge.kind === 'dynamic')).toBe(true);
		expect(edges.some(edge => edge.kind === 'export')).toBe(true);
	});

	it('has no forbidden edges beyond the listed exceptions', () => {
		const unexpected = violations.filter(violation => !isAllowed(violation, allowed)).map(describeViolation);
		expect(unexpected).toEqual([]);
	});

	it('lists only exceptions that still exist', () => {
		const stale = allowed.filter(allowance => !violations.some(violation => isAllowed(violation, [allowance])));
		expect(stale).toEqual([]);
	});
});

describe('the layering checker', () => {
	const edge = (from: string, to: string): Edge => ({from, to, specifier: to, kind: 'import'});

	it('reports each kind of forbidden edge', () => {
		const bad = [
			edge('source/core/lifecycle.ts', 'source/store/state.ts'),
			edge('source/core/names.ts', 'source/cli.ts'),
			edge('source/store/feeders/events-feed.ts', 'source/core/docker/events.ts'),
			edge('source/commands/logs.ts', 'source/core/docker/logs.ts'),
			edge('source/ui/run.tsx', 'dockerode'),
			edge('source/core/lifecycle.ts', 'dockerode/lib/docker.js'),
		];
		expect(forbiddenEdges(bad).map(violation => `${violation.edge.from} -> ${violation.edge.to}`)).toEqual([
			'source/core/lifecycle.ts -> source/store/state.ts',
			'source/core/names.ts -> source/cli.ts',
			'source/store/feeders/events-feed.ts -> source/core/docker/events.ts',
			'source/commands/logs.ts -> source/core/docker/logs.ts',
			'source/ui/run.tsx -> dockerode',
			// Inside the core too: dockerode is reached through core/docker/ only.
			'source/core/lifecycle.ts -> dockerode/lib/docker.js',
		]);
	});

	it('lets the layers use what they may', () => {
		const good = [
			edge('source/store/feeders/events-feed.ts', 'source/core/streams.ts'),
			edge('source/ui/dashboard-session.tsx', 'source/store/create-dashboard-store.ts'),
			edge('source/core/streams.ts', 'source/core/docker/events.ts'),
			edge('source/core/docker/client.ts', 'dockerode'),
			edge('source/commands/logs.ts', 'source/core/log-stream.ts'),
			edge('source/store/state.ts', 'zustand'),
		];
		expect(forbiddenEdges(good)).toEqual([]);
	});

	it('reads every way of naming a module, and nothing else', () => {
		const text = [
			"// import {x} from './commented.js';",
			"import a from './a.js';",
			"import type {B} from './b.js';",
			"import './side-effect.js';",
			"export {c} from './c.js';",
			"export * from './d.js';",
			"const e = await import('./e.js');",
			"type F = typeof import('./f.js');",
			"const g = require('g');",
			'const note = \'import h from "./h.js"\';',
		].join('\n');
		expect(moduleSpecifiers('x.ts', text)).toEqual([
			{specifier: './a.js', kind: 'import'},
			{specifier: './b.js', kind: 'type'},
			{specifier: './side-effect.js', kind: 'import'},
			{specifier: './c.js', kind: 'export'},
			{specifier: './d.js', kind: 'export'},
			{specifier: './e.js', kind: 'dynamic'},
			{specifier: './f.js', kind: 'type'},
			{specifier: 'g', kind: 'require'},
		]);
	});
});
