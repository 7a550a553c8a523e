import { OUTCOME_TYPES } from '../../episodes/types.js';
import { figure, WIDE } from '../charts/svg.js';
import { timeSeries } from '../charts/time-series.js';
import { dateTime, duration, num, shortDay, timeEl } from '../format.js';
import { html } from '../html.js';
import type { Page, PageContext } from '../types.js';
import { card, empty, heading, outcomeBadge, stats } from './common.js';

const DAY = 86_400_000;

/** Episodes: a timeline of rewards by outcome, then the list (newest first), with filters. */
export async function episodesPage(ctx: PageContext): Promise<Page> {
  const q = ctx.url.searchParams;
  const outcome = OUTCOME_TYPES.find((o) => o === q.get('outcome'));
  const status = q.get('status') === 'open' ? ('open' as const) : q.get('status') === 'completed' ? ('completed' as const) : undefined;
  const taskType = (q.get('task_type') ?? '').trim().slice(0, 100) || undefined;
  const { episodes } = ctx.services;
  const [list, counts] = await Promise.all([
    episodes.list(ctx.ns, { ...(outcome ? { outcomeTypes: [outcome] } : {}), ...(status ? { status } : {}), ...(taskType ? { taskType } : {}) }, 200),
    episodes.counts(ctx.ns),
  ]);
  const done = list.filter((e) => e.completedAt !== null && e.reward !== null);
  const since = Math.min(ctx.now - 7 * DAY, ...list.map((e) => e.startedAt));
  const span = ctx.now - since;
  const ticks = Array.from({ length: 6 }, (_, i) => since + (span * i) / 5).map((t) => ({ at: t, label: shortDay(t, ctx.tz) }));
  const chart = done.length
    ? figure(
        timeSeries({
          id: 'episode-chart',
          title: 'Episode rewards over time',
          desc: `${done.length} completed episodes; each dot is one, placed by completion time and reward, coloured by outcome.`,
          since,
          until: ctx.now,
          points: done.map((e) => ({
            at: e.completedAt!,
            value: e.reward!,
            cls: e.outcomeType ?? '',
            href: `/ui/episodes/${encodeURIComponent(e.id)}`,
            title: `${e.task} — ${e.outcomeType}, reward ${num(e.reward)}, ${dateTime(e.completedAt!, ctx.tz)}`,
          })),
          yDomain: [0, Math.max(1.5, ...done.map((e) => e.reward!))],
          xTicks: ticks,
          yLabel: (v) => num(v, 1),
          frame: WIDE,
        }),
        {
          caption: 'Reward of each completed episode; select a dot to open it.',
          legend: [
            { cls: 'ok', label: 'success' },
            { cls: 'warn', label: 'partial success' },
            { cls: 'bad', label: 'failure' },
            { cls: 'muted', label: 'abstained' },
          ],
        },
      )
    : empty('No completed episodes yet. start_episode → log_step → complete_episode records one.');
  const filters = html`<form method="get" action="/ui/episodes" class="toolbar" role="search" aria-label="Filter episodes">
<div class="field"><label for="f-status">Status</label><select id="f-status" name="status" data-autosubmit><option value="">any</option>${[
    'open',
    'completed',
  ].map((s) => html`<option value="${s}"${s === status ? ' selected' : ''}>${s}</option>`)}</select></div>
<div class="field"><label for="f-outcome">Outcome</label><select id="f-outcome" name="outcome" data-autosubmit><option value="">any</option>${OUTCOME_TYPES.map(
    (o) => html`<option value="${o}"${o === outcome ? ' selected' : ''}>${o.replace('_', ' ')}</option>`,
  )}</select></div>
<div class="field"><label for="f-type">Task type</label><input type="text" id="f-type" name="task_type" value="${taskType ?? ''}"></div>
<button type="submit" class="secondary">Filter</button>
</form>`;
  const rows = list.map(
    (e) =>
      html`<tr><td><a href="/ui/episodes/${encodeURIComponent(e.id)}">${e.task}</a></td><td>${e.taskType} · ${e.domain}</td><td>${outcomeBadge(e.outcomeType, e.status)}</td><td class="num">${num(e.reward)}</td><td>${timeEl(e.startedAt, ctx.tz, ctx.now)}</td><td class="num">${e.completedAt === null ? '—' : duration(e.completedAt - e.startedAt)}</td></tr>`,
  );
  const table = list.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Task</th><th>Type · domain</th><th>Outcome</th><th class="num">Reward</th><th>Started</th><th class="num">Took</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : empty('No episodes match.');
  const body = html`${heading('Episodes', 'Tasks the agent recorded step by step, with the reward and reflection Cairn computed.')}
${stats([
  { label: 'Open', value: counts.open },
  { label: 'Completed', value: counts.completed },
  { label: 'Success rate', value: counts.completed ? `${Math.round((counts.successes / counts.completed) * 100)}%` : '—' },
  { label: 'Steps logged', value: counts.steps },
])}
${card('timeline-h', 'Timeline', chart)}
${card('list-h', 'All episodes', html`${filters}<p></p>${table}`)}`;
  return { title: 'Episodes', section: 'episodes', body };
}
