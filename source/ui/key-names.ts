import type {Key} from 'ink';

/** Keys that type no character, named as the help's key column shows them. */
export type NamedKey = '↑' | '↓' | 'PgUp' | 'PgDn' | 'Home' | 'End' | 'enter' | 'esc' | 'tab' | 'Ctrl-C';

const printable = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';

type Characters<Text extends string, Found extends string = never> = Text extends `${infer First}${infer Rest}` ? Characters<Rest, Found | First> : Found;

/** A key that types one printable ASCII character: spelled out so a typo in the keymap does not compile. */
export type CharacterKey = Characters<typeof printable>;

export type KeyName = NamedKey | CharacterKey;

function isCharacterKey(input: string): input is CharacterKey {
	return input.length === 1 && printable.includes(input);
}

/**
 * The keymap's name for one key as Ink reports it, or undefined for a key no binding can name
 * (backspace, F-keys, ←→, text outside ASCII). Ctrl and Alt do not change a character key (Ctrl-C
 * aside, the one key of its own), which is how the dashboard has always read them: Ctrl-R doing
 * nothing instead of restarting would be a change of behaviour, not of structure.
 */
export function keyName(input: string, key: Key): KeyName | undefined {
	if (key.upArrow) return '↑';
	if (key.downArrow) return '↓';
	if (key.pageUp) return 'PgUp';
	if (key.pageDown) return 'PgDn';
	if (key.home) return 'Home';
	if (key.end) return 'End';
	if (key.escape) return 'esc';
	if (key.return) return 'enter';
	if (key.tab) return 'tab';
	if (key.ctrl && input === 'c') return 'Ctrl-C';
	return isCharacterKey(input) ? input : undefined;
}
