import { dateTime, duration, num, timeEl } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import type { Page, PageContext } from '../types.js';
import { card, empty, json, kv, outcomeBadge } from './common.js';

const FACTORS: ReadonlyArray<readonly [string, string, number]> = [
  ['base', 'Base (outcome)', 1],
  ['efficiency', 'Efficiency', 1.5],
  ['complexity', 'Complexity', 1.5],
  ['quality', 'Quality', 1.5],
  ['learning_bonus', 'Learning bonus', 0.5],
  ['total', 'Total', 2.5],
];

const list = (items: unknown): SafeHtml | string => {
  const xs = Array.isArray(items) ? items.filter((x): x is string => typeof x === 'string') : [];
  return xs.length ? html`<ul>${xs.map((x) => html`<li>${x}</li>`)}</ul>` : html`<p class="muted">None.</p>`;
};

/** One episode: what it was, its steps, the reward factor by factor, and the reflection. */
export async function episodePage(ctx: PageContext): Promise<Page> {
  const ep = await ctx.services.episodes.get(ctx.ns, ctx.params.id!);
  const parts = (ep.rewardParts ?? {}) as Record<string, unknown>;
  const reward =
    ep.status === 'completed'
      ? html`${FACTORS.map(([key, label, max]) => {
          const v = typeof parts[key] === 'number' ? (parts[key] as number) : key === 'total' ? ep.reward : null;
          return v === null
            ? ''
            : html`<div class="meterline"><span>${label}</span><meter min="0" max="${max}" value="${Math.min(max, Math.max(0, v))}" aria-label="${label}">${num(v)}</meter><span class="num">${num(v)}</span></div>`;
        })}${Array.isArray(parts.notes) ? html`<h3>Why</h3>${list(parts.notes)}` : ''}`
      : empty('Open: the reward is computed when the episode completes.');
  const r = (ep.reflection ?? {}) as Record<string, unknown>;
  const reflection = ep.reflection
    ? html`<h3>What went well</h3>${list(r.successes)}<h3>What to improve</h3>${list(r.improvements)}<h3>Insights</h3>${list(r.insights)}`
    : empty('Written when the episode completes.');
  const steps = ep.steps.length
    ? html`<div class="table-wrap"><table><thead><tr><th class="num">#</th><th>Tool</th><th>Action</th><th>Result</th><th class="num">Latency</th><th>At</th></tr></thead><tbody>${ep.steps.map(
        (s) =>
          html`<tr><td class="num">${s.stepNumber}</td><td><code>${s.tool}</code></td><td>${s.action}</td><td>${s.result ? html`${resultBadge(s.result.type)} ${s.result.message ?? s.result.output ?? ''}` : '—'}</td><td class="num">${s.latencyMs === null ? '—' : `${s.latencyMs} ms`}</td><td>${dateTime(s.at, ctx.tz)}</td></tr>`,
      )}</tbody></table></div>`
    : empty('No steps logged.');
  const body = html`<p><a href="/ui/episodes">← Episodes</a></p>
<h1>${ep.task}</h1>
<p class="lede">${outcomeBadge(ep.outcomeType, ep.status)} ${ep.taskType} · ${ep.domain}${ep.language ? ` · ${ep.language}` : ''} · started ${timeEl(ep.startedAt, ctx.tz, ctx.now)}${ep.completedAt !== null ? ` · took ${duration(ep.completedAt - ep.startedAt)}` : ''}</p>
<div class="grid">
${card('reward-h', ep.reward === null ? 'Reward' : html`Reward <span class="muted">${num(ep.reward)}</span>`, reward)}
${card('reflection-h', 'Reflection', reflection)}
</div>
<p></p>
${card('steps-h', `Steps (${ep.steps.length})`, steps)}
${card(
  'about-h',
  'Details',
  html`${kv([
    ['Id', html`<code>${ep.id}</code>`],
    ['Complexity', ep.complexity],
    ['Tags', ep.tags.length ? ep.tags.join(', ') : '—'],
    ['Summary', ep.summary ?? '—'],
  ])}${Object.keys(ep.context).length ? html`<h3>Context</h3>${json(ep.context)}` : ''}${ep.outcome ? html`<h3>Outcome as reported</h3>${json(ep.outcome)}` : ''}`,
)}`;
  return { title: ep.task, section: 'episodes', body };
}

function resultBadge(type: string): SafeHtml {
  return html`<span class="badge ${type === 'success' ? 'ok' : 'bad'}">${type}</span>`;
}
