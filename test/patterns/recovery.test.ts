import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { type CompletionHook, createEpisodeService } from '../../src/episodes/service.js';
import { silentLogger } from '../../src/logger.js';
import { createPatternService } from '../../src/patterns/service.js';
import { createPatternRepo } from '../../src/storage/pattern-repo.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';
import { runEpisode, type StepInput } from './helpers.js';

const ok = { type: 'success' as const };
const seq = (...tools: string[]): StepInput[] => tools.map((tool) => ({ tool, action: `use ${tool}`, result: ok }));
const servers: TestServer[] = [];
const homes: string[] = [];
async function server(home: string): Promise<TestServer> {
  const s = await startTestServer({ home, clock: createManualClock() });
  servers.push(s);
  return s;
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const fiveTool = (s: TestServer) =>
  s
    .call('analyze_patterns', { kind: 'tool_sequence', min_support: 1, min_success_rate: 0, limit: 1000 })
    .then((r) => r.patterns.filter((p) => (p.details.tools as string[]).length === 5));

describe('pending pattern work survives a crash', () => {
  it('finishes a near-duplicate merge left pending when the process died, on the next start', async () => {
    const home = tempHome();
    homes.push(home);
    const first = await server(home);
    // The process "dies" after acknowledging completions: its background runner never runs again.
    await first.app.patterns.close();
    await runEpisode(first, seq('checkout', 'install', 'build', 'test', 'deploy'));
    await runEpisode(first, seq('checkout', 'install', 'compile', 'test', 'deploy'));
    expect(await first.app.patterns.pendingJobs()).toBeGreaterThan(0);
    expect(await fiveTool(first)).toHaveLength(2);
    await first.close();

    const second = await server(home);
    await second.app.patterns.idle();
    expect(await second.app.patterns.pendingJobs()).toBe(0);
    const five = await fiveTool(second);
    expect(five).toHaveLength(1);
    expect(five[0]!.occurrences).toBe(2);
  });

  it('defers extraction to a durable job when it fails inside the completion, and applies it exactly once', async () => {
    const home = tempHome();
    homes.push(home);
    const s = await server(home);
    const patterns = createPatternService({
      repo: createPatternRepo(s.app.db),
      loadEpisode: (ns, id) => s.app.repos.episodes.get(ns, id),
      clock: s.app.clock,
      logger: silentLogger,
    });
    await patterns.close();
    // The plan's writes break a NOT NULL constraint, as a bug in extraction would: the upsert fails inside the completion.
    const broken: CompletionHook = {
      async extract(ep, o) {
        const found = await patterns.hook.extract(ep, o);
        return { ...found, ...(found.plan ? { plan: { ...found.plan, writes: found.plan.writes.map((w) => ({ ...w, kind: null as never })) } } : {}) };
      },
    };
    const episodes = createEpisodeService({ repo: s.app.repos.episodes, clock: s.app.clock });
    episodes.addCompletionHook(broken);
    const { episodeId: episode_id } = await episodes.start('default', { task: 'deploy', taskType: 'ops', domain: 'infra' });
    for (const tool of ['plan', 'apply', 'verify']) await episodes.logStep('default', { episodeId: episode_id, tool, action: tool, result: ok });
    const done = await episodes.complete('default', episode_id, { type: 'success' });
    // The refs describe what the job will store, under the same ids.
    expect(done.patterns.length).toBeGreaterThan(0);
    expect((await s.call('get_episode', { episode_id })).episode.status).toBe('completed');
    expect(await s.app.patterns.pendingJobs()).toBe(1);
    expect((await s.call('analyze_patterns', { min_support: 1 })).patterns).toHaveLength(0);

    await Promise.all([s.app.patterns.recoverPending(), s.app.patterns.recoverPending()]);
    await s.app.patterns.recoverPending();
    await s.app.patterns.idle();
    expect(await s.app.patterns.pendingJobs()).toBe(0);
    const r = await s.call('analyze_patterns', { min_support: 1, limit: 1000 });
    // plan→apply, apply→verify, plan→apply→verify; the context; one heuristic per tool.
    expect(r.statistics.by_kind).toMatchObject({ context_pattern: 1, tool_sequence: 3, heuristic: 3 });
    expect(r.patterns.every((p) => p.occurrences === 1 && p.episode_ids[0] === episode_id)).toBe(true);
    const stored = new Map(r.patterns.map((p) => [p.id, p]));
    for (const ref of done.patterns) expect(stored.get(ref.id)).toMatchObject({ kind: ref.kind, description: ref.description, occurrences: ref.occurrences });
  });

  it('finishes an extraction job found at start-up', async () => {
    const home = tempHome();
    homes.push(home);
    const first = await server(home);
    const { episode_id } = await first.call('start_episode', { task: 'migrate db', task_type: 'ops', domain: 'db' });
    await first.call('log_step', { episode_id, tool: 'backup', action: 'dump', result: ok });
    await first.call('log_step', { episode_id, tool: 'migrate', action: 'run migrations', result: ok });
    // What a crash between acknowledging and extracting leaves behind: a completed episode and its job row.
    await first.app.repos.episodes.complete(
      'default',
      episode_id,
      {
        outcomeType: 'success',
        outcome: { type: 'success' },
        reward: 1,
        rewardParts: {},
        reflection: {},
        summary: 'migrated',
        completedAt: first.app.clock.now(),
      },
      [
        {
          namespace: 'default',
          writes: [],
          jobs: [{ id: 'job-1', namespace: 'default', episodeId: episode_id, kind: 'extract', payload: {}, createdAt: 0, attempts: 0 }],
          merge: null,
          fallback: null,
        },
      ],
    );
    await first.app.patterns.close();
    await first.close();

    const second = await server(home);
    await second.app.patterns.idle();
    expect(await second.app.patterns.pendingJobs()).toBe(0);
    const r = await second.call('analyze_patterns', { min_support: 1 });
    expect(r.patterns.map((p) => p.description)).toContain('Tool sequence: backup → migrate');
  });
});
