import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/prng.js';
import { createListPool, type ListPool } from '../../src/retrieval/list-pool.js';

/** The pairs of `key` as the pool holds them, in order. */
function pairs(pool: ListPool, key: number): Array<[number, number]> {
  const { ids, values } = pool.slab();
  const from = pool.start(key);
  return Array.from({ length: pool.length(key) }, (_, i) => [ids[from + i] as number, values[from + i] as number]);
}

describe('list pool', () => {
  it('matches plain arrays through appends, swap-removals, replacements and clears, across compactions and a save', () => {
    const r = mulberry32(11);
    const pool = createListPool();
    const model = new Map<number, Array<[number, number]>>();
    for (let step = 0; step < 20_000; step++) {
      const key = Math.floor(r() * 200);
      const list = model.get(key) ?? [];
      const op = r();
      if (op < 0.6) {
        const pair: [number, number] = [Math.floor(r() * 1000), Math.fround(r())];
        pool.append(key, ...pair);
        list.push(pair);
      } else if (op < 0.8 && list.length > 0) {
        const id = list[Math.floor(r() * list.length)]![0];
        expect(pool.removeId(key, id)).toBe(true);
        const at = list.map(([x]) => x).lastIndexOf(id);
        list[at] = list[list.length - 1]!;
        list.pop();
      } else if (op < 0.95) {
        const fresh = Array.from({ length: Math.floor(r() * 30) }, (): [number, number] => [Math.floor(r() * 1000), Math.fround(r())]);
        pool.set(
          key,
          fresh.map(([id]) => id),
          fresh.map(([, v]) => v),
        );
        list.splice(0, list.length, ...fresh);
      } else {
        pool.clear(key);
        list.length = 0;
      }
      model.set(key, list);
    }
    for (const [key, list] of model) expect(pairs(pool, key)).toEqual(list);
    expect(pool.removeId(3, 123_456)).toBe(false);

    const restored = createListPool(true, pool.state());
    for (const [key, list] of model) expect(pairs(restored, key)).toEqual(list);
    restored.append(7, 1, 0.5);
    expect(pairs(restored, 7)).toEqual([...(model.get(7) ?? []), [1, 0.5]]);
    expect(restored.idsOf(9999)).toEqual(new Int32Array(0));
  });
});
