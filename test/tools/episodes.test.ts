import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

let s: TestServer;
const clock = createManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
beforeEach(async () => {
  s = await startTestServer({ clock });
});
afterEach(async () => {
  await s.close();
});

async function episode(extra: Record<string, unknown> = {}) {
  const { episode_id } = await s.call('start_episode', {
    task: 'Fix the flaky login test',
    task_type: 'debugging',
    domain: 'web-api',
    language: 'typescript',
    ...extra,
  });
  return episode_id as string;
}

describe('episode lifecycle', () => {
  it('numbers steps, completes with reward and reflection, and returns the stored episode', async () => {
    const id = await episode({ complexity: 'complex' });
    const steps = [
      { tool: 'read_file', action: 'read login.test.ts', result: { type: 'success' }, latency_ms: 40 },
      { tool: 'run_tests', action: 'run the suite', result: { type: 'error', message: 'timeout in login' }, latency_ms: 9000 },
      { tool: 'edit_file', action: 'await the redirect', result: { type: 'success' }, latency_ms: 60 },
      { tool: 'run_tests', action: 'run the suite again', result: { type: 'success' }, latency_ms: 900 },
    ];
    for (const [i, st] of steps.entries()) {
      clock.advance(5_000);
      expect(await s.call('log_step', { episode_id: id, ...st })).toEqual({ episode_id: id, step_number: i + 1 });
    }
    clock.advance(10_000);
    const done = await s.call('complete_episode', { episode_id: id, outcome: { type: 'success', verdict: 'stable now', artifacts: ['fix.patch'] } });
    // base 1 × efficiency(30 s, 4 steps) × complexity 1.2 × quality (25% errors → −0.1) + learning bonus
    const eff = 0.5 * (0.5 + Math.exp(-(30 / 60) / 2)) + 0.5 * (0.5 + Math.exp(-(4 / 10) / 2));
    expect(done.reward.base).toBe(1);
    expect(done.reward.complexity).toBe(1.2);
    expect(done.reward.quality).toBeCloseTo(0.9, 5);
    expect(done.reward.efficiency).toBeCloseTo(eff, 3);
    // learning: 3 distinct tools +0.10, error → recovery +0.15, new patterns min(0.3, 0.1 each); capped at 0.5
    const newPatterns = done.patterns.filter((p: { new: boolean }) => p.new).length;
    const learning = Math.min(0.5, 0.25 + Math.min(0.3, 0.1 * newPatterns));
    expect(done.reward.learning_bonus).toBeCloseTo(learning, 5);
    expect(done.reward.total).toBeCloseTo(eff * 1.2 * 0.9 + learning, 2);
    expect(done.duration_ms).toBe(30_000);
    expect(done.step_count).toBe(4);
    expect(done.reflection.successes.join(' ')).toMatch(/Recovered from an error in run_tests \(step 2\) with edit_file/);
    expect(done.reflection.improvements.join(' ')).toMatch(/Slow step 2 \(run_tests\)/);

    const { episode: ep } = await s.call('get_episode', { episode_id: id });
    expect(ep).toMatchObject({ id, status: 'completed', outcome_type: 'success', step_count: 4, task_type: 'debugging' });
    expect(ep.reward!.total).toBe(done.reward.total);
    expect(ep.reflection).toEqual(done.reflection);
    expect(ep.steps.map((x) => x.step_number)).toEqual([1, 2, 3, 4]);
    expect(ep.steps[1]!.result).toEqual({ type: 'error', message: 'timeout in login' });
  });

  it('scores partial success, failure and abstention: base 0.75 for 3 of 4, 0 for failure, 0.3 for abstention', async () => {
    const partial = await episode({ complexity: 'simple' });
    const p = await s.call('complete_episode', { episode_id: partial, outcome: { type: 'partial_success', completed: ['a', 'b', 'c'], failed: ['d'] } });
    expect(p.reward.base).toBe(0.75);
    const fail = await episode();
    const f = await s.call('complete_episode', { episode_id: fail, outcome: { type: 'failure', reason: 'no repro' } });
    expect(f.reward.base).toBe(0);
    expect(f.reward.total).toBe(f.reward.learning_bonus);
    expect(f.reflection.improvements[0]).toMatch(/Failed: no repro/);
    const abst = await episode({ complexity: 'simple' });
    const a = await s.call('complete_episode', { episode_id: abst, outcome: { type: 'abstained', reason: 'needs a human' } });
    expect(a.reward.base).toBe(0.3);
    expect(a.reward.total).toBeCloseTo(0.3 * 1.5 * 1 * 1, 3);
  });

  it('refuses steps on unknown or completed episodes, and a second completion, writing nothing', async () => {
    expect(await s.callError('log_step', { episode_id: 'nope', tool: 't', action: 'a' })).toBeCairnError('NOT_FOUND', /^episode_id/);
    const id = await episode();
    await s.call('log_step', { episode_id: id, tool: 't', action: 'a', result: { type: 'success' } });
    const first = await s.call('complete_episode', { episode_id: id, outcome: { type: 'success' } });
    expect(await s.callError('log_step', { episode_id: id, tool: 't', action: 'late' })).toBeCairnError('EPISODE_CLOSED', /^episode_id: .*already completed/);
    expect(await s.callError('complete_episode', { episode_id: id, outcome: { type: 'failure' } })).toBeCairnError('ALREADY_COMPLETED', /^episode_id/);
    expect(await s.callError('complete_episode', { episode_id: 'missing', outcome: { type: 'success' } })).toBeCairnError('NOT_FOUND');
    const { episode: ep } = await s.call('get_episode', { episode_id: id });
    expect(ep.step_count).toBe(1);
    expect(ep.outcome_type).toBe('success');
    expect(ep.reward!.total).toBe(first.reward.total);
  });

  it('keeps error_details of a failure in the reflection and the stored outcome', async () => {
    const id = await episode();
    const done = await s.call('complete_episode', { episode_id: id, outcome: { type: 'failure', reason: 'no repro', error_details: 'ECONNRESET on login' } });
    expect(done.reflection.improvements[0]).toBe('Failed: no repro (ECONNRESET on login).');
    const { episode: ep } = await s.call('get_episode', { episode_id: id });
    expect(ep.outcome).toEqual({ type: 'failure', reason: 'no repro', error_details: 'ECONNRESET on login' });
  });

  it('refuses a future started_at, step at or completed_at (beyond 5 min of clock skew), writing nothing', async () => {
    const iso = (minutes: number) => new Date(clock.now() + minutes * 60_000).toISOString();
    expect(await s.callError('start_episode', { task: 't', task_type: 'x', domain: 'd', started_at: iso(6) })).toBeCairnError(
      'INVALID_INPUT',
      /^started_at: .* is in the future/,
    );
    const id = await episode({ started_at: iso(4) });
    expect(await s.callError('log_step', { episode_id: id, tool: 't', action: 'a', at: iso(6) })).toBeCairnError('INVALID_INPUT', /^at: .* is in the future/);
    expect(await s.callError('complete_episode', { episode_id: id, outcome: { type: 'success' }, completed_at: iso(60) })).toBeCairnError(
      'INVALID_INPUT',
      /^completed_at: .* is in the future \(now .*\); back-fill past times only/,
    );
    expect((await s.call('get_episode', { episode_id: id })).episode).toMatchObject({ status: 'open', step_count: 0 });
  });

  it('numbers concurrent steps without gaps or duplicates', async () => {
    const id = await episode();
    const outs = await Promise.all(Array.from({ length: 25 }, (_, i) => s.call('log_step', { episode_id: id, tool: `t${i % 3}`, action: `a${i}` })));
    expect(outs.map((o) => o.step_number).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('finds completed episodes with query_memory and filters them', async () => {
    const a = await episode({ task: 'Migrate the billing database to Postgres', task_type: 'refactoring', domain: 'billing' });
    await s.call('complete_episode', { episode_id: a, outcome: { type: 'success' } });
    const b = await episode({ task: 'Migrate the search index', task_type: 'refactoring', domain: 'search' });
    await s.call('complete_episode', { episode_id: b, outcome: { type: 'failure' } });
    const all = await s.call('query_memory', { query: 'migrate', scope: ['episodes'] });
    expect(all.results.map((r) => r.id).sort()).toEqual([a, b].sort());
    const ok = await s.call('query_memory', { query: 'migrate', scope: ['episodes'], outcome: ['success'] });
    expect(ok.results.map((r) => r.id)).toEqual([a]);
    const dom = await s.call('query_memory', { query: 'migrate', scope: ['episodes'], domain: 'search' });
    expect(dom.results[0]).toMatchObject({ id: b, type: 'episode', domain: 'search', outcome: 'failure' });
  });

  it('serves a completed episode from the cache after the first read, and as a resource', async () => {
    const id = await episode();
    await s.call('complete_episode', { episode_id: id, outcome: { type: 'success' } });
    const before = s.app.cache.stats().hits;
    await s.call('get_episode', { episode_id: id });
    expect(s.app.cache.stats().hits).toBe(before + 1);
    const res = await s.client.readResource({ uri: `cairn://episodes/${id}` });
    expect(JSON.parse(String((res.contents[0] as { text: string }).text)).id).toBe(id);
  });

  it('reports calls, errors and latency in get_metrics', async () => {
    const id = await episode();
    await s.call('complete_episode', { episode_id: id, outcome: { type: 'success' } });
    await s.callError('log_step', { episode_id: id, tool: 't', action: 'a' });
    const m = await s.call('get_metrics');
    const log = m.tools.find((t) => t.name === 'log_step');
    expect(log).toMatchObject({ calls: 1, errors: 1 });
    expect(log!.p50_ms).toBeGreaterThanOrEqual(0);
    expect(m.episodes).toMatchObject({ completed: 1, successes: 1, success_rate: 1 });
  });
});
