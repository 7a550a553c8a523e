import { duration, timeEl } from '../format.js';
import { html } from '../html.js';
import type { Page, PageContext } from '../types.js';
import { card, empty, heading, outcomeBadge, stats } from './common.js';

/** Overview: "where was I?" — the next action, focus, energy, open work, check-ins and recent memories. */
export async function homePage(ctx: PageContext): Promise<Page> {
  const { adhd, episodes } = ctx.services;
  const [c, counts, recent] = await Promise.all([adhd.recoverContext(ctx.ns), episodes.counts(ctx.ns), episodes.list(ctx.ns, { status: 'completed' }, 5)]);
  const body = html`${heading('Where you are', c.suggestedNextAction)}
${stats([
  { label: 'Memories', value: c.memoryCount },
  {
    label: 'Energy',
    value: c.energy ? `${c.energy.level}/10` : '—',
    note: c.energy ? html`${c.energy.attention} · ${timeEl(c.energy.at, ctx.tz, ctx.now)}` : 'not logged',
  },
  { label: 'Focus', value: c.focus ? duration(c.focus.minutes * 60_000) : '—', note: c.focus ? (c.focus.active ? 'running' : 'last session') : 'none yet' },
  { label: 'Episodes', value: counts.completed, note: `${counts.open} open` },
])}
${c.checkIns.length ? html`<div class="notice" role="status"><strong>Check-ins</strong><ul>${c.checkIns.map((k) => html`<li>${k.message}</li>`)}</ul></div>` : ''}
<div class="grid">
${card(
  'tasks-h',
  'Open tasks',
  c.openTasks.length
    ? html`<ul class="list">${c.openTasks.map((t) => html`<li class="item"><p class="content"><strong>${t.task.title}</strong></p><div class="meta"><span>${t.done} of ${t.total} steps done</span>${t.nextStep ? html`<span>next: ${t.nextStep.title}</span>` : ''}</div></li>`)}</ul><p><a href="/ui/focus">Focus and energy →</a></p>`
    : empty('Nothing open.'),
)}
${card(
  'open-h',
  'Open episodes',
  c.openEpisodes.length
    ? html`<ul class="list">${c.openEpisodes.map((e) => html`<li class="item"><p class="content"><a href="/ui/episodes/${encodeURIComponent(e.id)}">${e.task}</a></p><div class="meta"><span>started ${timeEl(e.startedAt, ctx.tz, ctx.now)}</span><span>${e.lastSteps.length ? `last: ${e.lastSteps[0]!.tool} ${e.lastSteps[0]!.action}` : 'no steps yet'}</span></div></li>`)}</ul>`
    : empty('No episode is open.'),
)}
${card(
  'recent-mem-h',
  'Recent memories',
  c.recentMemories.length
    ? html`<ul class="list">${c.recentMemories.map((m) => html`<li class="item"><p class="content"><a href="/ui/memories/${encodeURIComponent(m.id)}">${m.content}</a></p><div class="meta"><span class="badge">${m.kind}</span>${timeEl(m.createdAt, ctx.tz, ctx.now)}</div></li>`)}</ul><p><a href="/ui/memories">All memories →</a></p>`
    : empty('Nothing remembered yet.'),
)}
${card(
  'recent-ep-h',
  'Recently completed',
  recent.length
    ? html`<ul class="list">${recent.map((e) => html`<li class="item"><p class="content"><a href="/ui/episodes/${encodeURIComponent(e.id)}">${e.task}</a></p><div class="meta">${outcomeBadge(e.outcomeType)}<span>reward ${e.reward === null ? '—' : e.reward.toFixed(2)}</span>${timeEl(e.completedAt, ctx.tz, ctx.now)}</div></li>`)}</ul><p><a href="/ui/episodes">All episodes →</a></p>`
    : empty('No episode completed yet.'),
)}
</div>`;
  return { title: 'Overview', section: 'home', body };
}
