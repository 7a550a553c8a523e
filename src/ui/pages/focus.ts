import { localParts } from '../../adhd/time-zone.js';
import type { Break, Calibration, EnergyReading, FocusSession, Task } from '../../adhd/types.js';
import { calibrationPlot } from '../charts/calibration.js';
import { type DayRow, dayTimeline } from '../charts/day-timeline.js';
import { type HeatCell, heatMap } from '../charts/heat-map.js';
import { figure, WIDE } from '../charts/svg.js';
import { timeSeries } from '../charts/time-series.js';
import { dateTime, day, duration, minuteOfDay, num, shortDay, timeEl } from '../format.js';
import { html, join, type SafeHtml } from '../html.js';
import type { Page, PageContext } from '../types.js';
import { card, empty, heading, stats } from './common.js';

const DAY = 86_400_000;
const SPANS = [7, 14, 30, 90] as const;

/** Focus and energy: energy over days, the weekday × hour map, sessions and breaks, task trees, calibration. */
export async function focusPage(ctx: PageContext): Promise<Page> {
  const asked = Number(ctx.url.searchParams.get('days'));
  const days = (SPANS as readonly number[]).includes(asked) ? asked : 14;
  const since = ctx.now - days * DAY;
  const { adhd } = ctx.services;
  const [history, report, model, samples, trees] = await Promise.all([
    adhd.history(ctx.ns, { since, until: ctx.now }),
    adhd.energyReport(ctx.ns, { windowDays: days, at: ctx.now }),
    adhd.calibration(ctx.ns),
    adhd.calibrationSamples(ctx.ns),
    adhd.taskTrees(ctx.ns, 5),
  ]);
  const focusMs = history.sessions.reduce((t, s) => t + Math.min(ctx.now, s.endedAt ?? ctx.now) - Math.max(since, s.startedAt), 0);
  const cur = report.current;
  const picker = html`<form method="get" action="/ui/focus" class="toolbar"><div class="field"><label for="days">Period</label><select id="days" name="days" data-autosubmit>${SPANS.map(
    (d) => html`<option value="${d}"${d === days ? ' selected' : ''}>last ${d} days</option>`,
  )}</select></div><noscript><button type="submit" class="secondary">Show</button></noscript></form>`;

  const body = html`${heading('Focus and energy', `How your energy and attention moved over the last ${days} days, in ${ctx.tz} time.`)}
${picker}
<p></p>
${stats([
  { label: 'Energy now', value: cur ? `${cur.level}/10` : '—', note: cur ? html`${cur.attention} · ${timeEl(cur.at, ctx.tz, ctx.now)}` : 'no recent reading' },
  { label: `Mean, ${days} days`, value: num(report.mean, 1), note: `${report.n} readings` },
  {
    label: 'Trend',
    value: report.trend.direction.replace('_', ' '),
    note: report.trend.slopePerDay === null ? undefined : `${num(report.trend.slopePerDay, 2)}/day`,
  },
  { label: 'Focused', value: duration(focusMs), note: `${history.sessions.length} sessions, ${history.breaks.length} breaks` },
])}
<div class="stack">
${card('energy-h', 'Energy over days', energyChart(ctx, history.energy, since))}
<div class="grid">
${card('heat-h', 'When your energy is high', heat(ctx, history.energy))}
${card('windows-h', 'Best focus windows', windows(report.bestWindows, report.notes))}
</div>
${card('timeline-h', 'Focus sessions and breaks', timeline(ctx, history.sessions, history.breaks, Math.min(days, 14)))}
<div class="grid">
${card('tasks-h', 'Tasks: estimated and actual minutes', taskTrees(ctx, trees))}
${card('calibration-h', 'Calibration', calibration(model.overall, samples, model.byEnergy, model.byCategory))}
</div>
</div>`;
  return { title: 'Focus and energy', section: 'focus', body };
}

/** Local midnights from `since` to `until`, one tick per day (or every few days for long spans). */
function dayTicks(ctx: PageContext, since: number, until: number): Array<{ at: number; label: string }> {
  const n = Math.ceil((until - since) / DAY);
  const every = n <= 14 ? 1 : n <= 31 ? 4 : 14;
  const out: Array<{ at: number; label: string }> = [];
  for (let i = 1; i <= n; i += every) {
    const t = since + i * DAY;
    const midnight = t - minuteOfDay(t, ctx.tz) * 60_000 - (t % 60_000);
    if (midnight > since && midnight <= until) out.push({ at: midnight, label: shortDay(midnight, ctx.tz) });
  }
  return out;
}

function energyChart(ctx: PageContext, readings: readonly EnergyReading[], since: number): SafeHtml {
  if (readings.length === 0) return empty('No energy logged in this period. log_energy records a level 1–10 and how attention feels.');
  const byDay = new Map<string, { sum: number; n: number; at: number }>();
  for (const r of readings) {
    const k = day(r.at, ctx.tz);
    const d = byDay.get(k) ?? { sum: 0, n: 0, at: 0 };
    d.sum += r.level;
    d.n++;
    d.at += r.at;
    byDay.set(k, d);
  }
  const means = [...byDay.values()].map((d) => ({ at: d.at / d.n, value: d.sum / d.n }));
  const chart = timeSeries({
    id: 'energy-chart',
    title: 'Energy level over days',
    desc: `${readings.length} readings from ${dateTime(readings[0]!.at, ctx.tz)} to ${dateTime(readings.at(-1)!.at, ctx.tz)}; the line joins daily means.`,
    since,
    until: ctx.now,
    yDomain: [0, 10],
    xTicks: dayTicks(ctx, since, ctx.now),
    points: readings.map((r) => ({
      at: r.at,
      value: r.level,
      title: `${dateTime(r.at, ctx.tz)} — energy ${r.level}, ${r.attention}${r.note ? `: ${r.note}` : ''}`,
    })),
    line: means,
    frame: WIDE,
  });
  const table = html`<table><thead><tr><th>Time</th><th class="num">Level</th><th>Attention</th><th>Note</th></tr></thead><tbody>${readings
    .slice(-50)
    .reverse()
    .map(
      (r) => html`<tr><td>${timeEl(r.at, ctx.tz)}</td><td class="num">${r.level}</td><td>${r.attention}</td><td>${r.note ?? r.mood ?? ''}</td></tr>`,
    )}</tbody></table>`;
  return figure(chart, { caption: 'Each dot is a reading; the line is the daily mean.', legend: [{ cls: '', label: 'reading and daily mean' }], table });
}

function heat(ctx: PageContext, readings: readonly EnergyReading[]): SafeHtml {
  if (readings.length === 0) return empty('The map fills in as you log energy at different hours.');
  const cells: HeatCell[][] = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => ({ mean: null, n: 0 })));
  const sums = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const r of readings) {
    const { hour, weekday } = localParts(r.at, ctx.tz);
    sums[weekday]![hour]! += r.level;
    cells[weekday]![hour]!.n++;
  }
  for (let d = 0; d < 7; d++) for (let h = 0; h < 24; h++) if (cells[d]![h]!.n > 0) cells[d]![h]!.mean = sums[d]![h]! / cells[d]![h]!.n;
  const filled = cells.flatMap((row, d) => row.map((c, h) => ({ d, h, c }))).filter((x) => x.c.n > 0);
  const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const table = html`<table><thead><tr><th>Weekday</th><th class="num">Hour</th><th class="num">Mean</th><th class="num">Readings</th></tr></thead><tbody>${filled.map(
    (x) => html`<tr><td>${names[x.d]}</td><td class="num">${x.h}:00</td><td class="num">${num(x.c.mean, 1)}</td><td class="num">${x.c.n}</td></tr>`,
  )}</tbody></table>`;
  return figure(heatMap('heat-chart', cells, `Mean energy in ${filled.length} of 168 weekday-hour cells; darker is higher.`), {
    caption: 'Mean energy by weekday and hour; darker is higher, outlined cells have no readings.',
    legend: [
      { cls: 'h1', label: '1–2' },
      { cls: 'h3', label: '5–6' },
      { cls: 'h5', label: '9–10' },
    ],
    table,
  });
}

function windows(
  list: ReadonlyArray<{ startHour: number; endHour: number; meanLevel: number; focusShare: number; n: number }>,
  notes: readonly string[],
): SafeHtml {
  const items = list.length
    ? html`<ol class="list">${list.map(
        (w) =>
          html`<li class="item"><strong>${String(w.startHour).padStart(2, '0')}:00–${String(w.endHour).padStart(2, '0')}:00</strong><div class="meta"><span>mean energy ${num(w.meanLevel, 1)}</span><span>focused ${Math.round(w.focusShare * 100)}% of readings</span><span>${w.n} readings</span></div></li>`,
      )}</ol>`
    : empty('Not enough readings yet to find your best hours.');
  return html`${items}${notes.length ? html`<ul class="muted">${notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}`;
}

function timeline(ctx: PageContext, sessions: readonly FocusSession[], breaks: readonly Break[], days: number): SafeHtml {
  if (sessions.length === 0 && breaks.length === 0) return empty('No focus sessions or breaks in this period. The focus tool starts and stops them.');
  const rows: DayRow[] = [];
  const keyed = new Map<string, DayRow & { spans: DayRow['spans'][number][]; marks: DayRow['marks'][number][] }>();
  for (let i = days - 1; i >= 0; i--) {
    const t = ctx.now - i * DAY;
    const row = { label: shortDay(t, ctx.tz), spans: [], marks: [] };
    keyed.set(day(t, ctx.tz), row);
    rows.push(row);
  }
  for (const s of sessions) {
    let from = s.startedAt;
    const end = s.endedAt ?? ctx.now;
    const what = s.topic ?? (s.taskId ? 'a task' : 'focus');
    const title = `${what}: ${dateTime(s.startedAt, ctx.tz)}, ${duration(end - s.startedAt)}${s.endedAt === null ? ' (running)' : ''}`;
    // A session past midnight continues on the next day's row.
    while (from < end) {
      const m = minuteOfDay(from, ctx.tz);
      const untilMidnight = (1440 - m) * 60_000 - (from % 60_000);
      const stop = Math.min(end, from + untilMidnight);
      keyed.get(day(from, ctx.tz))?.spans.push({ from: m, to: m + (stop - from) / 60_000, title });
      from = stop;
    }
  }
  for (const b of breaks) keyed.get(day(b.at, ctx.tz))?.marks.push({ at: minuteOfDay(b.at, ctx.tz), title: `${b.kind} break at ${dateTime(b.at, ctx.tz)}` });
  const table = html`<table><thead><tr><th>Started</th><th>Ended</th><th>Length</th><th>What</th></tr></thead><tbody>${sessions.map(
    (s) =>
      html`<tr><td>${timeEl(s.startedAt, ctx.tz)}</td><td>${s.endedAt === null ? 'running' : timeEl(s.endedAt, ctx.tz)}</td><td>${duration((s.endedAt ?? ctx.now) - s.startedAt)}</td><td>${s.topic ?? s.taskId ?? ''}</td></tr>`,
  )}${breaks.map((b) => html`<tr><td>${timeEl(b.at, ctx.tz)}</td><td></td><td></td><td>${b.kind} break</td></tr>`)}</tbody></table>`;
  return figure(dayTimeline('focus-chart', rows, `${sessions.length} focus sessions and ${breaks.length} breaks over the last ${days} days.`), {
    caption: `The last ${days} days, midnight to midnight.`,
    legend: [
      { cls: '', label: 'focus session' },
      { cls: 'alt', label: 'break' },
    ],
    table,
  });
}

function minibar(realistic: number | null, actual: number | null, max: number): SafeHtml {
  const w = (v: number) => Math.max(2, Math.round((v / max) * 140));
  return html`<svg class="minibar" width="150" height="18" viewBox="0 0 150 18" aria-hidden="true">${realistic !== null ? html`<rect class="bar alt" x="0" y="1" height="7" width="${w(realistic)}" rx="2"/>` : ''}${actual !== null ? html`<rect class="bar" x="0" y="10" height="7" width="${w(actual)}" rx="2"/>` : ''}</svg>`;
}

function taskTrees(ctx: PageContext, trees: readonly Task[][]): SafeHtml {
  if (trees.length === 0) return empty('No tasks yet. break_down_task splits a task into steps with realistic minutes.');
  const render = (nodes: readonly Task[]): SafeHtml => {
    const max = Math.max(1, ...nodes.map((n) => Math.max(n.realisticMinutes ?? 0, n.actualMinutes ?? 0)));
    const kids = new Map<string | null, Task[]>();
    for (const n of nodes) kids.set(n.parentId, [...(kids.get(n.parentId) ?? []), n]);
    const node = (t: Task): SafeHtml => {
      const cls = t.status === 'done' ? 'ok' : t.status === 'dropped' ? 'bad' : t.status === 'doing' ? 'warn' : '';
      const children = kids.get(t.id) ?? [];
      return html`<li><div class="row"><span class="title">${t.title}</span><span class="badge ${cls}">${t.status}</span></div><div class="meta"><span>${t.rawMinutes === null ? 'no estimate' : `raw ${num(t.rawMinutes, 0)} → realistic ${num(t.realisticMinutes, 0)} min`}</span><span>${t.actualMinutes !== null ? `took ${num(t.actualMinutes, 0)} min` : t.status === 'done' ? 'time not logged' : 'not done yet'}</span>${minibar(t.realisticMinutes, t.actualMinutes, max)}</div>${children.length ? html`<ul class="tree">${children.map(node)}</ul>` : ''}</li>`;
    };
    return html`<ul class="tree">${(kids.get(null) ?? []).map(node)}</ul>`;
  };
  return html`<ul class="legend"><li><span class="swatch alt" aria-hidden="true"></span>realistic estimate</li><li><span class="swatch" aria-hidden="true"></span>actual</li></ul>${join(
    trees.map((t) => html`<div class="item">${render(t)}<p class="meta">changed ${timeEl(t[0]!.updatedAt, ctx.tz, ctx.now)}</p></div>`),
  )}`;
}

function calibration(
  overall: Calibration,
  samples: readonly Task[],
  byEnergy: ReadonlyMap<string, Calibration>,
  byCategory: ReadonlyMap<string, Calibration>,
): SafeHtml {
  const interval = overall.low !== null && overall.high !== null ? ` (90% interval ${num(overall.low)}–${num(overall.high)})` : '';
  const summary = html`<p><span class="big">${num(overall.multiplier)}×</span></p><p>${
    overall.source === 'learned'
      ? `Learned from your last ${overall.n} estimated tasks${interval}.`
      : `The default multiplier: fewer than enough completed tasks with actual minutes to learn yours.`
  } <span class="muted">${overall.method}</span></p>`;
  const points = samples.map((t) => ({ raw: t.rawMinutes ?? 0, realistic: t.realisticMinutes, actual: t.actualMinutes ?? 0, title: t.title }));
  const plot = points.length
    ? figure(calibrationPlot('calibration-chart', points, overall, `${points.length} completed tasks; multiplier ${num(overall.multiplier)}.`), {
        caption: 'Actual minutes against your raw guess.',
        legend: [
          { cls: 'ref', label: 'as guessed (1×)' },
          { cls: '', label: 'learned multiplier' },
          { cls: 'band', label: 'its interval' },
          { cls: 'alt', label: 'realistic estimate' },
        ],
        table: html`<table><thead><tr><th>Task</th><th class="num">Raw</th><th class="num">Realistic</th><th class="num">Actual</th></tr></thead><tbody>${samples.map(
          (t) =>
            html`<tr><td>${t.title}</td><td class="num">${num(t.rawMinutes, 0)}</td><td class="num">${num(t.realisticMinutes, 0)}</td><td class="num">${num(t.actualMinutes, 0)}</td></tr>`,
        )}</tbody></table>`,
      })
    : empty('The plot appears once tasks are done with their actual minutes (update_task).');
  const scoped = [...byEnergy.values(), ...byCategory.values()].filter((c) => c.source === 'learned');
  const table = scoped.length
    ? html`<div class="table-wrap"><table><caption>Multipliers learned per energy level and category</caption><thead><tr><th>Scope</th><th class="num">Multiplier</th><th class="num">Interval</th><th class="num">Tasks</th></tr></thead><tbody>${scoped.map(
        (c) =>
          html`<tr><td>${c.scope}</td><td class="num">${num(c.multiplier)}</td><td class="num">${num(c.low)}–${num(c.high)}</td><td class="num">${c.n}</td></tr>`,
      )}</tbody></table></div>`
    : '';
  return html`${summary}${plot}${table}`;
}
