import { CairnError } from '../../errors.js';
import type { DocColumnsState } from '../columns.js';
import type { DocStoreState } from '../doc-store.js';
import type { ListPoolState } from '../list-pool.js';
import type { ResolvedOptions } from '../options.js';
import type { VectorState } from '../vector/vector-index.js';
import type { SectionValue } from './image.js';

/**
 * Version of what a saved index holds and how it is laid out. Bump it whenever tokenisation,
 * stemming, field weighting, vector quantisation or any saved structure changes: an image of
 * another version is never loaded (the index is rebuilt instead).
 */
export const INDEX_FORMAT = 2;

/** The options that shape what an index holds, as canonical JSON (the SIMD switch does not). */
export function optionsFingerprint(o: ResolvedOptions): string {
  const { simd: _simd, ...shaping } = o;
  return JSON.stringify(shaping);
}

/** A store's state as named sections and scalars. */
export function stateToImage(state: DocStoreState): { meta: Record<string, number>; values: Map<string, SectionValue> } {
  const values = new Map<string, SectionValue>();
  const meta: Record<string, number> = {};
  const pool = (name: string, p: ListPoolState) => {
    values.set(`${name}.start`, p.start);
    values.set(`${name}.length`, p.length);
    values.set(`${name}.ids`, p.ids);
    if (p.values) values.set(`${name}.values`, p.values);
  };
  const vectors = (name: string, v: VectorState) => {
    Object.assign(meta, { [`${name}.dim`]: v.dim, [`${name}.stride`]: v.stride, [`${name}.size`]: v.size });
    values.set(`${name}.codes`, v.codes);
    values.set(`${name}.scales`, v.scales);
    values.set(`${name}.keys`, v.keys);
  };
  values.set('ids', state.ids);
  values.set('free', state.free);
  const { values: dictionary, tags, ...columns } = state.columns;
  values.set('columns.values', dictionary);
  for (const [name, column] of Object.entries(columns)) values.set(`columns.${name}`, column);
  pool('columns.tags', tags);
  pool('own', state.own);
  pool('labels', state.labels);
  const { terms, postings, entries, indexed, lengths, totalLength, docCount } = state.bm25;
  values.set('bm25.terms', terms);
  pool('bm25.postings', postings);
  pool('bm25.entries', entries);
  values.set('bm25.indexed', indexed);
  values.set('bm25.lengths', lengths);
  Object.assign(meta, { 'bm25.totalLength': totalLength, 'bm25.docCount': docCount });
  for (const [name, value] of Object.entries(state.threads)) values.set(`threads.${name}`, value);
  vectors('vectors', state.vectors);
  const s = state.semantic;
  meta.semantic = s ? 1 : 0;
  if (s) {
    Object.assign(meta, {
      'semantic.modelledTerms': s.modelledTerms,
      'semantic.dim': s.dim,
      'semantic.changes': s.changes,
      'semantic.builtWith': s.builtWith,
      'semantic.docs': s.docs ? 1 : 0,
    });
    values.set('semantic.rowOf', s.rowOf);
    values.set('semantic.termVectors', s.termVectors);
    if (s.docs) vectors('semantic.docs', s.docs);
  }
  return { meta, values };
}

/**
 * Reads a store's state back from named sections and scalars, checking that every section is
 * there, of the right type and of a consistent length.
 *
 * @throws CairnError `CACHE_ERROR` naming the first section that is missing or does not fit.
 */
export function imageToState(meta: Readonly<Record<string, number>>, values: ReadonlyMap<string, SectionValue>): DocStoreState {
  const bad = (name: string, why: string) => new CairnError('CACHE_ERROR', `index image: section ${name} ${why}`);
  const get = <T extends SectionValue>(name: string, type: new (...args: never[]) => T, length?: number): T => {
    const v = values.get(name);
    if (!(v instanceof type)) throw bad(name, 'is missing or of the wrong type');
    if (length !== undefined && (v as { length: number }).length !== length) throw bad(name, `has ${(v as { length: number }).length} entries, not ${length}`);
    return v;
  };
  const strings = (name: string, length?: number): string[] => get(name, Array as unknown as new () => string[], length);
  const num = (name: string): number => {
    const v = meta[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(name, 'is missing');
    return v;
  };
  const pool = (name: string, keys: number | undefined, withValues: boolean): ListPoolState => {
    const start = get(`${name}.start`, Int32Array, keys);
    const length = get(`${name}.length`, Int32Array, start.length);
    const ids = get(`${name}.ids`, Int32Array);
    for (let k = 0; k < start.length; k++) {
      const s = start[k] as number;
      const n = length[k] as number;
      if (s < 0 || n < 0 || s + n > ids.length) throw bad(name, 'points outside its pairs');
    }
    return { start, length, ids, values: withValues ? get(`${name}.values`, Float32Array, ids.length) : null };
  };
  const vectors = (name: string): VectorState => {
    const size = num(`${name}.size`);
    const stride = num(`${name}.stride`);
    return {
      dim: num(`${name}.dim`),
      stride,
      size,
      codes: get(`${name}.codes`, Int8Array, size * stride),
      scales: get(`${name}.scales`, Float64Array, size),
      keys: get(`${name}.keys`, Int32Array, size),
    };
  };

  const ids = strings('ids');
  const slots = ids.length;
  const columns: DocColumnsState = {
    values: strings('columns.values'),
    type: get('columns.type', Uint8Array, slots),
    occurredAt: get('columns.occurredAt', Float64Array, slots),
    importance: get('columns.importance', Float64Array, slots),
    reward: get('columns.reward', Float64Array, slots),
    decay: get('columns.decay', Float64Array, slots),
    staticPrior: get('columns.staticPrior', Float64Array, slots),
    flags: get('columns.flags', Uint8Array, slots),
    kind: get('columns.kind', Int32Array, slots),
    taskType: get('columns.taskType', Int32Array, slots),
    domain: get('columns.domain', Int32Array, slots),
    outcome: get('columns.outcome', Int32Array, slots),
    tags: pool('columns.tags', undefined, false),
  };
  const terms = strings('bm25.terms');
  const threadNames = strings('threads.names');
  const counts = get('threads.counts', Int32Array, threadNames.length);
  const links = (name: string) => get(`threads.${name}`, Int32Array);
  const prev = links('prev');
  let semantic: DocStoreState['semantic'] = null;
  if (num('semantic') === 1) {
    semantic = {
      rowOf: get('semantic.rowOf', Int32Array),
      modelledTerms: num('semantic.modelledTerms'),
      dim: num('semantic.dim'),
      termVectors: get('semantic.termVectors', Float32Array),
      docs: num('semantic.docs') === 1 ? vectors('semantic.docs') : null,
      changes: num('semantic.changes'),
      builtWith: num('semantic.builtWith'),
    };
  }
  return {
    ids,
    free: get('free', Int32Array),
    columns,
    own: pool('own', undefined, true),
    labels: pool('labels', undefined, false),
    bm25: {
      terms,
      postings: pool('bm25.postings', undefined, true),
      entries: pool('bm25.entries', undefined, true),
      indexed: get('bm25.indexed', Uint8Array),
      lengths: get('bm25.lengths', Float64Array),
      totalLength: num('bm25.totalLength'),
      docCount: num('bm25.docCount'),
    },
    threads: {
      names: threadNames,
      members: get(
        'threads.members',
        Int32Array,
        counts.reduce((a, n) => a + n, 0),
      ),
      counts,
      thread: get('threads.thread', Int32Array, prev.length),
      prev,
      next: get('threads.next', Int32Array, prev.length),
      key: get('threads.key', Float64Array, prev.length),
      when: get('threads.when', Float64Array, prev.length),
      written: get('threads.written', Float64Array, prev.length),
      gaps: get('threads.gaps', Float64Array, threadNames.length),
      byWrite: get('threads.byWrite', Uint8Array, threadNames.length),
    },
    vectors: vectors('vectors'),
    semantic,
  };
}
