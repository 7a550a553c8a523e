import { html, join, type SafeHtml } from '../html.js';
import { r1, svgChart } from './svg.js';

/** One cell: the mean of the readings in it and how many there were. */
export interface HeatCell {
  mean: number | null;
  n: number;
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The colour step (h1–h5) of a mean energy level 1–10. */
export function heatClass(mean: number): string {
  return `h${Math.min(5, Math.max(1, Math.ceil(mean / 2)))}`;
}

/** Weekday × hour-of-day grid of mean energy (7 × 24 cells); empty cells are outlined. */
export function heatMap(id: string, cells: readonly (readonly HeatCell[])[], desc: string): SafeHtml {
  const left = 40;
  const top = 8;
  const cw = 24;
  const ch = 24;
  const width = left + 24 * cw + 8;
  const height = top + 7 * ch + 26;
  const rects = cells.flatMap((row, d) =>
    row.map((c, h) => {
      const cls = c.n === 0 || c.mean === null ? 'cell-empty' : heatClass(c.mean);
      const tip =
        c.n === 0 || c.mean === null
          ? `${DAYS[d]} ${h}:00 — no readings`
          : `${DAYS[d]} ${h}:00 — mean energy ${r1(c.mean)} (${c.n} reading${c.n === 1 ? '' : 's'})`;
      return html`<rect class="${cls}" x="${left + h * cw + 1}" y="${top + d * ch + 1}" width="${cw - 2}" height="${ch - 2}" rx="3"><title>${tip}</title></rect>`;
    }),
  );
  const dayLabels = DAYS.map((d, i) => html`<text class="tick" x="${left - 6}" y="${top + i * ch + 16}" text-anchor="end">${d}</text>`);
  const hourLabels = [0, 3, 6, 9, 12, 15, 18, 21].map(
    (h) => html`<text class="tick" x="${left + h * cw + cw / 2}" y="${top + 7 * ch + 18}" text-anchor="middle">${String(h).padStart(2, '0')}</text>`,
  );
  return svgChart(id, { width, height, left, right: 8, top, bottom: 26 }, 'Energy by weekday and hour', desc, join([...rects, ...dayLabels, ...hourLabels]));
}
