import { clipToTokens, estimateTokens, oneLine } from './tokens.js';
import type { ContextPack, PackInput, PackMemory } from './types.js';

/** Longest line of a pack, in tokens; a longer memory is cut. */
const LINE_TOKENS = 120;
/** Lines every section gets before any section gets more. */
const FIRST_LINES = 2;

type Included = ContextPack['included'];
interface Line {
  text: string;
  /** Records what the line shows once it is kept. */
  keep: (into: Included) => void;
}
interface Section {
  title: string;
  lines: Line[];
}

/**
 * Renders a session pack within `budget` tokens. Sections come in a fixed order — what the user is
 * working on, the last sessions, preferences, decisions, energy and check-ins, recent notes — and
 * share the budget fairly: each first gets up to two lines (in that order), then the rest is filled
 * in the same order. A section with nothing to show is left out; so is one whose lines do not fit.
 */
export function renderPack(input: PackInput, budget: number): ContextPack {
  const included: Included = { tasks: [], episodes: [], memories: [], checkIns: [] };
  const header = clipToTokens(headerOf(input), budget);
  let used = estimateTokens(header);
  const sections = sectionsOf(input);
  const kept = sections.map(() => [] as Line[]);
  const titleCost = (i: number) => (kept[i]!.length === 0 ? estimateTokens(`\n\n## ${sections[i]!.title}`) : 0);
  const take = (i: number, line: Line) => {
    const cost = titleCost(i) + estimateTokens(`\n${line.text}`);
    if (used + cost > budget) return false;
    used += cost;
    kept[i]!.push(line);
    return true;
  };
  const next = sections.map(() => 0);
  for (let pass = 0; pass < 2; pass++) {
    sections.forEach((section, i) => {
      const stop = pass === 0 ? Math.min(FIRST_LINES, section.lines.length) : section.lines.length;
      // A line that does not fit is skipped for good; shorter ones after it may still fit.
      for (; next[i]! < stop; next[i]!++) take(i, section.lines[next[i]!]!);
    });
  }
  let text = header;
  sections.forEach((section, i) => {
    if (kept[i]!.length === 0) return;
    text += `\n\n## ${section.title}`;
    for (const line of kept[i]!) {
      text += `\n${line.text}`;
      line.keep(included);
    }
  });
  return { text, tokens: estimateTokens(text), budget, included };
}

function headerOf(input: PackInput): string {
  const where = input.project ? `project ${input.project.name}` : 'all projects';
  const away = input.focus?.active ? '' : input.minutesAway === null ? '' : `; last activity ${ago(input.minutesAway)}`;
  return `# Cairn memory — ${where}\nNow ${time(input.now, input.timeZone)}${away}. Facts below were recorded by Cairn; query_memory finds more.`;
}

function sectionsOf(input: PackInput): Section[] {
  const memLine = (m: PackMemory, prefix = '') =>
    line(`- ${prefix}${oneLine(m.content)} (${day(m.createdAt, input.timeZone)}${m.global ? ', global' : ''})`, (inc) => inc.memories.push(m.id));
  const working: Line[] = [];
  if (input.focus)
    working.push(
      line(`- Focus: ${input.focus.label}, ${input.focus.minutes} min${input.focus.active ? ' so far (running)' : ' (last session)'}`, () => undefined),
    );
  for (const t of input.tasks) {
    const next = t.next ? ` — next: ${t.next.title}${t.next.minutes ? ` (~${t.next.minutes} min)` : ''}` : '';
    working.push(line(`- Task: ${oneLine(t.title)}${next} [${t.done}/${t.total} done]`, (inc) => inc.tasks.push(t.id)));
  }
  for (const e of input.episodes) {
    const last = e.last ? ` — last step: ${e.last.tool} ${oneLine(e.last.action)}${e.last.result ? ` → ${e.last.result}` : ''}` : '';
    working.push(line(`- Open episode: ${oneLine(e.task)} (since ${day(e.startedAt, input.timeZone)})${last}`, (inc) => inc.episodes.push(e.id)));
  }
  const adhd: Line[] = [];
  if (input.energy)
    adhd.push(
      line(`- Energy ${input.energy.level}/10, ${input.energy.attention} (${ago(Math.round((input.now - input.energy.at) / 60_000))})`, () => undefined),
    );
  for (const c of input.checkIns) adhd.push(line(`- Check-in: ${oneLine(c.message)}`, (inc) => inc.checkIns.push(c.id)));
  if (input.suggestion) adhd.push(line(`- Suggested next: ${oneLine(input.suggestion)}`, () => undefined));
  return [
    { title: 'Working on', lines: working },
    { title: 'Last sessions', lines: input.sessions.map((m) => memLine(m)) },
    { title: 'Preferences', lines: input.preferences.map((m) => memLine(m)) },
    { title: 'Decisions and facts', lines: input.decisions.map((m) => memLine(m)) },
    { title: 'Energy and check-ins', lines: adhd },
    { title: 'Recent notes', lines: input.notes.map((m) => memLine(m, m.kind === 'note' ? '' : `${m.kind}: `)) },
  ].filter((s) => s.lines.length > 0);
}

function line(text: string, keep: Line['keep']): Line {
  return { text: clipToTokens(text, LINE_TOKENS), keep };
}

function ago(minutes: number): string {
  if (minutes < 1) return 'just now';
  if (minutes < 90) return `${minutes} min ago`;
  if (minutes < 36 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} days ago`;
}

function time(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZoneName: 'short',
  })
    .format(at)
    .replace(',', '');
}

function day(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
