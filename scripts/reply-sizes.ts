/**
 * Worst-case reply sizes: seeds a fresh data folder through the MCP tools (long memories, a
 * 300-step episode of long steps, ADHD tasks with notes), then makes the hostile-but-valid calls of
 * `lib/hostile-replies.ts` through the SDK client and prints, per call, the bytes of the reply
 * (structuredContent JSON plus text content) and tokens (≈ bytes / 4) as JSON and a markdown table.
 * Usage: node dist/scripts/reply-sizes.js [--json] (CAIRN_MAX_REPLY_TOKENS applies as usual)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createApp } from '../src/app.js';
import { resolveConfig } from '../src/config/index.js';
import { silentLogger } from '../src/logger.js';
import { createMcpServer } from '../src/server/mcp.js';
import { FULL_SIZE, HOSTILE_CASES, replyBytes, seedHostile } from './lib/hostile-replies.js';

/** One measured call. */
export interface ReplySize {
  label: string;
  tool: string;
  bytes: number;
  tokens: number;
  truncated: boolean;
  error: string | null;
}

/** An SDK client connected to `server` over an in-memory pair. */
async function connect(server: ReturnType<typeof createMcpServer>) {
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'reply-sizes', version: '1.0.0' });
  await server.connect(b);
  await client.connect(a);
  return {
    call: async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'cairn-replies-'));
  const env = { ...process.env, CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'silent', CAIRN_CHECKIN_MINUTES: '0', CAIRN_TZ: 'UTC' };
  const config = resolveConfig(env, []);
  const app = await createApp(config, { logger: silentLogger });
  // Seeding goes through a session with the largest budget, so that it reads every id it needs whatever budget is measured.
  const seeder = await connect(createMcpServer(app, { namespace: 'replies', config: { ...config, maxReplyTokens: 20_000 } }));
  const measured = await connect(createMcpServer(app, { namespace: 'replies' }));
  const call = measured.call;
  try {
    const t0 = performance.now();
    const ids = await seedHostile(seeder.call, FULL_SIZE);
    process.stderr.write(`seeded in ${Math.round(performance.now() - t0)} ms\n`);
    const rows: ReplySize[] = [];
    for (const c of HOSTILE_CASES) {
      const res = await call(c.tool, c.args(ids));
      const bytes = replyBytes(res);
      const text = res.content.map((x) => (x.type === 'text' ? x.text : '')).join('');
      rows.push({
        label: c.label,
        tool: c.tool,
        bytes,
        tokens: Math.round(bytes / 4),
        truncated: (res.structuredContent as { truncated?: boolean } | undefined)?.truncated === true,
        error: res.isError ? text.slice(0, 120) : null,
      });
    }
    const worst = Math.max(...rows.map((r) => r.bytes));
    const out = { max_reply_tokens: config.maxReplyTokens, worst_bytes: worst, worst_tokens: Math.round(worst / 4), replies: rows };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    if (!process.argv.includes('--json')) {
      process.stdout.write('\n| call | bytes | tokens | truncated |\n|---|---:|---:|---|\n');
      for (const r of rows)
        process.stdout.write(`| ${r.label} | ${r.bytes} | ${r.tokens} | ${r.error ? `error: ${r.error.slice(0, 40)}` : r.truncated ? 'yes' : ''} |\n`);
    }
  } finally {
    await seeder.close();
    await measured.close();
    await app.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
