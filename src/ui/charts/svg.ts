import { type HtmlValue, html, join, type SafeHtml } from '../html.js';

/** The drawing area of a chart: its size in viewBox units and the margins kept for the axes. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A 640 × 240 frame with room for axis labels, for charts in a half-width card. */
export const FRAME: Frame = { width: 640, height: 240, left: 44, right: 12, top: 12, bottom: 30 };

/** A 960 × 260 frame for charts across the whole page, so their text keeps its size. */
export const WIDE: Frame = { width: 960, height: 260, left: 44, right: 12, top: 12, bottom: 30 };

/** A linear map from `domain` to `range`; a zero-width domain maps to the middle of the range. */
export function linear(domain: readonly [number, number], range: readonly [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** About `count` round tick values covering [min, max] (steps of 1, 2 or 5 × 10ⁿ). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

/** Rounds a coordinate to one decimal place, so the markup stays short. */
export const r1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Horizontal grid lines with labels on the left. */
export function yAxis(frame: Frame, ticks: readonly number[], y: (v: number) => number, label: (v: number) => string): SafeHtml {
  return join(
    ticks.map(
      (t) =>
        html`<line class="grid" x1="${frame.left}" x2="${frame.width - frame.right}" y1="${r1(y(t))}" y2="${r1(y(t))}"/><text class="tick" x="${frame.left - 6}" y="${r1(y(t) + 4)}" text-anchor="end">${label(t)}</text>`,
    ),
  );
}

/** Labels under the plot (and short tick marks). */
export function xAxis(frame: Frame, ticks: ReadonlyArray<{ at: number; label: string }>, x: (v: number) => number): SafeHtml {
  const base = frame.height - frame.bottom;
  return join([
    html`<line class="axis" x1="${frame.left}" x2="${frame.width - frame.right}" y1="${base}" y2="${base}"/>`,
    ...ticks.map(
      (t) =>
        html`<line class="axis" x1="${r1(x(t.at))}" x2="${r1(x(t.at))}" y1="${base}" y2="${base + 4}"/><text class="tick" x="${r1(x(t.at))}" y="${base + 18}" text-anchor="middle">${t.label}</text>`,
    ),
  ]);
}

/**
 * An accessible SVG: `role="img"` named by its title and described by `desc` (what it shows, in
 * words). Charts come with their numbers in a table next to them, for screen readers and copying.
 */
export function svgChart(id: string, frame: Frame, title: string, desc: string, body: HtmlValue): SafeHtml {
  return html`<svg class="chart" id="${id}" viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-labelledby="${id}-t ${id}-d" preserveAspectRatio="xMidYMid meet"><title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>${body}</svg>`;
}

/** A chart with an optional legend and a collapsed table of the numbers behind it. */
export function figure(chart: SafeHtml, opts: { caption: string; legend?: ReadonlyArray<{ cls: string; label: string }>; table?: SafeHtml }): SafeHtml {
  const legend = opts.legend?.length
    ? html`<ul class="legend">${opts.legend.map((l) => html`<li><span class="swatch ${l.cls}" aria-hidden="true"></span>${l.label}</li>`)}</ul>`
    : '';
  const table = opts.table ? html`<details class="numbers"><summary>The numbers</summary><div class="table-wrap">${opts.table}</div></details>` : '';
  return html`<figure class="figure"><figcaption>${opts.caption}</figcaption>${legend}<div class="chart-wrap">${chart}</div>${table}</figure>`;
}
