import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { efficiencyFactor } from '../../src/episodes/reward.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

let s: TestServer;
const clock = createManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
beforeEach(async () => {
  s = await startTestServer({ clock });
});
afterEach(async () => {
  await s.close();
});

const steps = [
  { tool: 'read_file', action: 'read the config', result: { type: 'success' }, latency_ms: 300 },
  { tool: 'run_tests', action: 'run the suite', result: { type: 'error', message: 'two failures' }, latency_ms: 8_000 },
  { tool: 'edit_file', action: 'fix the parser', result: { type: 'success' }, latency_ms: 2_000 },
];

describe('episode duration', () => {
  it('steps logged after the fact count by their latency_ms: efficiency and the reflection use the logged time', async () => {
    const { episode_id } = await s.call('start_episode', { task: 'Fix the parser', task_type: 'debugging', domain: 'cli' });
    for (const st of steps) {
      clock.advance(40);
      await s.call('log_step', { episode_id, ...st });
    }
    clock.advance(14);
    const done = await s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    expect(done.duration_ms).toBe(10_300);
    expect(done.reward.notes).toContain("duration 10.3 s: the steps' logged latency_ms (134 ms between start and completion)");
    expect(done.reward.efficiency).toBeCloseTo(efficiencyFactor(10_300, 3), 3);
    expect(done.reflection.successes[0]).toBe('Completed successfully in 3 step(s) and 10.3 s.');
    expect(done.reflection.successes.join(' ')).toMatch(/^.*Recovered from an error in run_tests \(step 2\) with edit_file: fix the parser\./);
  });

  it('earns the "fast" bonus only when the logged work was fast', async () => {
    const { episode_id } = await s.call('start_episode', { task: 'Migrate the schema', task_type: 'coding', domain: 'db' });
    for (const latency_ms of [20_000, 25_000])
      await s.call('log_step', { episode_id, tool: 'bash', action: 'migrate', result: { type: 'success' }, latency_ms });
    clock.advance(120);
    const done = await s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    expect(done.duration_ms).toBe(45_000);
    expect(done.reward.notes.join(' ')).not.toMatch(/fast/);
    expect(done.reflection.successes[0]).toBe('Completed successfully in 2 step(s) and 45.0 s.');
  });

  it('steps logged as they happen keep the wall time, which already holds them', async () => {
    const { episode_id } = await s.call('start_episode', { task: 'Fix the parser', task_type: 'debugging', domain: 'cli' });
    for (const st of steps) {
      clock.advance(st.latency_ms + 1_000);
      await s.call('log_step', { episode_id, ...st });
    }
    const done = await s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    expect(done.duration_ms).toBe(13_300);
    expect(done.reward.notes.join(' ')).not.toMatch(/logged latency/);
    expect(done.reward.notes.join(' ')).toMatch(/fast \(under 30 s and 10 steps\)/);
  });

  it('a timeout that was recovered reads "a timeout"', async () => {
    const { episode_id } = await s.call('start_episode', { task: 'Fetch the page', task_type: 'scraping', domain: 'web' });
    await s.call('log_step', { episode_id, tool: 'fetch', action: 'get', result: { type: 'timeout' } });
    await s.call('log_step', { episode_id, tool: 'fetch_slow', action: 'get with a longer timeout', result: { type: 'success' } });
    const done = await s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    expect(done.reflection.successes.join(' ')).toContain('Recovered from a timeout in fetch (step 1)');
  });
});
