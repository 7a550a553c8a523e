import type { MemoryRecord } from '../../memory/types.js';
import { timeEl } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import type { Answer, Page, PageContext } from '../types.js';
import { card, csrfField, doneNotice, empty, json, kv } from './common.js';
import { fieldsHtml, statusBadges } from './memories.js';
import { memoryFields } from './memory-form.js';

const link = (m: MemoryRecord): SafeHtml =>
  html`<a href="/ui/memories/${encodeURIComponent(m.id)}">${m.content.length > 120 ? `${m.content.slice(0, 119)}…` : m.content}</a>`;

/** One memory: its text, provenance, links, history, and the forms to edit (supersede), forget or restore it. */
export async function memoryPage(ctx: PageContext): Promise<Page> {
  const id = ctx.params.id!;
  const h = await ctx.services.memory.history(ctx.ns, id);
  const m = h.memory;
  const forgotten = m.deletedAt !== null;
  const hidden = forgotten || Boolean(m.supersededBy) || Boolean(m.mergedInto);
  const action = (path: string) => `/ui/memories/${encodeURIComponent(m.id)}/${path}`;

  const links = html`${h.supersededBy ? html`<p class="notice">Superseded by ${link(h.supersededBy)}.</p>` : ''}${h.mergedInto ? html`<p class="notice">Merged into ${link(h.mergedInto)}.</p>` : ''}${
    h.supersedes.length
      ? html`<h3>Earlier versions it replaces</h3><ul>${h.supersedes.map((x) => html`<li>${link(x)} ${timeEl(x.createdAt, ctx.tz, ctx.now)}</li>`)}</ul>`
      : ''
  }${h.merged.length ? html`<h3>Near-duplicates merged into it</h3><ul>${h.merged.map((x) => html`<li>${link(x)}</li>`)}</ul>` : ''}`;
  const history = h.events.length
    ? html`<div class="table-wrap"><table><thead><tr><th>When</th><th>What</th><th>By</th><th>Detail</th></tr></thead><tbody>${h.events.map(
        (e) =>
          html`<tr><td>${timeEl(e.at, ctx.tz)}</td><td>${e.action}${e.memoryId !== m.id ? html` <span class="muted">(of ${e.memoryId.slice(-8)})</span>` : ''}</td><td>${e.actor}</td><td>${e.rule ?? ''}${e.relatedId ? html` → <a href="/ui/memories/${encodeURIComponent(e.relatedId)}"><code>${e.relatedId.slice(-8)}</code></a>` : ''}</td></tr>`,
      )}</tbody></table></div>`
    : empty('No recorded changes.');

  const edit = !hidden
    ? card(
        'edit-h',
        'Edit',
        html`<p class="muted">Saving writes a new memory that supersedes this one; this version stays in the history and can be restored.</p><form method="post" action="${action('supersede')}">${csrfField(ctx)}${fieldsHtml(m)}<p></p><button type="submit">Save as new version</button></form>`,
      )
    : '';
  const lifecycleActions =
    forgotten || m.supersededBy || m.mergedInto
      ? html`<form method="post" action="${action('restore')}">${csrfField(ctx)}<button type="submit" class="secondary">Restore</button></form>`
      : html`<form method="post" action="${action('forget')}" class="toolbar">${csrfField(ctx)}<div class="field"><label for="reason">Reason (optional)</label><input type="text" id="reason" name="reason" maxlength="500"></div><button type="submit" class="danger">Forget</button></form>`;

  const body = html`<p><a href="/ui/memories">← Memories</a></p>
${doneNotice(ctx)}
<h1 class="sr-only">Memory ${m.id}</h1>
<section class="card" aria-label="Memory text"><p class="content big-text">${m.content}</p><div class="meta"><span class="badge">${m.kind}</span>${statusBadges(m)}${m.tags.map((t) => html`<span class="tag">#${t}</span>`)}</div></section>
${links}
<div class="grid">
${card(
  'prov-h',
  'Provenance',
  html`${kv([
    ['Id', html`<code>${m.id}</code>`],
    ['Remembered', timeEl(m.createdAt, ctx.tz)],
    ['Happened', timeEl(m.occurredAt, ctx.tz)],
    ['Source', m.source ?? '—'],
    ['Importance', String(m.importance)],
    ['Forgotten', forgotten ? html`${timeEl(m.deletedAt, ctx.tz)}${m.deletedReason ? ` — ${m.deletedReason}` : ''}` : 'no'],
  ])}${Object.keys(m.metadata).length ? html`<h3>Metadata</h3>${json(m.metadata)}` : ''}`,
)}
${card('actions-h', forgotten || hidden ? 'Bring it back' : 'Forget', html`<p class="muted">${hidden ? 'Hidden from searches; restoring shows it again.' : 'Forgetting hides it from searches; nothing is deleted and it can be restored.'}</p>${lifecycleActions}`)}
</div>
<p></p>
${edit}
${card('history-h', 'History', history)}`;
  return { title: 'Memory', section: 'memories', body };
}

/** POST …/supersede: remember the edited text as a new memory that supersedes this one. */
export async function supersedeAction(ctx: PageContext): Promise<Answer> {
  const old = await ctx.services.memory.get(ctx.ns, ctx.params.id!);
  const f = memoryFields(ctx.form);
  const input = {
    ...f,
    ...(old.occurredAt !== null ? { occurredAt: old.occurredAt } : {}),
    ...(old.source ? { source: old.source } : {}),
    metadata: old.metadata,
    supersedes: [old.id],
  };
  const out = await ctx.services.memory.remember(ctx.ns, input);
  return { redirect: `/ui/memories/${encodeURIComponent(out.id)}?done=superseded` };
}

/** POST …/forget. */
export async function forgetAction(ctx: PageContext): Promise<Answer> {
  const reason = (ctx.form.get('reason') ?? '').trim().slice(0, 500);
  await ctx.services.memory.forget(ctx.ns, ctx.params.id!, reason || 'forgotten in the dashboard');
  return { redirect: `/ui/memories/${encodeURIComponent(ctx.params.id!)}?done=forgotten` };
}

/** POST …/restore. */
export async function restoreAction(ctx: PageContext): Promise<Answer> {
  await ctx.services.memory.restore(ctx.ns, ctx.params.id!);
  return { redirect: `/ui/memories/${encodeURIComponent(ctx.params.id!)}?done=restored` };
}
