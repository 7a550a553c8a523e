/**
 * The memory curator on one namespace of N memories (default 10,000) of which 20% are planted
 * near-duplicates of the others, written through the memory service like any client's memories
 * (hashing embedder, embedded libSQL file):
 * - half the planted copies differ in case, white space and punctuation (rule `same-text`), half
 *   are restatements — a phrase moved to the front, a word added — whose cosine with the original
 *   is reported against the vector threshold;
 * - the originals come from templates with names, numbers and values in slots, so many are
 *   near-misses of each other (one value swapped): merging any two of them is a false merge.
 * Measures a dry run, the run itself, a later incremental run (20 new memories, 10 of them
 * restatements) and the undo; counts merged, missed and false merges, and
 * checks that every merged original is readable in full from its canonical memory (lost = 0).
 * Prints JSON. Usage: node dist/scripts/bench-curate.js [memories = 10000] [share planted = 0.2] [seed = 7]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { createManualClock } from '../src/clock.js';
import { resolveConfig } from '../src/config/index.js';
import { silentLogger } from '../src/logger.js';
import { defaultSimilarity } from '../src/memory/curator.js';
import { cosine } from '../src/memory/supersede-hints.js';
import { textKey } from '../src/memory/text.js';
import type { MemoryKind } from '../src/memory/types.js';
import { mulberry32 } from '../src/prng.js';

const TOTAL = Number(process.argv[2] ?? 10_000);
const SHARE = Number(process.argv[3] ?? 0.2);
const SEED = Number(process.argv[4] ?? 7);
const NS = 'bench';
const rand = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const NAMES =
  'Alice Bob Carol Dana Erik Farah Gita Hugo Ines Jonas Kemal Lena Marco Nadia Omar Priya Quinn Rosa Sami Tariq Ursula Viktor Wen Xavier Yara Zeno Amara Bruno Chloe Diego Elif Felix Greta Hana Ivan Jana Kofi Lucia Mateo Noor'.split(
    ' ',
  );
const SLOTS: Record<string, string[]> = {
  drink: 'tea coffee cocoa juice water kombucha lemonade espresso matcha chai'.split(' '),
  time: 'morning afternoon evening weekend'.split(' '),
  relation: 'manager sister brother mentor dentist landlord coach neighbour doctor cousin'.split(' '),
  env: 'staging production testing demo preview'.split(' '),
  service: 'api billing search auth mail reporting gateway scheduler'.split(' '),
  allergen: 'penicillin peanuts shellfish pollen latex gluten dust cats'.split(' '),
  city: 'Lisbon Berlin Nairobi Osaka Lima Oslo Dublin Austin Quito Hanoi Porto Seoul'.split(' '),
  job: 'nurse pilot teacher architect chef plumber designer lawyer accountant engineer'.split(' '),
  company: 'Acme Globex Initech Umbrella Hooli Vandelay Stark Wayne Tyrell Soylent'.split(' '),
  project: 'Falcon Heron Kestrel Osprey Condor Puffin Raven Swift Wren Ibis'.split(' '),
  topic: 'budget roadmap hiring launch migration review'.split(' '),
  weekday: 'Monday Tuesday Wednesday Thursday Friday'.split(' '),
  hobby: 'climbing chess painting pottery running cycling baking knitting swimming gardening'.split(' '),
  device: 'fridge heater router printer boiler dishwasher'.split(' '),
  room: 'kitchen office garage basement attic hallway'.split(' '),
  noise: 'clicking humming rattling buzzing whistling'.split(' '),
  skill: 'Spanish welding calligraphy piano sailing Rust photography'.split(' '),
  item: 'chairs lamps monitors cables plants shelves'.split(' '),
  vault: '1Password Bitwarden Vault KeePass'.split(' '),
  pet: 'dog cat parrot rabbit tortoise hamster'.split(' '),
  petname: 'Biscuit Pepper Mochi Luna Ziggy Nacho Olive Tofu'.split(' '),
  race: 'marathon triathlon half-marathon relay'.split(' '),
  document: 'passport licence visa insurance lease'.split(' '),
  month: 'January March May July September November'.split(' '),
  tool: 'Jira Linear Notion Figma Grafana Sentry'.split(' '),
  purpose: 'planning tracking design monitoring alerts docs'.split(' '),
};
/** Templates: kind, text with {slot}s ({name}, {name2}, {n}, {port}, {year} are filled specially). */
const TEMPLATES: Array<[MemoryKind, string]> = [
  ['preference', '{name} prefers {drink} in the {time}'],
  ['fact', "{name}'s {relation} is called {name2}"],
  ['fact', 'The {env} {service} service runs on port {port}'],
  ['fact', '{name} is allergic to {allergen}'],
  ['fact', '{name} moved to {city} in {year}'],
  ['fact', '{name} works as a {job} at {company}'],
  ['event', 'Meeting with {name} about the {project} {topic} on {weekday}'],
  ['fact', 'The {project} deadline is {month} {n}'],
  ['preference', '{name} likes {hobby} on {weekday} evenings'],
  ['observation', 'The {device} in the {room} makes a {noise} noise'],
  ['note', '{name} wants to learn {skill} this year'],
  ['event', 'Ordered {n} {item} for the {room} from {company}'],
  ['fact', 'The {service} dashboard password is stored in {vault}'],
  ['fact', '{name} has a {pet} named {petname}'],
  ['note', '{name} is training for a {race} in {city}'],
  ['fact', 'The {env} cluster has {n} {service} nodes'],
  ['note', 'Remind {name} to renew the {document} before {month}'],
  ['event', '{name} visited {city} with {name2} for {n} days'],
  ['fact', 'The {project} team uses {tool} for {purpose}'],
];

function fill(template: string): string {
  const name = pick(NAMES);
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (slot === 'name') return name;
    if (slot === 'name2') return pick(NAMES.filter((n) => n !== name));
    if (slot === 'n') return String(2 + Math.floor(rand() * 28));
    if (slot === 'port') return String(3000 + Math.floor(rand() * 6000));
    if (slot === 'year') return String(2001 + Math.floor(rand() * 25));
    return pick(SLOTS[slot]!);
  });
}

/** A copy differing in case, white space and punctuation only (always punctuation, else it is an exact duplicate). */
function textVariant(s: string): string {
  const words = s.split(' ');
  const i = 1 + Math.floor(rand() * (words.length - 1));
  if (rand() < 0.5) words[i] = words[i]!.toUpperCase();
  else words[0] = words[0]!.toLowerCase();
  let out = words.join(rand() < 0.5 ? '  ' : ' ');
  out = rand() < 0.5 ? `${out}!` : `${out}.`;
  if (rand() < 0.3) out = out.replace(' ', ', ');
  return rand() < 0.3 ? `  ${out} ` : out;
}

const PREPOSITIONS = [' in the ', ' on ', ' for ', ' at ', ' about the ', ' from ', ' before ', ' with '];
const FILLERS = ['really', 'definitely', 'usually', 'apparently'];

/** A restatement: a trailing phrase moved to the front, or a word added, or both. */
function paraphrase(s: string): string {
  let out = s;
  const cut = PREPOSITIONS.map((p) => out.lastIndexOf(p))
    .filter((i) => i > 0)
    .sort((a, b) => b - a)[0];
  const move = cut !== undefined && rand() < 0.6;
  if (move) {
    const tail = out.slice(cut + 1);
    const head = out.slice(0, cut);
    out = `${tail[0]!.toUpperCase()}${tail.slice(1)}, ${/^[A-Z][a-z]+'?s?\b/.test(head) && NAMES.some((n) => head.startsWith(n)) ? head : head[0]!.toLowerCase() + head.slice(1)}`;
  }
  if (!move || rand() < 0.4) {
    const words = out.split(' ');
    words.splice(1, 0, pick(FILLERS));
    out = words.join(' ');
  }
  return out;
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'cairn-bench-curate-'));
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  const config = resolveConfig(
    { CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'silent', CAIRN_CHECKIN_MINUTES: '0', CAIRN_CURATE_MINUTES: '0' },
    [],
  );
  const app = await createApp(config, { logger: silentLogger, clock });
  try {
    const planted = Math.round(TOTAL * SHARE);
    const bases: Array<{ kind: MemoryKind; content: string; occurredAt?: number }> = [];
    const keys = new Set<string>();
    while (bases.length < TOTAL - planted) {
      const [kind, template] = pick(TEMPLATES);
      const content = fill(template);
      const key = `${kind}:${textKey(content)}`;
      if (keys.has(key)) continue;
      keys.add(key);
      bases.push({
        kind,
        content,
        ...(kind === 'event' || kind === 'observation' ? { occurredAt: Date.UTC(2025, 0, 1) + Math.floor(rand() * 300) * 86_400_000 } : {}),
      });
    }
    const copies = Array.from({ length: planted }, () => {
      const base = Math.floor(rand() * bases.length);
      const type = rand() < 0.5 ? ('text' as const) : ('paraphrase' as const);
      return { base, type, content: type === 'text' ? textVariant(bases[base]!.content) : paraphrase(bases[base]!.content) };
    });
    // Each copy is written some time after its original, the rest interleaved at random.
    const order = [...bases.map((_, i) => ({ at: rand(), base: i, copy: -1 })), ...copies.map((c, j) => ({ at: 0, base: c.base, copy: j }))];
    const baseAt = new Map(order.filter((o) => o.copy < 0).map((o) => [o.base, o.at]));
    for (const o of order) if (o.copy >= 0) o.at = baseAt.get(o.base)! + (1 - baseAt.get(o.base)!) * rand() + 1e-9;
    order.sort((a, b) => a.at - b.at);

    const idOf = new Map<string, { base: number; copy: number }>();
    const baseId = new Map<number, string>();
    const copyId: string[] = [];
    let deduplicatedAtWrite = 0;
    const t0 = performance.now();
    for (const o of order) {
      const b = bases[o.base]!;
      const content = o.copy < 0 ? b.content : copies[o.copy]!.content;
      const r = await app.memory.remember(NS, { content, kind: b.kind, ...(b.occurredAt !== undefined ? { occurredAt: b.occurredAt } : {}) });
      clock.advance(61_000);
      if (r.deduplicated) deduplicatedAtWrite++;
      if (!idOf.has(r.id)) idOf.set(r.id, { base: o.base, copy: o.copy });
      if (o.copy < 0) baseId.set(o.base, r.id);
      else copyId[o.copy] = r.id;
    }
    const ingestMs = performance.now() - t0;

    const embedder = app.embeddings.active();
    const threshold = defaultSimilarity(embedder.id);
    const para = copies.map((c, j) => ({ c, j })).filter((x) => x.c.type === 'paraphrase');
    const pv = await embedder.embed(para.flatMap((x) => [bases[x.c.base]!.content, x.c.content]));
    const aboveThreshold = para.filter((_, i) => cosine(pv[2 * i]!, pv[2 * i + 1]!) >= threshold).length;

    let t = performance.now();
    const dry = await app.curator.run(NS, { dryRun: true });
    const dryMs = performance.now() - t;
    t = performance.now();
    const run = await app.curator.run(NS);
    const runMs = performance.now() - t;

    const groupOf = (id: string) => idOf.get(id)!.base;
    const falseMerges = run.merges.filter((m) => groupOf(m.sourceId) !== groupOf(m.targetId));
    const merged = new Set(run.merges.map((m) => m.sourceId));
    const targetOf = new Map(run.merges.map((m) => [m.sourceId, m.targetId]));
    const together = (a: string, b: string) => (targetOf.get(a) ?? a) === (targetOf.get(b) ?? b);
    const missed = { text: 0, paraphrase: 0 };
    copies.forEach((c, j) => {
      const id = copyId[j]!;
      if (id === baseId.get(c.base)) return;
      if (!together(id, baseId.get(c.base)!)) missed[c.type]++;
    });
    let lost = 0;
    const targets = [...new Set(run.merges.map((m) => m.targetId))];
    for (const target of targets) {
      const h = await app.memory.history(NS, target);
      const readable = new Map(h.merged.map((m) => [m.id, m.content]));
      for (const m of run.merges.filter((x) => x.targetId === target)) if (readable.get(m.sourceId) !== m.sourceContent) lost++;
    }
    const visible = (await app.repos.memories.count(NS)).live;

    // The background pass after a few new memories (10 of them restatements) compares only those.
    for (let i = 0; i < 20; i++) {
      const base = bases[Math.floor(rand() * bases.length)]!;
      const content = i < 10 ? paraphrase(base.content) : fill(pick(TEMPLATES)[1]);
      await app.memory.remember(NS, { content, kind: base.kind, ...(base.occurredAt !== undefined ? { occurredAt: base.occurredAt } : {}) });
      clock.advance(61_000);
    }
    t = performance.now();
    const next = await app.curator.run(NS, { actor: 'curator' });
    const nextMs = performance.now() - t;
    await app.curator.undo(NS, next.runId!);

    t = performance.now();
    const undo = await app.curator.undo(NS, run.runId!);
    const undoMs = performance.now() - t;
    const afterUndo = (await app.repos.memories.count(NS)).live;

    process.stdout.write(
      `${JSON.stringify(
        {
          memories: order.length,
          planted,
          planted_text: copies.filter((c) => c.type === 'text').length,
          planted_paraphrase: para.length,
          paraphrase_above_threshold: aboveThreshold,
          deduplicated_at_write: deduplicatedAtWrite,
          embedder: embedder.id,
          threshold,
          merged: merged.size,
          merged_by_rule: { same_text: run.merges.filter((m) => m.rule === 'same-text').length, vector: run.merges.filter((m) => m.rule === 'vector').length },
          false_merges: falseMerges.length,
          false_merge_examples: falseMerges.slice(0, 3).map((m) => [m.sourceContent, m.targetContent]),
          missed,
          lost,
          visible_after: visible,
          undo: { unmerged: undo.unmerged.length, kept: undo.kept.length, visible_after: afterUndo },
          decayed: run.decayed,
          incremental: { new: next.new, merged: next.merges.length },
          ms: {
            ingest: Math.round(ingestMs),
            dry_run: Math.round(dryMs),
            curate: Math.round(runMs),
            incremental: Math.round(nextMs),
            undo: Math.round(undoMs),
          },
          dry_run_merges: dry.merges.length,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await app.close();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
