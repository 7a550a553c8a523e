import { html, type SafeHtml } from './html.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(ms: number, tz: string): Record<string, string> {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** `2026-12-03 14:05` in `tz`. */
export function dateTime(ms: number, tz: string): string {
  const p = parts(ms, tz);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** `2026-12-03` in `tz`. */
export function day(ms: number, tz: string): string {
  const p = parts(ms, tz);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `Thu 03` in `tz` (short axis labels). */
export function shortDay(ms: number, tz: string): string {
  const p = parts(ms, tz);
  return `${p.weekday} ${p.day}`;
}

/** Minutes since local midnight of `ms` in `tz`. */
export function minuteOfDay(ms: number, tz: string): number {
  const p = parts(ms, tz);
  return (Number(p.hour) % 24) * 60 + Number(p.minute);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago" (or "in …" for the future). */
export function ago(ms: number, now: number): string {
  const d = now - ms;
  const a = Math.abs(d);
  const text =
    a < 60_000
      ? 'just now'
      : a < 3_600_000
        ? `${Math.round(a / 60_000)} min`
        : a < 172_800_000
          ? `${Math.round(a / 3_600_000)} h`
          : `${Math.round(a / 86_400_000)} days`;
  return text === 'just now' ? text : d >= 0 ? `${text} ago` : `in ${text}`;
}

/** A `<time>` element with the machine-readable instant and the local text. */
export function timeEl(ms: number | null, tz: string, now?: number): SafeHtml | string {
  if (ms === null) return '—';
  const iso = new Date(ms).toISOString();
  return now === undefined
    ? html`<time datetime="${iso}">${dateTime(ms, tz)}</time>`
    : html`<time datetime="${iso}" title="${dateTime(ms, tz)}">${ago(ms, now)}</time>`;
}

/** A duration in ms as "850 ms", "42 s", "12 min", "3 h 20 min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const min = Math.round(ms / 60_000);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

/** A number with at most `digits` decimals (trailing zeros dropped). */
export function num(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Number(v.toFixed(digits)).toString();
}

/** A share 0..1 as a percentage. */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${Math.round(v * 100)}%`;
}

/** Bytes as KB/MB/GB. */
export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let x = v;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${i === 0 ? x : x.toFixed(1)} ${units[i]}`;
}
