import { html, join, type SafeHtml } from '../html.js';
import { FRAME, type Frame, linear, niceTicks, r1, svgChart, xAxis, yAxis } from './svg.js';

/** A point of a series; `title` is its tooltip and `href` makes it a link. */
export interface SeriesPoint {
  at: number;
  value: number;
  title: string;
  href?: string;
  /** Extra class of its dot (e.g. an outcome). */
  cls?: string;
}

/** Options of {@link timeSeries}. */
export interface TimeSeriesOptions {
  id: string;
  title: string;
  desc: string;
  since: number;
  until: number;
  /** Dots. */
  points: readonly SeriesPoint[];
  /** A line through these (e.g. daily means), drawn under the dots. */
  line?: ReadonlyArray<{ at: number; value: number }>;
  /** Value range; default from the data. */
  yDomain?: readonly [number, number];
  xTicks: ReadonlyArray<{ at: number; label: string }>;
  yLabel?: (v: number) => string;
  frame?: Frame;
}

/** Values over time: dots (optionally linked) and a line, on a time axis. */
export function timeSeries(o: TimeSeriesOptions): SafeHtml {
  const f = o.frame ?? FRAME;
  const values = [...o.points.map((p) => p.value), ...(o.line ?? []).map((p) => p.value)];
  const [lo, hi] = o.yDomain ?? [Math.min(0, ...values), Math.max(1, ...values)];
  const x = linear([o.since, o.until], [f.left, f.width - f.right]);
  const y = linear([lo, hi], [f.height - f.bottom, f.top]);
  const line = o.line?.length ? html`<polyline class="line" points="${o.line.map((p) => `${r1(x(p.at))},${r1(y(p.value))}`).join(' ')}"/>` : '';
  const dot = (p: SeriesPoint) => html`<circle class="dot ${p.cls ?? ''}" cx="${r1(x(p.at))}" cy="${r1(y(p.value))}" r="5"><title>${p.title}</title></circle>`;
  const dots = join(o.points.map((p) => (p.href ? html`<a href="${p.href}" aria-label="${p.title}">${dot(p)}</a>` : dot(p))));
  const body = html`${yAxis(f, niceTicks(lo, hi, 5), y, o.yLabel ?? ((v) => String(v)))}${xAxis(f, o.xTicks, x)}${line}${dots}`;
  return svgChart(o.id, f, o.title, o.desc, body);
}
