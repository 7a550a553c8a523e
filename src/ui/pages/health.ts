import { bytes, duration, num, pct } from '../format.js';
import { html } from '../html.js';
import type { Page, PageContext } from '../types.js';
import { card, empty, json, kv, stats } from './common.js';

/** Health: database, cache, embedder, sandbox pool and the tool metrics of this process. */
export async function healthPage(ctx: PageContext): Promise<Page> {
  const { health, metrics } = ctx.services;
  const h = await health.check(ctx.ns);
  const p = h.primary;
  const c = h.cache as unknown as Record<string, unknown>;
  const tools = [...metrics.toolsIn(ctx.ns)].sort((a, b) => b[1].calls - a[1].calls);
  const hits = Number(c.hits ?? 0);
  const misses = Number(c.misses ?? 0);
  const body = html`<h1>Health <span class="status-${h.status}">${h.status}</span></h1>
${h.problems.length ? html`<div class="notice error" role="alert"><strong>Problems</strong><ul>${h.problems.map((x) => html`<li>${x}</li>`)}</ul></div>` : html`<p class="lede">Everything answers as it should.</p>`}
${stats([
  { label: 'Memories', value: h.counts.memories, note: `${h.counts.forgotten} forgotten` },
  { label: 'Episodes', value: h.counts.episodes_completed, note: `${h.counts.episodes_open} open` },
  { label: 'Database', value: bytes(p.size_bytes) },
  { label: 'Up', value: duration(h.uptime_s * 1000), note: `v${h.version}` },
])}
<div class="grid">
${card(
  'db-h',
  'Database',
  kv([
    ['Reachable', p.ok ? 'yes' : html`<strong class="status-unhealthy">no</strong>`],
    ['Where', html`<code>${p.url}</code>`],
    ['Latency', p.latency_ms === null ? '—' : `${num(p.latency_ms)} ms`],
    ['Writable', p.writable ? 'yes' : html`<strong class="status-unhealthy">no</strong> ${p.write_error ?? ''}`],
    ['Free disk', bytes(p.free_bytes)],
    ['Circuit breaker', p.breaker],
    ['Lock wait', p.lock_wait_ms === null ? 'none' : `${p.lock_wait_ms} ms`],
  ]),
)}
${card(
  'cache-h',
  'Cache',
  html`${kv([
    ['State', String(c.state ?? (c.ok === false ? 'down' : 'ok'))],
    ['Hit rate', pct(hits + misses ? hits / (hits + misses) : null)],
    ['Hits / misses', `${hits} / ${misses}`],
    ['Errors', String(c.errors ?? 0)],
  ])}<details class="numbers"><summary>Everything the cache reports</summary>${json(h.cache)}</details>`,
)}
${card('embedder-h', 'Embedder', json(h.embedder))}
${card('sandbox-h', 'Sandbox pool', json(h.sandbox))}
</div>
<p></p>
${card(
  'metrics-h',
  'Tool calls in this namespace (this process)',
  tools.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Tool</th><th class="num">Calls</th><th class="num">Errors</th><th class="num">p50</th><th class="num">p95</th><th class="num">Mean</th></tr></thead><tbody>${tools.map(
        ([name, s]) =>
          html`<tr><td><code>${name}</code></td><td class="num">${s.calls}</td><td class="num">${s.errors}</td><td class="num">${num(metrics.percentile(name, 50, ctx.ns))} ms</td><td class="num">${num(metrics.percentile(name, 95, ctx.ns))} ms</td><td class="num">${num(s.totalMs / s.calls)} ms</td></tr>`,
      )}</tbody></table></div>`
    : empty('No tool calls in this process yet (cairn ui runs apart from your MCP server; its own calls show here).'),
)}
${card(
  'process-h',
  'Process',
  kv([
    ['Node', h.process.node],
    ['Memory (RSS)', bytes(h.process.rss_bytes)],
    ['Heap used', bytes(h.process.heap_used_bytes)],
    ['Toolsets', h.toolsets.join(', ')],
  ]),
)}`;
  return { title: 'Health', section: 'health', body };
}
