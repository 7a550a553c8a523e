import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { wilsonLowerBound } from '../../src/patterns/wilson.js';
import { startTestServer, type TestServer } from '../helpers/client.js';
import type { ToolOutputs } from '../helpers/tool-outputs.js';
import { debugSteps, runEpisode, type StepInput } from './helpers.js';

let s: TestServer;
const clock = createManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
beforeEach(async () => {
  s = await startTestServer({ clock });
});
afterEach(async () => {
  await s.close();
});

const ok = { type: 'success' as const };
const seq = (...tools: string[]): StepInput[] => tools.map((tool) => ({ tool, action: `use ${tool}`, result: ok, latency_ms: 10 }));
const analyze = (args: Record<string, unknown> = {}) => s.call('analyze_patterns', args);

describe('extraction on complete_episode', () => {
  it('finds every kind of pattern in a realistic episode and returns them', async () => {
    const steps: StepInput[] = [
      { tool: 'read_file', action: 'read src/auth/login.ts', result: ok, latency_ms: 30 },
      {
        tool: 'plan',
        action: 'decide how to fix',
        result: ok,
        parameters: { decision: { question: 'Fix in code or in test?', chosen: 'code', options: ['code', 'test'] } },
      },
      ...debugSteps(),
    ];
    const done = await runEpisode(s, steps, 'success', { tags: ['auth'] });
    // The reply lists the top few and counts them all by kind.
    expect(Object.keys(done.pattern_counts.by_kind).sort()).toEqual(['context_pattern', 'decision_point', 'error_recovery', 'heuristic', 'tool_sequence']);
    expect(done.pattern_counts.new).toBe(done.pattern_counts.total);
    expect(done.patterns.length).toBe(Math.min(5, done.pattern_counts.total));
    expect(done.patterns.every((p) => p.new && p.occurrences === 1 && p.success_rate === 1)).toBe(true);
    expect(done.patterns[0]).toMatchObject({
      kind: 'error_recovery',
      description: 'Error recovery: after run_tests fails (test_failure), switch to edit_file',
    });
    expect(done.reward.notes.join(' ')).toMatch(/new pattern/);

    // One kind per call: all of them at once are more than one reply may carry.
    const all = { patterns: [] as ToolOutputs['analyze_patterns']['patterns'] };
    for (const kind of ['error_recovery', 'decision_point', 'heuristic', 'tool_sequence'])
      all.patterns.push(...(await analyze({ min_support: 1, limit: 1000, kind })).patterns);
    const recovery = all.patterns.find((p) => p.kind === 'error_recovery');
    expect(recovery!.details).toMatchObject({ failed_tool: 'run_tests', error_type: 'test_failure', recovery_tool: 'edit_file' });
    expect(recovery!.mean_latency_ms).toBe(60);
    const decision = all.patterns.find((p) => p.kind === 'decision_point');
    expect(decision!.details).toMatchObject({ condition: 'fix in code or in test?', chosen: 'code', alternatives: ['code', 'test'] });
    const heuristic = all.patterns.find((p) => p.kind === 'heuristic' && p.details.tool === 'edit_file');
    expect(heuristic!.details).toMatchObject({ condition: 'task_type=debugging, domain=web-api, language=typescript', action: 'use edit_file', confidence: 1 });
    expect(heuristic!.details.evidence).toMatchObject({ episode_ids: [done.episode_id], sample_size: 1, success_rate: 1, baseline_success_rate: 1, lift: 0 });
    const longest = all.patterns.filter((p) => p.kind === 'tool_sequence').map((p) => (p.details.tools as string[]).length);
    expect(Math.max(...longest)).toBe(5);
    expect(Math.min(...longest)).toBe(2);
  });

  it('reinforces patterns incrementally and ranks by the Wilson bound, not the raw rate', async () => {
    for (let i = 0; i < 10; i++) {
      clock.advance(60_000);
      await runEpisode(s, seq('lint', 'format'), i < 9 ? 'success' : 'failure', { task_type: 'refactoring' });
    }
    await runEpisode(s, seq('guess', 'commit'), 'success', { task_type: 'refactoring' });
    const second = await runEpisode(s, seq('lint', 'format'), 'success', { task_type: 'refactoring' });
    const ref = second.patterns.find((p) => p.kind === 'tool_sequence');
    expect(ref).toMatchObject({ new: false, occurrences: 11, success_rate: 10 / 11 });

    const r = await analyze({ kind: 'tool_sequence', min_support: 1, min_success_rate: 0 });
    expect(r.patterns.map((p) => p.description)).toEqual(['Tool sequence: lint → format', 'Tool sequence: guess → commit']);
    const [lint, guess] = r.patterns;
    expect(lint).toMatchObject({ occurrences: 11, successes: 10, mean_latency_ms: 20 });
    expect(lint!.wilson_lower_bound).toBeCloseTo(wilsonLowerBound(10, 11), 12);
    expect(guess!.success_rate).toBe(1);
    expect(guess!.wilson_lower_bound).toBeCloseTo(wilsonLowerBound(1, 1), 12);
    expect(lint!.episode_ids).toHaveLength(11);
    expect(lint!.first_seen < lint!.last_seen).toBe(true);
  });

  it("writes a long episode's first candidates inline and finishes the rest in a durable job, counting each once", async () => {
    const tools = Array.from({ length: 25 }, (_, i) => `tool_${String.fromCharCode(97 + i)}`);
    const first = await runEpisode(s, seq(...tools));
    expect(first.patterns.length).toBeGreaterThan(0);
    const before = await analyze({ kind: 'tool_sequence', min_support: 1, limit: 1000 });
    expect(before.statistics.total).toBeLessThan(24 + 23 + 22 + 21);
    await s.app.patterns.idle();
    expect(await s.app.patterns.pendingJobs()).toBe(0);
    await runEpisode(s, seq(...tools));
    await s.app.patterns.idle();
    const after = await analyze({ kind: 'tool_sequence', min_support: 1, limit: 1000 });
    // Every window of 2–5 of the 25 tools, each seen in both episodes exactly once.
    expect(after.statistics.total).toBe(24 + 23 + 22 + 21);
    expect(after.patterns.every((p) => p.occurrences === 2 && p.episode_ids.length === 2)).toBe(true);
    expect((await analyze({ kind: 'heuristic', min_support: 1, limit: 1000 })).patterns.every((p) => p.occurrences === 2)).toBe(true);
  });

  it('keeps at most 20 supporting episode ids, the most recent', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      clock.advance(1_000);
      ids.push((await runEpisode(s, seq('a', 'b'))).episode_id);
    }
    const [p] = (await analyze({ kind: 'tool_sequence', min_support: 1 })).patterns;
    expect(p!.occurrences).toBe(23);
    expect(p!.episode_ids).toEqual(ids.slice(3));
  });
});

describe('near-duplicates', () => {
  it('merges a one-tool variant of a five-tool sequence and redirects its key afterwards', async () => {
    const ctx = { tags: ['ci'] };
    await runEpisode(s, seq('checkout', 'install', 'build', 'test', 'deploy'), 'success', ctx);
    const second = await runEpisode(s, seq('checkout', 'install', 'compile', 'test', 'deploy'), 'success', ctx);
    const variant = second.patterns.find((p) => p.description === 'Tool sequence: checkout → install → compile → test → deploy');
    expect(variant?.new ?? true).toBe(true);
    await s.app.patterns.idle();
    expect(await s.app.patterns.pendingJobs()).toBe(0);

    const fives = async () =>
      (await analyze({ kind: 'tool_sequence', min_support: 1, min_success_rate: 0, limit: 1000 })).patterns.filter(
        (p) => (p.details.tools as string[]).length === 5,
      );
    let five = await fives();
    expect(five).toHaveLength(1);
    expect(five[0]).toMatchObject({ description: 'Tool sequence: checkout → install → build → test → deploy', occurrences: 2 });
    // Four-tool windows differ by one of four tools: similarity 0.825 < 0.85, so they stay apart.
    const fours = (await analyze({ kind: 'tool_sequence', min_support: 1, limit: 1000 })).patterns.filter((p) => (p.details.tools as string[]).length === 4);
    expect(fours).toHaveLength(4);

    const third = await runEpisode(s, seq('checkout', 'install', 'compile', 'test', 'deploy'), 'failure', ctx);
    const ref = third.patterns.find((p) => p.id === five[0]!.id);
    expect(ref).toMatchObject({ new: false, occurrences: 3 });
    five = await fives();
    expect(five).toHaveLength(1);
    expect(five[0]).toMatchObject({ occurrences: 3, successes: 2 });
    expect(five[0]!.episode_ids).toHaveLength(3);
  });

  it('merges the same sequence seen in another language with overlapping tags', async () => {
    await runEpisode(s, seq('read_file', 'edit_file'), 'success', { language: 'typescript', tags: ['web', 'auth'] });
    await runEpisode(s, seq('read_file', 'edit_file'), 'success', { language: 'javascript', tags: ['web', 'auth'] });
    await runEpisode(s, seq('read_file', 'edit_file'), 'success', { language: 'python', tags: ['ml'] });
    await s.app.patterns.idle();
    const r = await analyze({ kind: 'tool_sequence', min_support: 1 });
    expect(r.patterns.map((p) => [p.language, p.occurrences])).toEqual([
      ['typescript', 2],
      ['python', 1],
    ]);
  });
});

describe('analyze_patterns after the first episode', () => {
  it('says how many patterns min_support hides instead of answering an empty list', async () => {
    await runEpisode(s, seq('read_file', 'edit_file', 'run_tests'));
    const first = await analyze({});
    expect(first.patterns).toEqual([]);
    expect(first.hidden_by_min_support).toBeGreaterThan(0);
    const shown = await analyze({ min_support: 1 });
    expect(shown.patterns).toHaveLength(first.hidden_by_min_support);
    expect(shown.hidden_by_min_support).toBe(0);
    // The count respects the other filters: a kind with nothing below the support hides nothing.
    expect((await analyze({ kind: 'error_recovery' })).hidden_by_min_support).toBe(0);
    expect((await analyze({ kind: 'context_pattern' })).hidden_by_min_support).toBe(1);
  });
});

describe('analyze_patterns statistics', () => {
  beforeEach(async () => {
    // web-api debugging: 2 successes, 1 failure with read → test; cli testing: 2 of 2 with test → fix.
    for (const outcome of ['success', 'failure', 'success'] as const) await runEpisode(s, seq('read_file', 'run_tests'), outcome);
    for (let i = 0; i < 2; i++) await runEpisode(s, seq('run_tests', 'fix'), 'success', { task_type: 'testing', domain: 'cli', language: 'rust' });
  });

  it('computes total, mean, median, pooled rate, kinds and top tools from the returned patterns', async () => {
    const r = await analyze({ min_success_rate: 0.5 });
    // debugging/web-api: context, sequence, 2 heuristics at 2/3; testing/cli: context, sequence, 2 heuristics at 2/2.
    expect(r.statistics.mean_success_rate).toBeCloseTo((4 * (2 / 3) + 4 * 1) / 8, 12);
    expect(r.statistics.median_success_rate).toBeCloseTo((2 / 3 + 1) / 2, 12);
    expect(r.statistics.pooled_success_rate).toBeCloseTo((4 * 2 + 4 * 2) / (4 * 3 + 4 * 2), 12);
    expect(r.statistics).toMatchObject({
      total: 8,
      matched: 8,
      by_kind: { tool_sequence: 2, error_recovery: 0, decision_point: 0, context_pattern: 2, heuristic: 4 },
    });
    expect(r.statistics.top_tools).toEqual([
      { tool: 'run_tests', patterns: 4, occurrences: 10 },
      { tool: 'read_file', patterns: 2, occurrences: 6 },
      { tool: 'fix', patterns: 2, occurrences: 4 },
    ]);
    // Wilson: 2/2 → 0.342 beats 2/3 → 0.208.
    expect(r.patterns[0]!.success_rate).toBe(1);
    expect(r.ranking).toMatch(/Wilson/);
  });

  it('filters by task type, domain, kind, rate, support and limit, and never echoes a filter', async () => {
    const high = await analyze({});
    expect(high.statistics.total).toBe(4);
    expect(high.patterns.every((p) => p.task_type === 'testing')).toBe(true);
    expect(high.statistics.mean_success_rate).toBe(1);

    const low = await analyze({ min_success_rate: 0.1, task_type: 'debugging' });
    expect(low.statistics.mean_success_rate).toBeCloseTo(2 / 3, 12);
    expect(low.patterns.every((p) => p.domain === 'web-api')).toBe(true);
    expect((await analyze({ domain: 'cli', kind: 'heuristic' })).patterns.map((p) => p.details.tool).sort()).toEqual(['fix', 'run_tests']);
    expect((await analyze({ min_support: 3, min_success_rate: 0 })).statistics.total).toBe(4);
    const limited = await analyze({ min_success_rate: 0, limit: 3 });
    expect(limited.statistics).toMatchObject({ total: 3, matched: 8 });
    const none = await analyze({ task_type: 'nothing-here' });
    expect(none.statistics).toMatchObject({ total: 0, matched: 0, mean_success_rate: null, median_success_rate: null, top_tools: [] });
  });

  it('rejects out-of-range arguments', async () => {
    expect(await s.callError('analyze_patterns', { limit: 0 })).toMatch(/limit/);
    expect(await s.callError('analyze_patterns', { limit: 1001 })).toMatch(/limit/);
    expect(await s.callError('analyze_patterns', { min_success_rate: 1.5 })).toMatch(/min_success_rate/);
    expect(await s.callError('analyze_patterns', { kind: 'magic' })).toMatch(/kind/);
  });
});

describe('query_memory scope patterns', () => {
  it('finds patterns by text and filters, and mixes them with memories', async () => {
    await runEpisode(s, debugSteps());
    await runEpisode(s, seq('terraform_plan', 'terraform_apply'), 'success', { task_type: 'deployment', domain: 'infra' });
    await s.call('remember', { content: 'The edit_file tool needs absolute paths', kind: 'fact' });

    const only = await s.call('query_memory', { query: 'recover when run_tests fails', scope: ['patterns'] });
    expect(only.results.length).toBeGreaterThan(0);
    expect(only.results.every((r) => r.type === 'pattern')).toBe(true);
    expect(only.results[0]).toMatchObject({ kind: 'error_recovery', task_type: 'debugging', domain: 'web-api' });
    expect(only.results[0]!.metadata).toMatchObject({ occurrences: 1, success_rate: 1 });

    const infra = await s.call('query_memory', { query: 'terraform', scope: ['patterns'], domain: 'infra' });
    expect(infra.results.map((r) => r.kind)).toContain('tool_sequence');
    expect((await s.call('query_memory', { query: 'terraform', scope: ['patterns'], domain: 'web-api' })).results).toHaveLength(0);

    const mixed = await s.call('query_memory', { query: 'edit_file', scope: ['memories', 'patterns'], limit: 20 });
    const types = new Set(mixed.results.map((r) => r.type));
    expect(types).toEqual(new Set(['memory', 'pattern']));
    const plain = await s.call('query_memory', { query: 'edit_file' });
    expect(plain.results.some((r) => r.type === 'pattern')).toBe(false);
  });
});
