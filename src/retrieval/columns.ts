import { createListPool, type ListPoolState } from './list-pool.js';
import type { RetrievalDocType } from './types.js';

/** Document type as stored in the `type` column; 0 marks a free slot. */
export const TYPE_CODE: Readonly<Record<RetrievalDocType, number>> = { memory: 1, episode: 2, pattern: 3 };

/** Bits of the `flags` column. */
export const FLAG = { asks: 1, mentionsTime: 2, hidden: 4 } as const;

/** What the columns record of one document. */
export interface DocAttributes {
  type: number;
  occurredAt: number;
  importance: number;
  reward: number | undefined;
  /** Disuse multiplier, (0, 1]. */
  decay: number;
  staticPrior: number;
  asks: boolean;
  mentionsTime: boolean;
  /** Returned only when a query asks for hidden documents. */
  hidden: boolean;
  kind: string | undefined;
  taskType: string | undefined;
  domain: string | undefined;
  outcome: string | undefined;
  tags: readonly string[];
}

/**
 * The attributes of every document, one typed array per attribute indexed by slot (strings as
 * codes into one dictionary of values), for filters and priors to read in hot loops. Arrays are
 * replaced when they grow: read them through the getters, never keep one across an add.
 */
export interface DocColumns {
  /** One more than the highest slot ever set. */
  readonly slotLimit: number;
  readonly type: Uint8Array;
  readonly occurredAt: Float64Array;
  readonly importance: Float64Array;
  /** NaN when the document has no reward. */
  readonly reward: Float64Array;
  /** Disuse multiplier (1 when the document has none). */
  readonly decay: Float64Array;
  /** Importance × decay × reward multiplier (depends on the document alone). */
  readonly staticPrior: Float64Array;
  /** {@link FLAG} bits. */
  readonly flags: Uint8Array;
  /** Value codes, -1 when absent. */
  readonly kind: Int32Array;
  readonly taskType: Int32Array;
  readonly domain: Int32Array;
  readonly outcome: Int32Array;
  /** Documents of a type code held now. */
  typeCount(code: number): number;
  /** Hidden documents held now. */
  readonly hiddenCount: number;
  /** The string of a value code (undefined for -1). */
  valueOf(code: number): string | undefined;
  /** Codes of every value equal to `value` ignoring case. */
  codesLike(value: string): readonly number[];
  /** Value codes of the tags of `slot` (a copy). */
  tagCodes(slot: number): Int32Array;
  /** The tags of `slot` as given. */
  tagsOf(slot: number): string[];
  set(slot: number, attrs: DocAttributes): void;
  /** Marks `slot` free. */
  clear(slot: number): void;
  /** Everything the columns hold: views valid until the next write. */
  state(): DocColumnsState;
}

/** Saved columns (arrays by slot, `slotLimit` long). */
export interface DocColumnsState {
  values: string[];
  type: Uint8Array;
  occurredAt: Float64Array;
  importance: Float64Array;
  reward: Float64Array;
  decay: Float64Array;
  staticPrior: Float64Array;
  flags: Uint8Array;
  kind: Int32Array;
  taskType: Int32Array;
  domain: Int32Array;
  outcome: Int32Array;
  tags: ListPoolState;
}

/** Creates empty columns, or columns holding a saved `state` (its arrays are used as they are). */
export function createDocColumns(state?: DocColumnsState): DocColumns {
  const values: string[] = state?.values ?? [];
  const codeOf = new Map<string, number>();
  const byLower = new Map<string, number[]>();
  const index = (value: string, code: number) => {
    codeOf.set(value, code);
    const lower = value.toLowerCase();
    const list = byLower.get(lower);
    if (list) list.push(code);
    else byLower.set(lower, [code]);
  };
  values.forEach(index);
  const intern = (value: string | undefined): number => {
    if (value === undefined) return -1;
    let code = codeOf.get(value);
    if (code === undefined) {
      code = values.length;
      values.push(value);
      index(value, code);
    }
    return code;
  };

  let slotLimit = state?.type.length ?? 0;
  let c: Omit<DocColumnsState, 'values' | 'tags'> = state ?? {
    type: new Uint8Array(64),
    occurredAt: new Float64Array(64),
    importance: new Float64Array(64),
    reward: new Float64Array(64),
    decay: new Float64Array(64),
    staticPrior: new Float64Array(64),
    flags: new Uint8Array(64),
    kind: new Int32Array(64),
    taskType: new Int32Array(64),
    domain: new Int32Array(64),
    outcome: new Int32Array(64),
  };
  const tags = createListPool(false, state?.tags);
  const typeCounts = new Int32Array(4);
  const count = (code: number, delta: number) => (typeCounts[code] = (typeCounts[code] as number) + delta);
  let hiddenCount = 0;
  const isHidden = (slot: number) => c.type[slot] !== 0 && ((c.flags[slot] as number) & FLAG.hidden) !== 0;
  for (let slot = 0; slot < slotLimit; slot++) {
    count(c.type[slot] as number, 1);
    if (isHidden(slot)) hiddenCount++;
  }

  const grow = (slot: number) => {
    if (slot < c.type.length) return;
    const size = Math.max(slot + 1, c.type.length * 2);
    const more = <T extends Uint8Array | Int32Array | Float64Array>(old: T, make: new (n: number) => T): T => {
      const fresh = new make(size);
      fresh.set(old as never);
      return fresh;
    };
    c = {
      ...c,
      type: more(c.type, Uint8Array),
      occurredAt: more(c.occurredAt, Float64Array),
      importance: more(c.importance, Float64Array),
      reward: more(c.reward, Float64Array),
      decay: more(c.decay, Float64Array),
      staticPrior: more(c.staticPrior, Float64Array),
      flags: more(c.flags, Uint8Array),
      kind: more(c.kind, Int32Array),
      taskType: more(c.taskType, Int32Array),
      domain: more(c.domain, Int32Array),
      outcome: more(c.outcome, Int32Array),
    };
  };

  return {
    get slotLimit() {
      return slotLimit;
    },
    get type() {
      return c.type;
    },
    get occurredAt() {
      return c.occurredAt;
    },
    get importance() {
      return c.importance;
    },
    get reward() {
      return c.reward;
    },
    get decay() {
      return c.decay;
    },
    get staticPrior() {
      return c.staticPrior;
    },
    get flags() {
      return c.flags;
    },
    get kind() {
      return c.kind;
    },
    get taskType() {
      return c.taskType;
    },
    get domain() {
      return c.domain;
    },
    get outcome() {
      return c.outcome;
    },
    typeCount: (code) => typeCounts[code] ?? 0,
    get hiddenCount() {
      return hiddenCount;
    },
    valueOf: (code) => (code >= 0 ? values[code] : undefined),
    codesLike: (value) => byLower.get(value.toLowerCase()) ?? [],
    tagCodes: (slot) => tags.idsOf(slot),
    tagsOf: (slot) => Array.from(tags.idsOf(slot), (code) => values[code] as string),
    set(slot, a) {
      grow(slot);
      slotLimit = Math.max(slotLimit, slot + 1);
      if (isHidden(slot)) hiddenCount--;
      count(c.type[slot] as number, -1);
      count(a.type, 1);
      c.type[slot] = a.type;
      c.occurredAt[slot] = a.occurredAt;
      c.importance[slot] = a.importance;
      c.reward[slot] = a.reward ?? NaN;
      c.decay[slot] = a.decay;
      c.staticPrior[slot] = a.staticPrior;
      c.flags[slot] = (a.asks ? FLAG.asks : 0) | (a.mentionsTime ? FLAG.mentionsTime : 0) | (a.hidden ? FLAG.hidden : 0);
      if (a.hidden) hiddenCount++;
      c.kind[slot] = intern(a.kind);
      c.taskType[slot] = intern(a.taskType);
      c.domain[slot] = intern(a.domain);
      c.outcome[slot] = intern(a.outcome);
      tags.set(slot, a.tags.map(intern));
    },
    clear(slot) {
      if (slot >= slotLimit) return;
      if (isHidden(slot)) hiddenCount--;
      count(c.type[slot] as number, -1);
      c.type[slot] = 0;
      tags.clear(slot);
    },
    state() {
      const n = slotLimit;
      return {
        values,
        type: c.type.subarray(0, n),
        occurredAt: c.occurredAt.subarray(0, n),
        importance: c.importance.subarray(0, n),
        reward: c.reward.subarray(0, n),
        decay: c.decay.subarray(0, n),
        staticPrior: c.staticPrior.subarray(0, n),
        flags: c.flags.subarray(0, n),
        kind: c.kind.subarray(0, n),
        taskType: c.taskType.subarray(0, n),
        domain: c.domain.subarray(0, n),
        outcome: c.outcome.subarray(0, n),
        tags: tags.state(),
      };
    },
  };
}
