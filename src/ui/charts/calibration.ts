import { html, join, type SafeHtml } from '../html.js';
import { FRAME, linear, niceTicks, r1, svgChart, xAxis, yAxis } from './svg.js';

/** One completed task: its raw guess, the realistic estimate it was given, and what it took (minutes). */
export interface CalibrationPoint {
  raw: number;
  realistic: number | null;
  actual: number;
  title: string;
}

/**
 * Actual against raw minutes: the diagonal is "as guessed", the solid line the learned multiplier
 * with its interval as a band; hollow dots are the realistic estimates, solid dots what it took.
 */
export function calibrationPlot(
  id: string,
  points: readonly CalibrationPoint[],
  fit: { multiplier: number; low: number | null; high: number | null },
  desc: string,
): SafeHtml {
  const f = { ...FRAME, height: 300, bottom: 36, left: 48 };
  const maxX = Math.max(10, ...points.map((p) => p.raw)) * 1.05;
  const maxY = Math.max(10, ...points.map((p) => Math.max(p.actual, p.realistic ?? 0)), maxX * (fit.high ?? fit.multiplier)) * 1.05;
  const x = linear([0, maxX], [f.left, f.width - f.right]);
  const y = linear([0, maxY], [f.height - f.bottom, f.top]);
  const edge = (m: number) => (m * maxX <= maxY ? [maxX, m * maxX] : [maxY / m, maxY]);
  const band =
    fit.low !== null && fit.high !== null
      ? (() => {
          const [hx, hy] = edge(fit.high);
          const [lx, ly] = edge(fit.low);
          const corner = fit.high * maxX > maxY && fit.low * maxX <= maxY ? ` ${r1(x(maxX))},${r1(y(maxY))}` : '';
          return html`<polygon class="band" points="${r1(x(0))},${r1(y(0))} ${r1(x(hx!))},${r1(y(hy!))}${corner} ${r1(x(lx!))},${r1(y(ly!))}"/>`;
        })()
      : '';
  const [mx, my] = edge(fit.multiplier);
  const [dx, dy] = edge(1);
  const xt = niceTicks(0, maxX, 6).map((v) => ({ at: v, label: String(v) }));
  const body = join([
    yAxis(f, niceTicks(0, maxY, 5), y, (v) => String(v)),
    xAxis(f, xt, x),
    html`<text class="tick" x="${(f.left + f.width - f.right) / 2}" y="${f.height - 4}" text-anchor="middle">raw estimate (min)</text>`,
    band,
    html`<polyline class="line ref" points="${r1(x(0))},${r1(y(0))} ${r1(x(dx!))},${r1(y(dy!))}"/>`,
    html`<polyline class="line" points="${r1(x(0))},${r1(y(0))} ${r1(x(mx!))},${r1(y(my!))}"/>`,
    ...points.map((p) =>
      p.realistic === null
        ? ''
        : html`<circle class="dot hollow" cx="${r1(x(p.raw))}" cy="${r1(y(p.realistic))}" r="4.5"><title>${p.title} — realistic ${r1(p.realistic)} min</title></circle>`,
    ),
    ...points.map(
      (p) => html`<circle class="dot" cx="${r1(x(p.raw))}" cy="${r1(y(p.actual))}" r="5"><title>${p.title} — took ${r1(p.actual)} min</title></circle>`,
    ),
  ]);
  return svgChart(id, f, 'Calibration: estimated against actual minutes', desc, body);
}
