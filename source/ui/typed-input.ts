import type {Key} from 'ink';

/**
 * Ink hands over a whole chunk of typed text as one input when it holds no escape sequence: a
 * paste, or keys typed faster than they are read ("jj", "my-db\r"). Text fields and key handlers
 * need them one key at a time, with enter recognised inside the chunk.
 */
export function eachKey(input: string, key: Key, handle: (input: string, key: Key) => void): void {
	if (input.length <= 1 || key.ctrl || key.meta || input.includes('\u001B')) {
		handle(input, key);
		return;
	}
	// A pasted CRLF is one enter, not two. Backspaces come in one chunk too when the key is held
	// down or sent by tmux; each erases one character.
	for (const character of input.replaceAll('\r\n', '\r')) {
		const enter = character === '\r' || character === '\n';
		const backspace = character === '\u007F' || character === '\b';
		handle(enter || backspace ? '' : character, {...key, return: enter, backspace});
	}
}
