import {opKinds, type Mix, type OpKind} from './options.js';

/**
 * The kind of each next write, in the mix's proportions exactly over every cycle of its total
 * weight (smooth weighted round robin, as nginx balances upstreams): 60:30:10 is 6 inserts, 3
 * updates and 1 delete in every 10 writes, spread out rather than in runs, so a short load has
 * the mix asked for, and a test can count on it.
 */
export function mixPicker(mix: Mix): () => OpKind {
	const total = opKinds.reduce((sum, kind) => sum + mix[kind], 0);
	const current: Record<OpKind, number> = {insert: 0, update: 0, delete: 0};
	return () => {
		let best: OpKind = 'insert';
		for (const kind of opKinds) {
			current[kind] += mix[kind];
			if (current[kind] > current[best]) best = kind;
		}
		current[best] -= total;
		return best;
	};
}

/** A small seeded generator (mulberry32): which row an update or delete picks, reproducibly in tests. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/**
 * The ids of the rows a load may update or delete: pick one at random, and drop one, in constant
 * time (the last id moves into the hole).
 */
export class LiveIds {
	private readonly ids: number[] = [];
	private readonly at = new Map<number, number>();

	get size(): number {
		return this.ids.length;
	}

	add(id: number): void {
		if (this.at.has(id)) return;
		this.at.set(id, this.ids.length);
		this.ids.push(id);
	}

	delete(id: number): void {
		const index = this.at.get(id);
		if (index === undefined) return;
		const last = this.ids.pop()!;
		this.at.delete(id);
		if (last !== id) {
			this.ids[index] = last;
			this.at.set(last, index);
		}
	}

	/** A live id, or undefined when there is none; `random` returns [0, 1). */
	pick(random: () => number): number | undefined {
		if (this.ids.length === 0) return undefined;
		return this.ids[Math.floor(random() * this.ids.length)];
	}
}
