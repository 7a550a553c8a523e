import { type HtmlValue, html, type SafeHtml } from '../html.js';
import type { Page, PageContext } from '../types.js';

/** The hidden CSRF field every form carries. */
export const csrfField = (ctx: Pick<PageContext, 'csrf'>): SafeHtml => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

/** Page heading with an optional line under it. */
export const heading = (title: HtmlValue, lede?: HtmlValue): SafeHtml => html`<h1>${title}</h1>${lede ? html`<p class="lede">${lede}</p>` : ''}`;

/** A card with a heading (an `h2` labelling the section). */
export function card(id: string, title: HtmlValue, body: HtmlValue, extraClass = ''): SafeHtml {
  return html`<section class="card ${extraClass}" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${body}</section>`;
}

/** Stat tiles. */
export function stats(items: ReadonlyArray<{ label: string; value: HtmlValue; note?: HtmlValue }>): SafeHtml {
  return html`<dl class="stats">${items.map((s) => html`<div class="stat"><dt>${s.label}</dt><dd>${s.value}${s.note ? html` <small>${s.note}</small>` : ''}</dd></div>`)}</dl>`;
}

/** A key/value list. */
export function kv(rows: ReadonlyArray<readonly [string, HtmlValue]>): SafeHtml {
  return html`<dl class="kv">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/** Pretty JSON in a pre block (escaped like any text). */
export const json = (v: unknown): SafeHtml => html`<pre class="json">${JSON.stringify(v, null, 2)}</pre>`;

/** Messages a redirect may ask a page to show, by code (never text from the URL). */
const DONE: Record<string, string> = {
  superseded: 'Saved. The new version supersedes the old one, which is kept in the history.',
  forgotten: 'Forgotten. It is hidden from searches and can be restored below.',
  restored: 'Restored. It shows in searches again.',
  remembered: 'Remembered.',
};

/** The status message a `?done=` code names, as a live region. */
export function doneNotice(ctx: PageContext): SafeHtml | string {
  const text = DONE[ctx.url.searchParams.get('done') ?? ''];
  return text ? html`<p class="notice" role="status">${text}</p>` : '';
}

/** An empty state. */
export const empty = (text: HtmlValue): SafeHtml => html`<p class="muted">${text}</p>`;

/** Outcome or status as a coloured badge. */
export function outcomeBadge(outcome: string | null, status?: string): SafeHtml {
  if (!outcome) return html`<span class="badge">${status ?? 'open'}</span>`;
  const cls = outcome === 'success' ? 'ok' : outcome === 'failure' ? 'bad' : outcome === 'partial_success' ? 'warn' : '';
  return html`<span class="badge ${cls}">${outcome.replace('_', ' ')}</span>`;
}

/** An error page. */
export function errorPage(status: number, title: string, message: HtmlValue, extra?: HtmlValue): Page {
  return {
    status,
    title,
    section: 'home',
    body: html`<h1>${title}</h1><p class="notice error" role="alert"><strong>${status}</strong> ${message}</p>${extra ?? ''}`,
  };
}
