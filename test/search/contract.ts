import { describe, expect, it } from 'vitest';
import type { SearchEngine, SearchKind } from '../../src/search/index.js';
import type { TestServer } from '../helpers/client.js';
import type { ToolOutputs } from '../helpers/tool-outputs.js';
import { debugSteps, runEpisode } from '../patterns/helpers.js';
import { FACTS, useServers } from './fixtures.js';

/** What an engine under the contract says about itself. */
export interface EngineClaims {
  /** The `engine` its query_memory replies report. */
  engine: string;
  /** The optional `SearchEngine` members it has. */
  capabilities: ReadonlyArray<'indexWrite' | 'reindex' | 'stats'>;
}

/** One query_memory result. */
type Hit = ToolOutputs['query_memory']['results'][number];

/**
 * The behaviour every search engine owes `query_memory`, checked through the real MCP client
 * against a server started with `CAIRN_SEARCH=<kind>`. Each engine's test file calls this once and
 * adds only what is particular to the engine.
 */
export function searchEngineContract(kind: SearchKind, claims: EngineClaims): void {
  describe(`search engine contract (CAIRN_SEARCH=${kind})`, () => {
    const { server, newHome } = useServers({ env: { CAIRN_SEARCH: kind } });
    const query = (s: TestServer, args: Record<string, unknown>) => s.call('query_memory', args);
    const texts = async (s: TestServer, args: Record<string, unknown>) => (await query(s, args)).results.map((r: Hit) => r.content ?? r.summary);
    const ids = async (s: TestServer, args: Record<string, unknown>) => (await query(s, args)).results.map((r: Hit) => r.id);

    it('finds a remembered fact, best first, in the reply shape and naming the engine', async () => {
      const s = await server();
      const stored: string[] = [];
      for (const f of FACTS) stored.push((await s.call('remember', { content: f, tags: ['people'] })).id);
      const q = await query(s, { query: 'who opened a dance studio?' });
      expect(q.engine).toBe(claims.engine);
      expect(q.count).toBe(q.results.length);
      expect(q.truncated).toBe(false);
      // Compact by default: no empty metadata, no score parts; explain adds importance and the parts.
      expect(q.results[0]).toMatchObject({ type: 'memory', id: stored[2], content: FACTS[2], kind: 'note', tags: ['people'] });
      expect(q.results[0]!.metadata).toBeUndefined();
      expect(q.results[0]!.score_parts).toBeUndefined();
      expect(q.results[0]!.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      const explained = await query(s, { query: 'who opened a dance studio?', explain: true });
      expect(explained.results[0]).toMatchObject({ id: stored[2], importance: 0.5 });
      expect(Object.values(explained.results[0]!.score_parts!).every((v) => typeof v === 'number')).toBe(true);
      const scores = q.results.map((r: Hit) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('has exactly the optional capabilities it claims, behind the pattern wrapper too', async () => {
      const s = await server();
      const engine: SearchEngine = s.app.search;
      expect(engine.name).toBe(claims.engine);
      const present = (['indexWrite', 'reindex', 'stats'] as const).filter((c) => typeof engine[c] === 'function');
      expect(present).toEqual([...claims.capabilities]);
    });

    it('finds nothing (and fails nothing) for a query with no letters or digits', async () => {
      const s = await server();
      await s.call('remember', { content: 'punctuation is not a query' });
      expect((await query(s, { query: '?!…' })).results).toEqual([]);
    });

    it('filters memories by kinds, tags (all of them), since and until', async () => {
      const s = await server();
      await s.call('remember', { content: 'Standup moved to 10:00 on Mondays', kind: 'fact', tags: ['work', 'meetings'], occurred_at: '2026-01-10T09:00:00Z' });
      await s.call('remember', { content: 'Prefers standup notes in writing', kind: 'preference', tags: ['work'], occurred_at: '2026-03-10T09:00:00Z' });
      await s.call('remember', { content: 'Standup with the running club on Sundays', kind: 'event', tags: ['sport'], occurred_at: '2026-05-10T09:00:00Z' });
      const m = (args: Record<string, unknown>) => texts(s, { query: 'standup', scope: ['memories'], ...args });
      expect(await m({ kinds: ['preference'] })).toEqual(['Prefers standup notes in writing']);
      expect((await m({ kinds: ['fact', 'event'] })).sort()).toEqual(['Standup moved to 10:00 on Mondays', 'Standup with the running club on Sundays']);
      expect(await m({ tags: ['work', 'meetings'] })).toEqual(['Standup moved to 10:00 on Mondays']);
      expect((await m({ tags: ['work'] })).sort()).toEqual(['Prefers standup notes in writing', 'Standup moved to 10:00 on Mondays']);
      expect(await m({ since: '2026-04-01T00:00:00Z' })).toEqual(['Standup with the running club on Sundays']);
      expect(await m({ until: '2026-02-01T00:00:00Z' })).toEqual(['Standup moved to 10:00 on Mondays']);
      expect(await m({ since: '2026-02-01T00:00:00Z', until: '2026-04-01T00:00:00Z' })).toEqual(['Prefers standup notes in writing']);
      expect(await m({ kinds: ['observation'] })).toEqual([]);
    });

    it('filters episodes by task_type, domain, tags and one or several outcomes', async () => {
      const s = await server();
      const mk = async (task: string, taskType: string, domain: string, outcome: string, tags: string[] = []) => {
        const { episode_id } = await s.call('start_episode', { task, task_type: taskType, domain, tags });
        await s.call('complete_episode', { episode_id, outcome: { type: outcome } });
        return episode_id as string;
      };
      const a = await mk('Deploy the payments service', 'deployment', 'payments', 'success', ['prod']);
      const b = await mk('Deploy the search service', 'deployment', 'search', 'failure');
      const c = await mk('Deploy the mail service', 'deployment', 'mail', 'abstained', ['prod']);
      const d = await mk('Debug the deploy service script', 'debugging', 'mail', 'success');
      const e = (args: Record<string, unknown>) => ids(s, { query: 'deploy service', scope: ['episodes'], ...args });
      expect((await e({})).sort()).toEqual([a, b, c, d].sort());
      expect(await e({ outcome: ['failure'] })).toEqual([b]);
      expect((await e({ outcome: ['success', 'abstained'] })).sort()).toEqual([a, c, d].sort());
      expect(await e({ domain: 'payments' })).toEqual([a]);
      expect(await e({ task_type: 'debugging' })).toEqual([d]);
      expect(await e({ task_type: 'deployment', domain: 'mail' })).toEqual([c]);
      expect((await e({ tags: ['prod'] })).sort()).toEqual([a, c].sort());
      expect(await e({ task_type: 'nothing-like-this' })).toEqual([]);
      const hit = (await query(s, { query: 'deploy service', scope: ['episodes'], outcome: ['failure'] })).results[0]!;
      expect(hit).toMatchObject({ type: 'episode', id: b, task_type: 'deployment', domain: 'search', outcome: 'failure' });
      expect(hit.summary).toMatch(/Deploy the search service/);
      expect(typeof hit.reward).toBe('number');
    });

    it('looks only where scope says: memories, episodes or both', async () => {
      const s = await server();
      const { id } = await s.call('remember', { content: 'The standup summary goes to the team channel' });
      const { episode_id } = await s.call('start_episode', { task: 'Write the standup summary', task_type: 'documentation', domain: 'work' });
      expect(await ids(s, { query: 'standup summary', scope: ['memories'] })).toEqual([id]);
      expect(await ids(s, { query: 'standup summary', scope: ['episodes'] })).toEqual([episode_id]);
      expect((await ids(s, { query: 'standup summary' })).sort()).toEqual([id, episode_id].sort());
    });

    it('returns at most limit results and bounds the text by max_chars and compact', async () => {
      const s = await server();
      for (let i = 0; i < 30; i++) await s.call('remember', { content: `Garden note ${i}: ${'tomatoes need water and sun '.repeat(20)}` });
      expect((await query(s, { query: 'tomatoes water' })).results).toHaveLength(10);
      expect((await query(s, { query: 'tomatoes water', limit: 3 })).results).toHaveLength(3);
      // 25 notes of ~600 characters do not fit the default reply budget: the reply says how many it left out.
      const many = await query(s, { query: 'tomatoes water', limit: 25 });
      expect(many.count).toBe(25);
      expect(many.results.length + (many.omitted?.results ?? 0)).toBe(25);
      expect(many.truncated).toBe(many.results.length < 25);
      expect((await query(s, { query: 'tomatoes water', limit: 25, compact: true })).results).toHaveLength(25);
      const q = await query(s, { query: 'tomatoes water', limit: 25, compact: true, max_chars: 1000 });
      expect(q.truncated).toBe(true);
      expect(q.results.reduce((n: number, r: Hit) => n + r.content!.length, 0)).toBeLessThanOrEqual(1000);
      expect(q.results.every((r: Hit) => r.content!.length <= 200 && r.score_parts === undefined && r.metadata === undefined)).toBe(true);
    });

    it('min_score: each hit reports its relevance, the floor drops weaker hits, and nothing relevant gives [] with a note', async () => {
      const s = await server();
      for (const f of FACTS) await s.call('remember', { content: f });
      const byDefault = await query(s, { query: 'who opened a dance studio?', explain: true });
      expect(byDefault.results[0]).toMatchObject({ content: FACTS[2] });
      expect(byDefault.results[0]!.score_parts!.relevance).toBe(1);
      expect(byDefault.results.every((r: Hit) => (r.score_parts?.relevance ?? 0) >= 0.2)).toBe(true);
      const all = await query(s, { query: 'who opened a dance studio?', min_score: 0 });
      expect(all.results.length).toBeGreaterThanOrEqual(byDefault.results.length);
      const strict = await query(s, { query: 'who opened a dance studio?', min_score: 0.99, explain: true });
      expect(strict.results.length).toBeGreaterThanOrEqual(1);
      expect(strict.results.every((r: Hit) => (r.score_parts?.relevance ?? 0) >= 0.99)).toBe(true);
      const none = await query(s, { query: 'what car does she have' });
      expect(none).toMatchObject({ results: [], count: 0 });
      expect(none.note).toMatch(/Nothing relevant/);
      expect(await s.callError('query_memory', { query: 'dance', min_score: 1.5 })).toMatch(/min_score/);
    });

    it('diversify false keeps near-identical logs together, above weaker matches', async () => {
      const s = await server();
      const logs: string[] = [];
      for (let day = 1; day <= 14; day++)
        logs.push((await s.call('remember', { content: `Medication dose taken: 10 mg methylphenidate at 08:00, day ${day}` })).id);
      for (const note of [
        'Ask the doctor whether the medication dose can be lowered',
        'Medication refill is ready; the dose label changed',
        'The dose of vitamin D is taken with breakfast',
      ]) {
        await s.call('remember', { content: note });
      }
      const flat = await ids(s, { query: 'medication dose taken', limit: 17, diversify: false });
      expect(flat.slice(0, 14).sort()).toEqual([...logs].sort());
    });

    it('hides a forgotten memory and shows it again once restored', async () => {
      const s = await server();
      const { id } = await s.call('remember', { content: 'Project Falcon launches in March' });
      await s.call('remember', { content: 'Project Heron launches in May' });
      await s.call('forget', { id });
      expect(await ids(s, { query: 'Falcon launch' })).not.toContain(id);
      await s.call('forget', { id, restore: true });
      expect((await ids(s, { query: 'Falcon launch' }))[0]).toBe(id);
    });

    it('hides a superseded memory unless include_superseded, marking it, and shows it again once restored', async () => {
      const s = await server();
      const tea = await s.call('remember', { content: 'Dana prefers green tea with breakfast', kind: 'preference' });
      const coffee = await s.call('remember', { content: 'Dana prefers black coffee with breakfast', kind: 'preference', supersedes: [tea.id] });
      await s.call('remember', { content: 'Breakfast is served from seven', kind: 'fact' });
      expect(await ids(s, { query: 'Dana breakfast tea coffee' })).not.toContain(tea.id);
      expect(await ids(s, { query: 'Dana breakfast tea coffee' })).toContain(coffee.id);
      expect(await ids(s, { query: 'green tea', scope: ['memories'] })).not.toContain(tea.id);
      const all = await query(s, { query: 'Dana breakfast tea coffee', include_superseded: true });
      expect(all.results.map((r: Hit) => r.id)).toEqual(expect.arrayContaining([tea.id, coffee.id]));
      expect(all.results.find((r: Hit) => r.id === tea.id)).toMatchObject({ superseded_by: coffee.id });
      // Filters still apply to what include_superseded brings back.
      expect(await ids(s, { query: 'green tea', kinds: ['fact'], include_superseded: true })).not.toContain(tea.id);
      await s.call('forget', { id: tea.id, restore: true });
      expect(await ids(s, { query: 'green tea', scope: ['memories'] })).toContain(tea.id);
    });

    it('hides memories the curator merged, shows them with include_superseded, and again after undo', async () => {
      const s = await server();
      const a = await s.call('remember', { content: 'The spare key is under the blue flowerpot', kind: 'fact' });
      // A time of its own, so it is not taken for a client retry of the first.
      const b = await s.call('remember', { content: 'The spare key is under the BLUE flowerpot!', kind: 'fact', occurred_at: '2026-01-02T10:00:00Z' });
      const run = await s.app.curator.run('default');
      expect(run.merges.map((m) => [m.sourceId, m.targetId])).toEqual([[b.id, a.id]]);
      expect(await ids(s, { query: 'spare key flowerpot' })).toEqual([a.id]);
      const all = await query(s, { query: 'spare key flowerpot', include_superseded: true });
      expect(all.results.map((r: Hit) => r.id).sort()).toEqual([a.id, b.id].sort());
      expect(all.results.find((r: Hit) => r.id === b.id)).toMatchObject({ merged_into: a.id });
      await s.app.curator.undo('default', run.runId!);
      expect((await ids(s, { query: 'spare key flowerpot' })).sort()).toEqual([a.id, b.id].sort());
    });

    it('merges learned patterns into the results for scope patterns', async () => {
      const s = await server();
      await runEpisode(s, debugSteps());
      await s.call('remember', { content: 'The run_tests tool needs a clean build first', kind: 'fact' });
      const only = await query(s, { query: 'recover when run_tests fails', scope: ['patterns'] });
      expect(only.results.length).toBeGreaterThan(0);
      expect(only.results.every((r: Hit) => r.type === 'pattern')).toBe(true);
      const mixed = await query(s, { query: 'run_tests', scope: ['memories', 'patterns'], limit: 20, explain: true });
      expect(new Set(mixed.results.map((r: Hit) => r.type))).toEqual(new Set(['memory', 'pattern']));
      expect(mixed.results.every((r: Hit) => typeof r.score_parts!.source_score === 'number')).toBe(true);
      const scores = mixed.results.map((r: Hit) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect((await query(s, { query: 'run_tests' })).results.some((r: Hit) => r.type === 'pattern')).toBe(false);
    });

    it('keeps the namespaces of one database apart', async () => {
      const home = newHome();
      const alice = await server({ home, namespace: 'alice' });
      const bob = await server({ home, namespace: 'bob' });
      await alice.call('remember', { content: 'Alice keeps her passport in the blue drawer' });
      await bob.call('remember', { content: 'Bob keeps his passport in the kitchen cabinet' });
      expect(await texts(alice, { query: 'passport' })).toEqual(['Alice keeps her passport in the blue drawer']);
      expect(await texts(bob, { query: 'passport' })).toEqual(['Bob keeps his passport in the kitchen cabinet']);
    });

    it('searches a project and its global namespace together, merging both, and each alone keeps its own', async () => {
      const home = newHome();
      const project = await server({ home, namespace: 'me', project: 'me.shop' });
      const other = await server({ home, namespace: 'me', project: 'me.blog' });
      const global = await server({ home, namespace: 'me' });
      const pref = await project.call('remember', { content: 'Prefers the checkout tests to run in watch mode', kind: 'preference' });
      const fact = await project.call('remember', { content: 'The checkout service retries failed card payments twice', kind: 'fact' });
      await other.call('remember', { content: 'The blog checkout of drafts happens on Fridays' });
      expect(pref.scope).toBe('global');
      expect(fact.scope).toBe('project');
      const both = await query(project, { query: 'checkout', explain: true });
      expect(both.results.map((r: Hit) => [r.id, r.scope]).sort()).toEqual(
        [
          [fact.id, 'project'],
          [pref.id, 'global'],
        ].sort(),
      );
      const scores = both.results.map((r: Hit) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(both.results.every((r: Hit) => typeof r.score_parts!.source_score === 'number')).toBe(true);
      expect(await texts(global, { query: 'checkout' })).toEqual(['Prefers the checkout tests to run in watch mode']);
      expect((await texts(other, { query: 'checkout' })).sort()).toEqual([
        'Prefers the checkout tests to run in watch mode',
        'The blog checkout of drafts happens on Fridays',
      ]);
      expect((await query(project, { query: 'checkout', limit: 1 })).results).toHaveLength(1);
    });

    it("sees another process's remember, forget and restore on the same database", async () => {
      const home = newHome();
      const a = await server({ home });
      const b = await server({ home });
      await a.call('remember', { content: 'warming the index of server a' });
      expect(await texts(a, { query: 'warming index' })).toEqual(['warming the index of server a']);
      const { id } = await b.call('remember', { content: 'The spare key is under the blue flowerpot' });
      expect((await ids(a, { query: 'where is the spare key?' }))[0]).toBe(id);
      await b.call('forget', { id });
      expect(await ids(a, { query: 'spare key flowerpot' })).not.toContain(id);
      await b.call('forget', { id, restore: true });
      expect((await ids(a, { query: 'spare key flowerpot' }))[0]).toBe(id);
      const fix = await b.call('remember', { content: 'The spare key is now with the neighbour', supersedes: [id] });
      const after = await ids(a, { query: 'spare key' });
      expect(after[0]).toBe(fix.id);
      expect(after).not.toContain(id);
    });
  });
}
