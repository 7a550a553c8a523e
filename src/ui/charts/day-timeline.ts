import { html, join, type SafeHtml } from '../html.js';
import { r1, svgChart } from './svg.js';

/** One day's row: its label, spans (focus sessions) and marks (breaks), in minutes after local midnight. */
export interface DayRow {
  label: string;
  spans: ReadonlyArray<{ from: number; to: number; title: string }>;
  marks: ReadonlyArray<{ at: number; title: string }>;
}

/** Days as rows, the 24 hours across: focus sessions as bars and breaks as diamonds. */
export function dayTimeline(id: string, rows: readonly DayRow[], desc: string): SafeHtml {
  const left = 64;
  const right = 10;
  const top = 6;
  const rh = 22;
  const width = 960;
  const height = top + rows.length * rh + 26;
  const x = (m: number) => left + (Math.max(0, Math.min(1440, m)) / 1440) * (width - left - right);
  const grid = [0, 3, 6, 9, 12, 15, 18, 21, 24].map(
    (h) =>
      html`<line class="grid" x1="${r1(x(h * 60))}" x2="${r1(x(h * 60))}" y1="${top}" y2="${top + rows.length * rh}"/><text class="tick" x="${r1(x(h * 60))}" y="${top + rows.length * rh + 18}" text-anchor="middle">${String(h % 24).padStart(2, '0')}</text>`,
  );
  const body = rows.map((row, i) => {
    const y = top + i * rh;
    const spans = row.spans.map(
      (s) =>
        html`<rect class="session" x="${r1(x(s.from))}" y="${y + 4}" width="${r1(Math.max(2, x(s.to) - x(s.from)))}" height="${rh - 8}" rx="3"><title>${s.title}</title></rect>`,
    );
    const marks = row.marks.map((m) => {
      const cx = x(m.at);
      const cy = y + rh / 2;
      return html`<path class="brk" d="M${r1(cx)} ${r1(cy - 7)} L${r1(cx + 6)} ${r1(cy)} L${r1(cx)} ${r1(cy + 7)} L${r1(cx - 6)} ${r1(cy)} Z"><title>${m.title}</title></path>`;
    });
    return html`<text class="tick" x="${left - 8}" y="${y + rh / 2 + 4}" text-anchor="end">${row.label}</text>${spans}${marks}`;
  });
  return svgChart(id, { width, height, left, right, top, bottom: 26 }, 'Focus sessions and breaks', desc, join([...grid, ...body]));
}
