import { PATTERN_KINDS, type PatternView } from '../../patterns/types.js';
import { num, pct } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import type { Page, PageContext } from '../types.js';
import { card, empty, heading, stats } from './common.js';

/** How sure: the success rate and its 95% Wilson lower bound on one 0–1 scale. */
function certainty(p: PatternView): SafeHtml {
  const w = (v: number) => Math.max(1, Math.round(v * 160));
  return html`<svg class="chart-inline" width="170" height="16" viewBox="0 0 170 16" role="img" aria-label="success rate ${pct(p.success_rate)}, Wilson lower bound ${pct(p.wilson_lower_bound)}"><rect class="bar ref" x="0" y="3" width="160" height="10" rx="3"/><rect class="bar alt" x="0" y="3" width="${w(p.success_rate)}" height="10" rx="3"/><rect class="bar" x="0" y="3" width="${w(p.wilson_lower_bound)}" height="10" rx="3"/></svg>`;
}

/** Learned patterns, ranked by the Wilson lower bound of their success rate, with their evidence. */
export async function patternsPage(ctx: PageContext): Promise<Page> {
  const q = ctx.url.searchParams;
  const kind = PATTERN_KINDS.find((k) => k === q.get('kind'));
  const minSupport = Math.max(1, Math.min(1000, Math.trunc(Number(q.get('min_support') ?? 1)) || 1));
  const minRate = Math.max(0, Math.min(1, Number(q.get('min_success_rate') ?? 0) || 0));
  const analysis = await ctx.services.patterns.analyze(ctx.ns, { ...(kind ? { kind } : {}), minSupport, minSuccessRate: minRate, limit: 100 });
  const s = analysis.statistics;
  const filters = html`<form method="get" action="/ui/patterns" class="toolbar" role="search" aria-label="Filter patterns">
<div class="field"><label for="p-kind">Kind</label><select id="p-kind" name="kind" data-autosubmit><option value="">any</option>${PATTERN_KINDS.map(
    (k) => html`<option value="${k}"${k === kind ? ' selected' : ''}>${k.replace('_', ' ')}</option>`,
  )}</select></div>
<div class="field"><label for="p-support">At least … episodes</label><input type="number" id="p-support" name="min_support" min="1" max="1000" value="${minSupport}"></div>
<div class="field"><label for="p-rate">Success rate at least</label><input type="number" id="p-rate" name="min_success_rate" min="0" max="1" step="0.05" value="${minRate}"></div>
<button type="submit" class="secondary">Filter</button>
</form>`;
  const items = analysis.patterns.length
    ? html`<ol class="list">${analysis.patterns.map((p) => {
        const ev = (p as PatternView & { evidence?: Record<string, unknown> }).evidence;
        return html`<li class="item"><p class="content"><strong>${p.description}</strong></p>
<div class="meta"><span class="badge">${p.kind.replace('_', ' ')}</span><span>${p.task_type} · ${p.domain}${p.language ? ` · ${p.language}` : ''}</span>${certainty(p)}<span>${p.successes} of ${p.occurrences} succeeded (${pct(p.success_rate)}), lower bound ${pct(p.wilson_lower_bound)}</span>${p.mean_latency_ms === null ? '' : html`<span>mean latency ${num(p.mean_latency_ms, 0)} ms</span>`}</div>
<details class="score-parts"><summary>Evidence</summary>${ev && typeof ev.baseline_success_rate === 'number' ? html`<p>Baseline success rate of this context: ${pct(ev.baseline_success_rate as number)} over ${String(ev.baseline_sample_size)} episodes (lift ${num(ev.lift as number)}).</p>` : ''}
<p>Episodes: ${p.episode_ids.map((id, i) => html`${i ? ', ' : ''}<a href="/ui/episodes/${encodeURIComponent(id)}"><code>${id.slice(-8)}</code></a>`)}</p>
<p class="muted">First seen ${p.first_seen}, last seen ${p.last_seen}.</p></details></li>`;
      })}</ol>`
    : empty('No patterns match yet. Patterns are learned from completed episodes.');
  const body = html`${heading('Learned patterns', analysis.ranking)}
${stats([
  { label: 'Matching', value: s.matched },
  { label: 'Pooled success', value: pct(s.pooled_success_rate) },
  { label: 'Median success', value: pct(s.median_success_rate) },
  { label: 'Top tool', value: s.top_tools[0]?.tool ?? '—', note: s.top_tools[0] ? `${s.top_tools[0].patterns} patterns` : undefined },
])}
${card('patterns-h', 'Ranked by the Wilson lower bound', html`${filters}<ul class="legend"><li><span class="swatch" aria-hidden="true"></span>Wilson lower bound (95%)</li><li><span class="swatch alt" aria-hidden="true"></span>success rate</li></ul>${items}`)}`;
  return { title: 'Patterns', section: 'patterns', body };
}
