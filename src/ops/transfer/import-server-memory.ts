import { CairnError } from '../../errors.js';
import type { MemoryService } from '../../memory/service.js';
import type { ProgressFn } from '../../progress.js';
import { type ImportReport, MAX_LISTED } from './import-cairn.js';

/** A memory as the server-memory import would store it. */
export type MemoryInput = Parameters<MemoryService['remember']>[1];

/** Options of {@link importServerMemory}. */
export interface ServerMemoryImportOptions {
  /** Namespace to import into. */
  namespace: string;
  /**
   * The rules a memory must pass before it is stored (the `remember` tool's input rules, from
   * src/server/import-rules.ts): null when it passes, else the field at fault and what it accepts.
   */
  checkMemory: (input: MemoryInput) => string | null;
  /** Called as memories are written, with those processed so far and the total. */
  onProgress?: ProgressFn;
  /** Stop at the first refused memory instead of importing the rest. Default false. */
  strict?: boolean;
}

interface Entity {
  name: string;
  entityType: string;
  observations: Array<{ text: string; line: number }>;
  /** Where the entity first appears. */
  line: number;
}
interface Relation {
  from: string;
  to: string;
  relationType: string;
  line: number;
}
/** A link from an entity to another, kept in the metadata of the entity's memories. */
interface Link {
  relation: string;
  to?: string;
  from?: string;
}

const TAG_MAX = 64;
const tag = (s: string) => s.trim().slice(0, TAG_MAX);
const words = (relationType: string) => relationType.replace(/[_-]+/g, ' ').trim();

/**
 * Imports the knowledge graph of the official `@modelcontextprotocol/server-memory`
 * (`memory.jsonl`: `{"type":"entity","name","entityType","observations":[…]}` and
 * `{"type":"relation","from","to","relationType"}` lines). Each observation becomes an
 * `observation` memory "Name: text" tagged with the entity's name and type; an entity without
 * observations becomes one "Name is a type" memory; each relation becomes a `fact` memory
 * "From relation to To" tagged with both ends. Entity memories carry their links in
 * `metadata.links`. Memories go through the memory service, so duplicates (a second import) are
 * recognised and indexes stay in step.
 */
export async function importServerMemory(memory: MemoryService, lines: AsyncIterable<string>, opts: ServerMemoryImportOptions): Promise<ImportReport> {
  const entities = new Map<string, Entity>();
  const relations: Relation[] = [];
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === '') continue;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new CairnError('INVALID_INPUT', `line ${lineNo}: not valid JSON; memory.jsonl has one JSON object per line`);
    }
    if (v.type === 'entity' && typeof v.name === 'string' && v.name.trim()) {
      const obs = Array.isArray(v.observations)
        ? v.observations.filter((o): o is string => typeof o === 'string' && o.trim() !== '').map((text) => ({ text, line: lineNo }))
        : [];
      const prev = entities.get(v.name);
      const entityType = typeof v.entityType === 'string' && v.entityType.trim() ? v.entityType : 'entity';
      entities.set(v.name, { name: v.name, entityType, observations: [...(prev?.observations ?? []), ...obs], line: prev?.line ?? lineNo });
    } else if (v.type === 'relation' && typeof v.from === 'string' && typeof v.to === 'string' && typeof v.relationType === 'string') {
      relations.push({ from: v.from, to: v.to, relationType: v.relationType, line: lineNo });
    } else {
      throw new CairnError(
        'INVALID_INPUT',
        `line ${lineNo}: expected an entity {"type":"entity","name",…} or a relation {"type":"relation","from","to","relationType"}`,
      );
    }
  }
  if (entities.size === 0 && relations.length === 0) throw new CairnError('INVALID_INPUT', 'the file holds no entities or relations');

  const links = new Map<string, Link[]>();
  for (const r of relations) {
    links.set(r.from, [...(links.get(r.from) ?? []), { relation: r.relationType, to: r.to }]);
    links.set(r.to, [...(links.get(r.to) ?? []), { relation: r.relationType, from: r.from }]);
  }
  const report: ImportReport = {
    format: 'server-memory',
    inserted: Object.create(null),
    skipped: Object.create(null),
    droppedColumns: Object.create(null),
    unknownTables: [],
    rejected: Object.create(null),
    rejectedRows: [],
  };
  const total = [...entities.values()].reduce((n, e) => n + Math.max(1, e.observations.length), 0) + relations.length;
  let done = 0;
  // Each memory passes the remember tool's own input rules, so the import stores nothing the tool would refuse.
  const save = async (bucket: 'observations' | 'entities' | 'relations', line: number, fields: MemoryInput) => {
    const input: MemoryInput = { ...fields, source: 'server-memory' };
    const problem = opts.checkMemory(input);
    if (problem !== null) {
      const reason = `the ${bucket.replace(/s$/, '')} would make a memory whose ${problem}`;
      if (opts.strict) throw new CairnError('INVALID_INPUT', `line ${line}: ${reason}; stopped there (--strict): the memories before it were imported`);
      report.rejected[bucket] = (report.rejected[bucket] ?? 0) + 1;
      if (report.rejectedRows.length < MAX_LISTED) report.rejectedRows.push({ line, table: bucket, id: null, reason });
      opts.onProgress?.(++done, total);
      return;
    }
    const r = await memory.remember(opts.namespace, input);
    const into = r.deduplicated ? report.skipped : report.inserted;
    into[bucket] = (into[bucket] ?? 0) + 1;
    opts.onProgress?.(++done, total);
  };

  for (const e of entities.values()) {
    const tags = [...new Set([tag(e.name), tag(e.entityType)])].filter(Boolean);
    const metadata = { entity: e.name, entity_type: e.entityType, ...(links.get(e.name)?.length ? { links: links.get(e.name) } : {}) };
    if (e.observations.length === 0) await save('entities', e.line, { content: `${e.name} is a ${e.entityType}`, kind: 'fact', tags, metadata });
    for (const o of e.observations) await save('observations', o.line, { content: `${e.name}: ${o.text}`, kind: 'observation', tags, metadata });
  }
  for (const r of relations) {
    await save('relations', r.line, {
      content: `${r.from} ${words(r.relationType)} ${r.to}`,
      kind: 'fact',
      tags: [...new Set([tag(r.from), tag(r.to)])].filter(Boolean),
      metadata: { relation: { from: r.from, to: r.to, type: r.relationType } },
    });
  }
  return report;
}
