import { type BrowseFilter, MEMORY_KINDS, type MemoryKind, type MemoryRecord } from '../../memory/types.js';
import { SCOPES, type Scope, type SearchHit } from '../../search/index.js';
import { num, timeEl } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import type { Answer, Page, PageContext } from '../types.js';
import { card, csrfField, doneNotice, empty, heading } from './common.js';
import { memoryFields } from './memory-form.js';

const PAGE = 20;

/** `YYYY-MM-DD` from a date field as epoch ms (start or end of that UTC day), or undefined. */
function dateField(v: string | null, end: boolean): number | undefined {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const t = Date.parse(`${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z`);
  return Number.isFinite(t) ? t : undefined;
}

/** Status badges of a memory (superseded, merged, forgotten). */
export function statusBadges(m: MemoryRecord): SafeHtml {
  return html`${m.deletedAt !== null ? html`<span class="badge bad">forgotten</span>` : ''}${m.supersededBy ? html`<span class="badge warn">superseded</span>` : ''}${m.mergedInto ? html`<span class="badge warn">merged</span>` : ''}`;
}

function memoryItem(ctx: PageContext, m: MemoryRecord): SafeHtml {
  return html`<li class="item"><p class="content"><a href="/ui/memories/${encodeURIComponent(m.id)}">${m.content}</a></p><div class="meta"><span class="badge">${m.kind}</span>${statusBadges(m)}${m.tags.map((t) => html`<span class="tag">#${t}</span>`)}<span>${timeEl(m.createdAt, ctx.tz, ctx.now)}</span>${m.source ? html`<span>from ${m.source}</span>` : ''}</div></li>`;
}

function hitItem(ctx: PageContext, h: SearchHit): SafeHtml {
  const link = h.type === 'memory' ? `/ui/memories/${encodeURIComponent(h.id)}` : h.type === 'episode' ? `/ui/episodes/${encodeURIComponent(h.id)}` : null;
  const parts = Object.entries(h.parts);
  return html`<li class="item"><p class="content">${link ? html`<a href="${link}">${h.text}</a>` : h.text}</p><div class="meta"><span class="badge">${h.type === 'memory' ? (h.kind ?? 'memory') : h.type}</span>${h.tags.map((t) => html`<span class="tag">#${t}</span>`)}<span>score ${num(h.score, 3)}</span>${h.occurredAt !== null ? html`<span>${timeEl(h.occurredAt, ctx.tz)}</span>` : ''}</div>${
    parts.length
      ? html`<details class="score-parts"><summary>Why it ranked</summary><div class="table-wrap"><table><thead><tr><th>Part</th><th class="num">Value</th></tr></thead><tbody>${parts.map(([k, v]) => html`<tr><td>${k}</td><td class="num">${num(v, 4)}</td></tr>`)}</tbody></table></div></details>`
      : ''
  }</li>`;
}

/** Memories: search with the `query_memory` engine and filters, or browse newest first; add one. */
export async function memoriesPage(ctx: PageContext): Promise<Page> {
  const p = ctx.url.searchParams;
  const q = (p.get('q') ?? '').trim().slice(0, 2000);
  const kinds = p.getAll('kind').filter((k): k is MemoryKind => (MEMORY_KINDS as readonly string[]).includes(k));
  const tags = (p.get('tags') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 32);
  const since = dateField(p.get('since'), false);
  const until = dateField(p.get('until'), true);
  const scope = p.getAll('scope').filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
  const hidden = p.get('hidden') === '1';
  const filter: BrowseFilter = {
    ...(kinds.length ? { kinds } : {}),
    ...(tags.length ? { tags } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };

  let results: SafeHtml;
  if (q) {
    const { hits, engine } = await ctx.services.memory.query(ctx.ns, { query: q, scope: scope.length ? scope : ['memories'], limit: PAGE, ...filter });
    results = card(
      'results-h',
      `Search results (${hits.length})`,
      hits.length
        ? html`<p class="muted">Ranked by the ${engine} engine, as query_memory ranks them.</p><ol class="list">${hits.map((h) => hitItem(ctx, h))}</ol>`
        : empty('Nothing matches. Try other words or fewer filters.'),
    );
  } else {
    const cursor = p.get('cursor') ?? undefined;
    const page = await ctx.services.memory.browse(ctx.ns, { ...filter, includeHidden: hidden }, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    const next = new URLSearchParams(p);
    if (page.nextCursor) next.set('cursor', page.nextCursor);
    const first = new URLSearchParams(p);
    first.delete('cursor');
    results = card(
      'results-h',
      'Newest first',
      html`${page.memories.length ? html`<ol class="list">${page.memories.map((m) => memoryItem(ctx, m))}</ol>` : empty('No memories here yet.')}<nav class="pager" aria-label="Pages">${cursor ? html`<a href="/ui/memories?${first.toString()}">← Newest</a>` : html`<span></span>`}${page.nextCursor ? html`<a href="/ui/memories?${next.toString()}" rel="next">Older →</a>` : ''}</nav>`,
    );
  }

  const checked = (on: boolean) => (on ? ' checked' : '');
  const form = html`<form method="get" action="/ui/memories" role="search" aria-label="Search memories">
<div class="toolbar"><div class="field grow"><label for="q">Search</label><input type="search" id="q" name="q" value="${q}" placeholder="What do you want to find? (press / to jump here)"></div><button type="submit">Search</button></div>
<details class="score-parts"${kinds.length || tags.length || since !== undefined || until !== undefined || scope.length || hidden ? ' open' : ''}><summary>Filters</summary>
<div class="toolbar">
<fieldset class="field"><legend class="label">Kinds</legend><div class="checks">${MEMORY_KINDS.map((k) => html`<label><input type="checkbox" name="kind" value="${k}"${checked(kinds.includes(k))}> ${k}</label>`)}</div></fieldset>
<fieldset class="field"><legend class="label">Search in</legend><div class="checks">${SCOPES.map((s) => html`<label><input type="checkbox" name="scope" value="${s}"${checked(scope.includes(s))}> ${s}</label>`)}</div></fieldset>
</div><div class="toolbar">
<div class="field"><label for="tags">Tags (all of)</label><input type="text" id="tags" name="tags" value="${tags.join(', ')}" placeholder="work, project-x"></div>
<div class="field"><label for="since">From</label><input type="date" id="since" name="since" value="${p.get('since') ?? ''}"></div>
<div class="field"><label for="until">To</label><input type="date" id="until" name="until" value="${p.get('until') ?? ''}"></div>
<div class="checks"><label><input type="checkbox" name="hidden" value="1"${checked(hidden)}> include superseded and merged</label></div>
</div></details>
</form>`;
  const add = html`<details class="card"><summary><strong>Remember something</strong></summary><form method="post" action="/ui/memories">${csrfField(ctx)}${fieldsHtml(null)}<p></p><button type="submit">Remember</button></form></details>`;
  return {
    title: 'Memories',
    section: 'memories',
    body: html`${heading('Memories', 'What Cairn remembers for this namespace. Search ranks like query_memory; without words, the newest come first.')}${doneNotice(ctx)}${card('search-h', 'Find', form)}${results}${add}`,
  };
}

/** The editable fields of a memory, prefilled from `m`. */
export function fieldsHtml(m: MemoryRecord | null): SafeHtml {
  return html`<div class="field"><label for="content">Text</label><textarea id="content" name="content" required maxlength="20000">${m?.content ?? ''}</textarea></div>
<div class="toolbar"><div class="field"><label for="kind">Kind</label><select id="kind" name="kind">${MEMORY_KINDS.map((k) => html`<option value="${k}"${k === (m?.kind ?? 'note') ? ' selected' : ''}>${k}</option>`)}</select></div>
<div class="field grow"><label for="f-tags">Tags, separated by commas</label><input type="text" id="f-tags" name="tags" value="${m?.tags.join(', ') ?? ''}"></div>
<div class="field"><label for="importance">Importance 0–1</label><input type="number" id="importance" name="importance" min="0" max="1" step="0.1" value="${m?.importance ?? 0.5}"></div></div>`;
}

/** POST /ui/memories: remember a new memory. */
export async function rememberAction(ctx: PageContext): Promise<Answer> {
  const f = memoryFields(ctx.form);
  const out = await ctx.services.memory.remember(ctx.ns, f);
  return { redirect: `/ui/memories/${encodeURIComponent(out.id)}?done=remembered` };
}
