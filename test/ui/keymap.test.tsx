import {Text, useInput} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {setFocus} from '../../source/store/view-actions.js';
import {HelpOverlay} from '../../source/ui/components/HelpOverlay.js';
import {keyName, type KeyName, type NamedKey} from '../../source/ui/key-names.js';
import {findKeyAction, keyBindings, type KeyAction, type KeyContext} from '../../source/ui/keymap.js';
import {fakeContainer, renderDashboard, renderWith, storeWith} from '../helpers/dashboard.js';
import {frameText, keys, lines, press, waitForFrame} from '../helpers/ink.js';

// The keymap is the one place keys are defined: these tests hold dispatch and the help to it.

const actions = keyBindings.flatMap(binding => binding.actions);

/** Where an action is heard: both panes unless it says otherwise. */
function contextsOf(action: KeyAction): KeyContext[] {
	return action.when === undefined ? ['table', 'logs'] : [action.when];
}

/** What a terminal sends for each key. */
const sent: Record<NamedKey, string> = {
	'↑': keys.up,
	'↓': keys.down,
	PgUp: keys.pageUp,
	PgDn: keys.pageDown,
	Home: keys.home,
	End: keys.end,
	enter: keys.enter,
	esc: keys.escape,
	tab: keys.tab,
	'Ctrl-C': keys.ctrlC,
};
const bytesOf = (key: KeyName): string => (key in sent ? sent[key as NamedKey] : key);

describe('the keymap', () => {
	it('binds every key its help line shows, in that line', () => {
		for (const binding of keyBindings) {
			const bound = new Set<string>(binding.actions.flatMap(action => action.on));
			for (const shown of binding.keys.split(/\s+/)) expect(bound, `${shown} in "${binding.keys}"`).toContain(shown);
		}
	});

	it('gives a key at most one action in each context', () => {
		const claimed = new Set<string>();
		for (const action of actions) {
			for (const context of contextsOf(action)) {
				for (const key of action.on) {
					expect(claimed, `${key} in ${context}`).not.toContain(`${context} ${key}`);
					claimed.add(`${context} ${key}`);
				}
			}
		}
	});

	it('finds each action by each of its keys where it applies, and nowhere else', () => {
		for (const action of actions) {
			for (const key of action.on) {
				for (const context of ['table', 'logs', 'always'] as const) {
					const found = findKeyAction(key, context);
					if (contextsOf(action).includes(context)) expect(found, `${key} in ${context}`).toBe(action);
					else expect(found, `${key} in ${context}`).not.toBe(action);
				}
			}
		}
		expect(findKeyAction('x', 'table')).toBeUndefined();
		expect(findKeyAction('g', 'table')).toBeUndefined();
		expect(findKeyAction('q', 'always')).toBeUndefined();
	});
});

/** Records the name keyName gives each key Ink reports. */
function Listener({heard}: {heard: Array<KeyName | undefined>}) {
	useInput((input, key) => {
		heard.push(keyName(input, key));
	});
	return <Text>listening</Text>;
}

describe('keyName', () => {
	it('names what Ink reports for each key as the keymap does', async () => {
		const heard: Array<KeyName | undefined> = [];
		const instance = render(<Listener heard={heard} />);
		await waitForFrame(instance, frame => frame.includes('listening'));
		const expected: Array<[string, KeyName | undefined]> = [
			...Object.entries(sent).map(([name, bytes]) => [bytes, name as KeyName] as [string, KeyName]),
			['k', 'k'],
			['R', 'R'],
			['/', '/'],
			['?', '?'],
			[' ', ' '],
			[keys.backspace, undefined],
			[keys.left, undefined],
			['é', undefined],
		];
		// One at a time: Ink holds a lone esc back for a moment in case more of a sequence follows.
		for (const [index, [bytes]] of expected.entries()) {
			instance.stdin.write(bytes);
			await vi.waitFor(() => {
				expect(heard).toHaveLength(index + 1);
			});
		}
		expect(heard).toEqual(expected.map(([, name]) => name));
	});
});

describe('dispatch', {timeout: 30_000}, () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	/** The dashboard with every handler of the keymap replaced by a spy that does nothing. */
	async function spiedDashboard() {
		const spies = new Map(actions.map(action => [action, vi.spyOn(action, 'handler').mockImplementation(() => undefined)]));
		const rendered = await renderDashboard(storeWith([fakeContainer({name: 'alpha'})]));
		const called = () => actions.filter(action => spies.get(action)!.mock.calls.length > 0);
		const clear = () => {
			for (const spy of spies.values()) spy.mockClear();
		};
		return {...rendered, called, clear};
	}

	it("runs the keymap's handler for every key of every action, and only that one", async () => {
		const {instance, store, called, clear} = await spiedDashboard();
		for (const action of actions) {
			for (const context of contextsOf(action)) {
				setFocus(store, context === 'logs' ? 'logs' : 'table');
				for (const key of action.on) {
					clear();
					instance.stdin.write(bytesOf(key));
					await vi.waitFor(() => {
						expect(called(), `${key} in ${context}`).toEqual([action]);
					});
				}
			}
		}
	});

	it('runs nothing for a key the keymap does not have, and says so', async () => {
		const {instance, called} = await spiedDashboard();
		await press(instance, 'x', frame => frame.includes('"x" does nothing here; press ? for the keys'));
		expect(called()).toEqual([]);
	});

	it("hears only the 'always' keys under an overlay", async () => {
		const {instance, store, called} = await spiedDashboard();
		store.setState({overlay: {kind: 'help'}});
		await waitForFrame(instance, frame => frame.includes('Keys  (? esc q close)'));
		instance.stdin.write('c');
		instance.stdin.write(keys.ctrlC);
		// Keys are read in order: once Ctrl-C has run, c has been heard (and ignored).
		await vi.waitFor(() => {
			expect(called()).toEqual([findKeyAction('Ctrl-C', 'always')]);
		});
	});
});

describe('the help overlay', () => {
	it('lists every line of the keymap with its description', async () => {
		const store = storeWith([], {overlay: {kind: 'help'}});
		const {instance} = await renderWith(<HelpOverlay width={100} height={keyBindings.length + 3} />, store);
		const shown = lines(frameText(instance)).slice(2, -1);
		expect(shown).toHaveLength(keyBindings.length);
		for (const [index, binding] of keyBindings.entries()) {
			expect(shown[index]).toMatch(new RegExp(`^│ ${escapeRegExp(binding.keys)} +${escapeRegExp(binding.description)} *│$`));
		}
	});
});

function escapeRegExp(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
