import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/client.js';
import { callOk, spawnCairn } from '../helpers/stdio.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

/**
 * kill -9 in the middle of a stream of writes, several rounds over one home: every write the
 * server acknowledged must be there afterwards, and the home must keep serving.
 */
describe('kill -9 storm', () => {
  it('loses no acknowledged write across rounds of SIGKILL mid-stream', async () => {
    const home = tempHome('cairn-kill-');
    homes.push(home);
    const acknowledged = new Map<string, string>();
    const steps: Array<{ episode: string; n: number }> = [];
    for (let round = 0; round < 4; round++) {
      const { client, transport } = await spawnCairn(home);
      const { episode_id } = await callOk(client, 'start_episode', { task: `round ${round}`, task_type: 'testing', domain: 'e2e' });
      let stop = false;
      // Eight writers in parallel; the process dies while calls are in flight.
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const content = `round ${round} writer ${w} item ${i}`;
          try {
            const r = await callOk(client, 'remember', { content, tags: [`r${round}`] });
            acknowledged.set(r.id, content);
            const s = await client.callTool({ name: 'log_step', arguments: { episode_id, tool: `w${w}`, action: `item ${i}`, result: { type: 'success' } } });
            if (!s.isError) steps.push({ episode: episode_id, n: (s.structuredContent as { step_number: number }).step_number });
          } catch {
            return; // the connection died with the process
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      while (acknowledged.size < (round + 1) * 40) await new Promise((r) => setTimeout(r, 5));
      const pid = transport.pid;
      expect(pid).toBeTypeOf('number');
      process.kill(pid as number, 'SIGKILL');
      stop = true;
      await Promise.allSettled(writers);
      await client.close().catch(() => undefined);
    }

    // Read back through a fresh connection to the real file, after a clean start has recovered the WAL.
    const { client } = await spawnCairn(home);
    await callOk(client, 'health_check');
    const db = createClient({ url: `file:${join(home, 'cairn.db')}` });
    const memories = new Map((await db.execute('SELECT id, content FROM memories')).rows.map((r) => [String(r.id), String(r.content)]));
    for (const [id, content] of acknowledged) expect(memories.get(id), `acknowledged memory ${id} is missing`).toBe(content);
    const stored = new Set((await db.execute('SELECT episode_id, step_number FROM episode_steps')).rows.map((r) => `${r.episode_id}#${r.step_number}`));
    for (const s of steps) expect(stored.has(`${s.episode}#${s.n}`), `acknowledged step ${s.n} of ${s.episode} is missing`).toBe(true);
    db.close();
    expect(acknowledged.size).toBeGreaterThanOrEqual(160);
    // The home still takes writes after the storm.
    const after = await callOk(client, 'remember', { content: 'written after the storm' });
    expect(after.deduplicated).toBe(false);
    await client.close();
  }, 120_000);
});
