/**
 * Cost of core tool calls over a real stdio child: spawn → initialize, then sequential
 * `remember` and `log_step` calls. Prints JSON. Usage: node dist/scripts/bench-stdio.js [N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const N = Number(process.argv[2] ?? 500);
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

function summary(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  const total = xs.reduce((a, b) => a + b, 0);
  return { n: xs.length, p50_ms: +q(0.5).toFixed(3), p95_ms: +q(0.95).toFixed(3), p99_ms: +q(0.99).toFixed(3), mean_ms: +(total / xs.length).toFixed(3), per_s: Math.round((xs.length / total) * 1000) };
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
  const t0 = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: { PATH: process.env.PATH ?? '', CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'warn', CAIRN_CHECKIN_MINUTES: '0' },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const initMs = performance.now() - t0;

  const time = async (fn: () => Promise<unknown>) => {
    const a = performance.now();
    const res = (await fn()) as { isError?: boolean; content?: unknown };
    if (res.isError) throw new Error(JSON.stringify(res.content));
    return performance.now() - a;
  };
  for (let i = 0; i < 20; i++) await time(() => client.callTool({ name: 'remember', arguments: { content: `warm-up ${i}` } }));

  const remember: number[] = [];
  for (let i = 0; i < N; i++) {
    remember.push(await time(() => client.callTool({ name: 'remember', arguments: { content: `Memory ${i}: the quick brown fox ${i % 97} jumps over lazy dog ${i % 13}`, tags: ['bench'] } })));
  }
  const ep = await client.callTool({ name: 'start_episode', arguments: { task: 'bench', task_type: 'testing', domain: 'bench' } });
  const episodeId = (ep.structuredContent as { episode_id: string }).episode_id;
  const logStep: number[] = [];
  for (let i = 0; i < N; i++) {
    logStep.push(await time(() => client.callTool({ name: 'log_step', arguments: { episode_id: episodeId, tool: `tool${i % 5}`, action: `step ${i}`, result: { type: 'success' }, latency_ms: 5 } })));
  }
  const query: number[] = [];
  for (let i = 0; i < 200; i++) query.push(await time(() => client.callTool({ name: 'query_memory', arguments: { query: `fox ${i % 97} dog`, limit: 10 } })));

  await client.close();
  rmSync(home, { recursive: true, force: true });
  process.stdout.write(
    `${JSON.stringify({ node: process.version, spawn_to_initialize_ms: +initMs.toFixed(1), remember: summary(remember), log_step: summary(logStep), query_memory_small: summary(query) }, null, 2)}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
