import {Text} from 'ink';
import {memo} from 'react';
import {keyBindings} from '../keymap.js';

const hints = keyBindings.flatMap(binding => (binding.hint ? [binding.hint] : [])).join('  ');

/** The bottom line: the keys a newcomer needs, always visible. */
export const KeyHints = memo(function KeyHints() {
	return (
		<Text dimColor wrap="truncate-end">
			{hints}
		</Text>
	);
});
