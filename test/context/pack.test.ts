import { describe, expect, it } from 'vitest';
import { renderPack } from '../../src/context/pack.js';
import { renderPromptContext } from '../../src/context/prompt.js';
import { estimateTokens } from '../../src/context/tokens.js';
import type { PackInput, PackMemory } from '../../src/context/types.js';

const NOW = Date.UTC(2026, 10, 21, 9, 30);
const mem = (id: string, content: string, global = false): PackMemory => ({ id, content, kind: 'fact', createdAt: NOW - 3_600_000, global });
const many = (prefix: string, n: number, words = 30) =>
  Array.from({ length: n }, (_, i) => mem(`${prefix}${i}`, `${prefix} ${i}: ${'lorem ipsum dolor sit amet '.repeat(words / 5)}`));

function input(over: Partial<PackInput> = {}): PackInput {
  return {
    now: NOW,
    timeZone: 'UTC',
    project: { name: 'shop', namespace: 'default.shop-12345678' },
    focus: null,
    minutesAway: 45,
    tasks: [],
    episodes: [],
    sessions: [],
    preferences: [],
    decisions: [],
    notes: [],
    energy: null,
    checkIns: [],
    suggestion: null,
    ...over,
  };
}

describe('renderPack', () => {
  it('never exceeds the budget, at any budget', () => {
    const full = input({ sessions: many('session', 10), preferences: many('pref', 10), decisions: many('decision', 10), notes: many('note', 10) });
    for (const budget of [40, 100, 300, 1500, 8000]) {
      const pack = renderPack(full, budget);
      expect(pack.tokens).toBe(estimateTokens(pack.text));
      expect(pack.tokens, String(budget)).toBeLessThanOrEqual(budget);
    }
  });

  it('gives every section its first lines before any section gets more', () => {
    const pack = renderPack(
      input({ sessions: many('session', 10), preferences: many('pref', 10), decisions: many('decision', 10), notes: many('note', 10) }),
      400,
    );
    for (const title of ['## Last sessions', '## Preferences', '## Decisions and facts', '## Recent notes']) expect(pack.text).toContain(title);
    expect(pack.included.memories).toEqual(expect.arrayContaining(['session0', 'pref0', 'decision0', 'note0']));
    expect(pack.included.memories).not.toContain('session9');
  });

  it('shows what the user is working on first, and says which memories are global', () => {
    const pack = renderPack(
      input({
        focus: { label: 'cart redesign', minutes: 35, active: true },
        tasks: [{ id: 't1', title: 'Ship the cart', next: { title: 'Write the migration', minutes: 50 }, done: 1, total: 3 }],
        episodes: [{ id: 'e1', task: 'Fix checkout', startedAt: NOW - 7_200_000, last: { tool: 'Bash', action: 'npm test', result: 'error' } }],
        preferences: [mem('p1', 'Prefers squash merges', true)],
        energy: { level: 4, attention: 'scattered', at: NOW - 30 * 60_000 },
        checkIns: [{ id: 'c1', message: 'No water for 150 minutes' }],
        suggestion: 'Write the migration (~50 min)',
      }),
      1500,
    );
    expect(pack.text).toMatch(/^# Cairn memory — project shop\nNow 2026-11-21 09:30 UTC\./);
    expect(pack.text.indexOf('## Working on')).toBeLessThan(pack.text.indexOf('## Preferences'));
    expect(pack.text).toContain('- Task: Ship the cart — next: Write the migration (~50 min) [1/3 done]');
    expect(pack.text).toContain('- Open episode: Fix checkout (since 2026-11-21) — last step: Bash npm test → error');
    expect(pack.text).toContain('- Prefers squash merges (2026-11-21, global)');
    expect(pack.text).toContain('- Energy 4/10, scattered (30 min ago)');
    expect(pack.included).toEqual({ tasks: ['t1'], episodes: ['e1'], memories: ['p1'], checkIns: ['c1'] });
  });

  it('leaves out sections with nothing to show', () => {
    const pack = renderPack(input(), 1500);
    expect(pack.text).not.toContain('##');
    expect(pack.text).toContain('last activity 45 min ago');
  });
});

describe('renderPromptContext', () => {
  it('shows the most relevant first within the budget, and nothing when none fits', () => {
    const m = (id: string, text: string) => ({ id, namespace: 'ns', text, kind: 'fact', occurredAt: null, relevance: 0.9, global: false });
    const out = renderPromptContext([m('a', 'The staging database listens on port 5433'), m('b', 'x'.repeat(2000))], 60)!;
    expect(out.memories.map((x) => x.id)).toEqual(['a']);
    expect(out.tokens).toBeLessThanOrEqual(60);
    expect(renderPromptContext([], 600)).toBeNull();
    expect(renderPromptContext([m('a', 'short')], 10)).toBeNull();
  });
});
