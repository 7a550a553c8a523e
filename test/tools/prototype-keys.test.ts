import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cairn, cliEnv } from '../cli/run.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';

// Names that a plain-object lookup would find on Object.prototype; to Cairn they are ordinary words.
const PROTO = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'] as const;
const PLAIN = PROTO.filter((p) => p !== '__proto__');

let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});

// Arguments built from JSON text, as a client sends them: `{"__proto__": …}` is then an own key.
const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

describe('user strings that are Object.prototype names', () => {
  it('break_down_task: any category plans, and a learned category multiplier applies only to its own name', async () => {
    srv = await startTestServer();
    for (const category of PROTO) {
      const out = await srv.call('break_down_task', { task: `Plan ${category}`, category, steps: [{ title: 'Draft', estimate_minutes: 10 }] });
      expect(out.calibration).toMatchObject({ source: 'default', multiplier: 2.5 });
      expect(out.steps[1]!.why).toMatch(/default: no completed estimated tasks yet/);
    }
    // Five tasks in category "constructor" that took twice the estimate teach that category.
    for (let i = 0; i < 5; i++) {
      const plan = await srv.call('break_down_task', { task: `Task ${i}`, category: 'constructor', steps: [{ title: `Step ${i}`, estimate_minutes: 10 }] });
      await srv.call('update_task', { task_id: plan.steps[1]!.id, status: 'done', actual_minutes: 20 });
    }
    const learned = await srv.call('break_down_task', { task: 'Next', category: 'constructor', steps: [{ title: 'Go', estimate_minutes: 10 }] });
    expect(learned.steps[1]!.why).toMatch(/learned from your last 5 tasks \(category constructor\)/);
    for (const other of ['toString', '__proto__', 'multiplier', 'scope']) {
      const out = await srv.call('break_down_task', { task: 'Other', category: other, steps: [{ title: 'Go', estimate_minutes: 10 }] });
      expect(out.steps[1]!.why).toMatch(/learned from your last 5 tasks, 90% interval/);
      expect(out.steps[1]!.multiplier).toBe(2);
    }
  });

  it('advanced_pattern_analysis: series may be called constructor or toString; "__proto__" is refused, not dropped', async () => {
    srv = await startTestServer();
    const values = Array.from({ length: 12 }, (_, i) => i + (i % 3));
    const data = Object.fromEntries(PLAIN.map((p, k) => [p, values.map((v) => v * (k + 1))]));
    const out = await srv.call('advanced_pattern_analysis', { analysis_type: 'comprehensive', time_series_data: data });
    expect(out.series.map((s) => [s.name, s.n])).toEqual(PLAIN.map((p) => [p, 12]));
    expect(out.detail === 'summary' && out.correlation_counts?.tested).toBe(6);
    const proto = await srv.callError(
      'advanced_pattern_analysis',
      json(`{"analysis_type":"statistical","time_series_data":{"__proto__":[1,2,3,4],"b":[4,3,2,1]}}`),
    );
    expect(proto).toMatch(/Input validation error/);
    expect(proto).toMatch(/"__proto__".*reserved.*time_series_data/);
    const derived = await srv.call('advanced_pattern_analysis', {
      analysis_type: 'statistical',
      source: { metric: 'reward', task_type: 'constructor', domain: '__proto__' },
    });
    expect(derived.notes[0]).toMatch(/No stored episodes matched source \(reward per day, task_type constructor, domain __proto__\)/);
  });

  it('remember / query_memory: tags, sources and metadata keys round-trip; a "__proto__" metadata key is refused', async () => {
    srv = await startTestServer();
    for (const p of PLAIN) {
      await srv.call(
        'remember',
        json(`{"content":"the ${p} note about gardening","tags":["${p}"],"source":"${p}","metadata":{"${p}":{"${p}":1},"kind":"${p}"}}`),
      );
    }
    for (const p of PLAIN) {
      const q = await srv.call('query_memory', { query: 'gardening note', tags: [p], scope: ['memories'] });
      expect(q.results.map((r) => r.content)).toEqual([`the ${p} note about gardening`]);
      expect(q.results[0]!.metadata).toEqual({ [p]: { [p]: 1 }, kind: p });
    }
    expect(await srv.callError('remember', json('{"content":"x","metadata":{"__proto__":{"polluted":true}}}'))).toMatch(/"__proto__".*reserved.*metadata/);
    expect(await srv.callError('remember', json('{"content":"x","metadata":{"a":{"b":{"__proto__":1}}}}'))).toMatch(/path a\.b\.__proto__\) is reserved/);
  });

  it('episodes and analyze_patterns: task types, domains, tools, context and parameter keys named like prototype members', async () => {
    srv = await startTestServer();
    for (let i = 0; i < 3; i++) {
      const { episode_id } = await srv.call(
        'start_episode',
        json(
          `{"task":"job ${i}","task_type":"constructor","domain":"toString","language":"valueOf","tags":["hasOwnProperty"],"context":{"constructor":{"decision":"toString"}}}`,
        ),
      );
      await srv.call(
        'log_step',
        json(
          `{"episode_id":"${episode_id}","tool":"constructor","action":"try","parameters":{"valueOf":1,"decision":"toString"},"result":{"type":"error","message":"boom"}}`,
        ),
      );
      await srv.call('log_step', { episode_id, tool: 'toString', action: 'recover', result: { type: 'success' } });
      await srv.call('complete_episode', { episode_id, outcome: { type: 'success', verdict: 'constructor' } });
      const ep = await srv.call('get_episode', { episode_id });
      expect(ep.episode.context).toEqual({ constructor: { decision: 'toString' } });
      expect(ep.episode.steps[0]!.parameters).toEqual({ valueOf: 1, decision: 'toString' });
    }
    const patterns = await srv.call('analyze_patterns', { task_type: 'constructor', domain: 'toString', min_support: 2, min_success_rate: 0 });
    expect(patterns.patterns.length).toBeGreaterThan(0);
    expect(patterns.patterns.every((p) => p.task_type === 'constructor' && p.domain === 'toString')).toBe(true);
    expect(
      patterns.patterns.some((p) => p.kind === 'error_recovery' && p.details.failed_tool === 'constructor' && p.details.recovery_tool === 'tostring'),
    ).toBe(true);
    expect((await srv.call('analyze_patterns', { task_type: 'valueOf', min_support: 1, min_success_rate: 0 })).patterns).toEqual([]);
    const found = await srv.call('query_memory', { query: 'job', scope: ['episodes'], task_type: 'constructor', domain: 'toString', tags: ['hasOwnProperty'] });
    expect(found.results).toHaveLength(3);
    expect((await srv.call('query_memory', { query: 'job', scope: ['episodes'], task_type: 'toString' })).results).toEqual([]);
  });

  it('execute_agent_code: context keys named like prototype members reach the script; "__proto__" is refused', async () => {
    srv = await startTestServer();
    const out = await srv.call('execute_agent_code', {
      code: 'Object.keys(context.input).join(",")',
      context: { task: 't', input: json('{"constructor":1,"toString":2}') },
    });
    expect(out).toMatchObject({ status: 'success', result: 'constructor,toString' });
    expect(await srv.callError('execute_agent_code', { code: '1', context: { task: 't', input: json('{"x":[{"__proto__":{"polluted":1}}]}') } })).toMatch(
      /path x\[0\]\.__proto__\) is reserved.*context\.input/,
    );
  });

  it('log_energy: an attention state named like a prototype member is an invalid option, not a crash', async () => {
    srv = await startTestServer();
    for (const p of PROTO) expect(await srv.callError('log_energy', { level: 5, attention: p })).toMatch(/Input validation error.*attention/s);
  });

  it('cairn import: rows for tables named like prototype members are counted as skipped under their own names', async () => {
    const home = tempHome('cairn-proto-import-');
    const file = join(home, 'weird.jsonl');
    const header = {
      type: 'cairn-export',
      format_version: 1,
      cairn_version: 'test',
      schema_version: 1,
      namespace: 'x',
      exported_at: new Date().toISOString(),
      tables: [],
    };
    const rows = ['constructor', 'constructor', 'toString', '__proto__'].map((table) => JSON.stringify({ type: 'row', table, data: { id: 'a' } }));
    writeFileSync(file, [JSON.stringify(header), ...rows, JSON.stringify({ type: 'end', counts: {} })].join('\n') + '\n');
    const r = await cairn(['import', file], cliEnv(home));
    expect(r.code, r.stderr).toBe(0);
    // The printed report uses snake_case keys, like every JSON the CLI prints.
    const report = JSON.parse(r.stdout) as { skipped: Record<string, unknown>; unknown_tables: string[] };
    expect(report.unknown_tables).toEqual(['constructor', 'toString', '__proto__']);
    expect(Object.entries(report.skipped)).toEqual([
      ['constructor', 2],
      ['toString', 1],
      ['__proto__', 1],
    ]);
  });
});
