/**
 * The values of one written row. Each column is NULL now and then, and the values cycle through
 * the cases connectors commonly get wrong, so a few seconds of load meet every one of them.
 */
export type RowValues = {
	/** numeric(14,4) as exact text: a float would lose the scale. */
	amount: string | null;
	/** A 64-bit integer as text, some beyond 2^53 (where a JavaScript number rounds). */
	big: string | null;
	/** The same instant as ISO 8601 with microseconds and an offset, and as a UTC wall clock (DATETIME(6)). */
	happenedAt: {iso: string; wall: string};
	payload: Record<string, unknown> | null;
	note: string | null;
};

export const notes = [
	'plain ascii',
	'Grüße aus Köln, café, naïve',
	'日本語のテキスト',
	'emoji 🚀🎉👩‍💻',
	'עברית ومعها العربية',
	'quotes \' " and a backslash \\',
	'',
] as const;

const bigs = ['9007199254740993', '-9223372036854775808', '9223372036854775807', '42'] as const;

/** Microseconds a JavaScript Date cannot hold: the instant's millisecond plus a sub-millisecond part. */
function instant(epochMs: number, micros: number): {iso: string; wall: string} {
	const date = new Date(epochMs);
	const base = date.toISOString().slice(0, 23);
	const fraction = `${base}${String(micros % 1000).padStart(3, '0')}`;
	return {iso: `${fraction}+00:00`, wall: fraction.replace('T', ' ')};
}

/** Row `n` of a load, written at `epochMs`. */
export function rowValues(n: number, epochMs: number): RowValues {
	const cents = ((n * 7919) % 2_000_000) - 1_000_000;
	return {
		amount:
			n % 11 === 5 ? null : `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}${n % 10}${n % 7}`,
		big: n % 13 === 7 ? null : bigs[n % bigs.length]!,
		happenedAt: instant(epochMs, n),
		payload: n % 9 === 4 ? null : {n, tags: ['a', 'ü', '🚀'], nested: {ok: n % 2 === 0, nothing: null}, ratio: n / 8},
		note: n % 8 === 3 ? null : notes[n % notes.length]!,
	};
}
