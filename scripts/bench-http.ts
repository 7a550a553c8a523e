/**
 * Throughput of Cairn over streamable HTTP: tool calls per second with 1, 8 and 32 concurrent
 * clients, p50/p95 latency, and the server's memory. The server runs as its own process
 * (`node dist/src/cli.js serve --http`), the clients here; `ping` gives the transport's own cost.
 * Also measures the size of the
 * `tools/list` response with every toolset and with `memory` only. Prints JSON.
 *
 * Usage: node dist/scripts/bench-http.js [--seconds 3] [--preload 1000]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { quantile } from './lib/stats.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg('seconds', 3);
const PRELOAD = arg('preload', 1000);
const WORDS =
  'deploy staging postgres cache latency budget alice review incident backup token session python rust schema index query retry breaker energy focus'.split(
    ' ',
  );

interface Server {
  url: string;
  child: ChildProcess;
  home: string;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const home = mkdtempSync(join(tmpdir(), 'cairn-bench-http-'));
  const child = spawn(process.execPath, [CLI, 'serve', '--http', '--port', '0'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      CAIRN_HOME: home,
      CAIRN_EMBEDDINGS: 'hashing',
      CAIRN_LOG_LEVEL: 'info',
      CAIRN_CHECKIN_MINUTES: '0',
      CAIRN_RATE_READS: '0',
      CAIRN_RATE_WRITES: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /"url":"(http:\/\/[^"]+)"/.exec(err);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 20);
    child.once('exit', () => reject(new Error(`server exited: ${err}`)));
  });
  return {
    url,
    child,
    home,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const pick = (i: number, n: number) => Array.from({ length: n }, (_, k) => WORDS[(i * 7 + k * 13) % WORDS.length]).join(' ');
const r2 = (x: number) => Math.round(x * 100) / 100;

async function serverRss(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^cairn_process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0);
}

async function run(url: string, base: string, tool: 'ping' | 'query_memory' | 'remember', concurrency: number) {
  const clients = await Promise.all(Array.from({ length: concurrency }, () => connect(url)));
  const latencies: number[] = [];
  let errors = 0;
  let seq = 0;
  const deadline = performance.now() + SECONDS * 1000;
  let peakRss = 0;
  const sampler = setInterval(() => void serverRss(base).then((r) => (peakRss = Math.max(peakRss, r))), 250);
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c, ci) => {
      while (performance.now() < deadline) {
        const i = seq++;
        const args = tool === 'remember' ? { content: `bench ${ci} ${i} ${pick(i, 6)}`, tags: ['bench'] } : { query: pick(i, 3), limit: 10 };
        const s = performance.now();
        // ping measures the transport alone (HTTP + SDK), the floor under every tool call
        const res = tool === 'ping' ? await c.ping() : await c.callTool({ name: tool, arguments: args });
        latencies.push(performance.now() - s);
        if ('isError' in res && res.isError) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await Promise.all(clients.map((c) => c.close()));
  return {
    tool,
    concurrency,
    calls: latencies.length,
    errors,
    calls_per_s: r2(latencies.length / elapsed),
    p50_ms: r2(quantile(latencies, 0.5)),
    p95_ms: r2(quantile(latencies, 0.95)),
    server_peak_rss_mb: r2(peakRss / 1024 ** 2),
  };
}

async function toolsListBytes(toolsets: string): Promise<{ tools: number; bytes: number }> {
  const server = await startServer({ CAIRN_TOOLSETS: toolsets });
  try {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(server.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'size', version: '1' } },
      }),
    });
    const sid = init.headers.get('mcp-session-id')!;
    await init.text();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    const body = await res.text();
    // The SSE frame carries the JSON-RPC message on its data: line; count the message itself.
    const data =
      body
        .split('\n')
        .find((l) => l.startsWith('data: '))
        ?.slice(6) ?? body;
    return { tools: (JSON.parse(data) as { result: { tools: unknown[] } }).result.tools.length, bytes: Buffer.byteLength(data) };
  } finally {
    await server.stop();
  }
}

async function main() {
  const server = await startServer({});
  const base = server.url.replace(/\/mcp$/, '');
  try {
    const loader = await connect(server.url);
    for (let i = 0; i < PRELOAD; i++) await loader.callTool({ name: 'remember', arguments: { content: `preloaded memory ${i}: ${pick(i, 8)}` } });
    await loader.callTool({ name: 'query_memory', arguments: { query: 'warm up the index' } });
    await loader.close();
    const idleRss = await serverRss(base);
    const results = [];
    for (const tool of ['ping', 'query_memory', 'remember'] as const) for (const c of [1, 8, 32]) results.push(await run(server.url, base, tool, c));
    const sizes = { all: await toolsListBytes('all'), memory: await toolsListBytes('memory') };
    process.stdout.write(
      `${JSON.stringify({ node: process.version, seconds_per_run: SECONDS, preloaded_memories: PRELOAD, server_rss_after_preload_mb: r2(idleRss / 1024 ** 2), results, tools_list: sizes }, null, 2)}\n`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench-http: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
