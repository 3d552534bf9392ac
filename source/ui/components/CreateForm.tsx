import {Box, Text} from 'ink';
import {presets} from '../../core/presets/catalog.js';
import type {CreateOptions} from '../../core/create/plan.js';
import {databaseChoices, formFields, useCreateForm, versionChoices, type CreateFormState, type FormField} from '../hooks/use-create-form.js';

export type CreateFormProps = {
	width: number;
	height: number;
	onSubmit: (options: CreateOptions) => string | undefined;
	onCancel: () => void;
};

const modeNotes = {
	fast: 'on disk, gone with the container; durability off: for tests',
	persistent: 'data in a named volume that outlives the container',
	durable: 'named volume and the engine’s full durability',
} as const;

function describe(state: CreateFormState, field: FormField): {value: string; note: string} {
	switch (field) {
		case 'database': {
			return {value: state.database, note: databaseChoices.map(kind => presets[kind].title).join(' · ')};
		}
		case 'version': {
			return {value: state.version, note: versionChoices(state.database).join(' ')};
		}
		case 'mode': {
			return {value: state.mode, note: modeNotes[state.mode]};
		}
		case 'name': {
			return {value: state.name, note: state.name === '' ? 'optional: a name is generated' : ''};
		}
		case 'cdc': {
			return {
				value: state.cdc ? 'on' : 'off',
				note: state.cdc ? 'change data capture: logical replication / binlog, a cdc user' : 'on: ready for a CDC connector (Debezium)',
			};
		}
		case 'init': {
			return {value: state.init, note: state.init === '' ? 'optional: .sql, .sql.gz, .sh, -Fc dumps or folders; commas between' : ''};
		}
		case 'port': {
			return {value: state.port, note: state.port === '' ? `optional: ${presets[state.database].containerPort} if free, else the next free port` : ''};
		}
	}
}

const fieldTitles: Record<FormField, string> = {database: 'Database', version: 'Version', mode: 'Mode', name: 'Name', port: 'Port', cdc: 'CDC', init: 'Init'};
/** Border and padding (4), the field's title column (11), the cursor and the two spaces before a note (3). */
const valueChrome = 18;

/** Text longer than the line shows its end, where the cursor is, after an ellipsis. */
const tail = (text: string, room: number) => (text.length > room ? `…${text.slice(text.length - room + 1)}` : text);
const choiceFields = new Set<FormField>(['database', 'version', 'mode', 'cdc']);

/** c: a small form; enter starts the create in the background and closes it. */
export function CreateForm({width, height, onSubmit, onCancel}: CreateFormProps) {
	const state = useCreateForm({onSubmit, onCancel});
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" width={width} height={height} paddingX={1} overflowY="hidden">
			<Text bold wrap="truncate-end">
				{'Create a database  '}
				<Text dimColor>↑↓ field · ←→ choose · enter create · esc cancel</Text>
			</Text>
			{formFields.map(field => {
				const active = state.field === field;
				const {value, note} = describe(state, field);
				const shown = choiceFields.has(field) ? `‹ ${value} ›` : `${tail(value, Math.max(8, width - valueChrome))}${active ? '▏' : ''}`;
				return (
					<Text key={field} wrap="truncate-end">
						<Text color={active ? 'cyan' : undefined} bold={active}>{`${active ? '›' : ' '} ${fieldTitles[field].padEnd(9)}`}</Text>
						<Text inverse={active}>{shown.padEnd(14)}</Text>
						<Text dimColor>{`  ${note}`}</Text>
					</Text>
				);
			})}
			{state.error ? (
				<Text color="red" wrap="wrap">
					{state.error}
				</Text>
			) : undefined}
		</Box>
	);
}
