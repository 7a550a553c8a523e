import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/analysis/types.js';
import { tempHome } from '../helpers/client.js';
import { callOk, type RawCairn, spawnCairn, spawnRawCairn } from '../helpers/stdio.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function home(): string {
  const h = tempHome('cairn-stdio-hostile-');
  cleanups.push(() => rmSync(h, { recursive: true, force: true }));
  return h;
}

async function raw(): Promise<RawCairn> {
  const r = spawnRawCairn(home());
  cleanups.push(() => r.close());
  await r.initialize();
  return r;
}

const ping = (id: number | string) => ({ jsonrpc: '2.0', id, method: 'ping' });

/** `n` series of `points` numbers each, as the SDK client would send them. */
const series = (n: number, points: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, k) => [`s${k}`, Array.from({ length: points }, (_, i) => Math.sin(i * 0.37 + k) * 100)]));

describe('stdio: every request with an id is answered', () => {
  it('answers malformed requests by id, in order, and ignores malformed notifications', async () => {
    const r = await raw();
    r.write('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"str"}');
    r.write(ping(2));
    expect(await r.next()).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32602, message: 'Invalid params: params of tools/call must be an object (got string)' },
    });
    expect(await r.next()).toEqual({ jsonrpc: '2.0', id: 2, result: {} });

    r.write('{"jsonrpc":"2.0","id":"a","method":"tools/list","params":[1,2]}');
    r.write('{"jsonrpc":"2.0","id":3,"method":"ping","extra":true}');
    r.write('{"jsonrpc":"1.0","id":4,"method":"ping"}');
    r.write('{"jsonrpc":"2.0","id":5,"method":42}');
    r.write('{"jsonrpc":"2.0","method":"notifications/cancelled","params":"nope"}');
    r.write('not json at all');
    r.write('[{"jsonrpc":"2.0","id":6,"method":"ping"}]');
    r.write(ping(7));
    const answers = [await r.next(), await r.next(), await r.next(), await r.next(), await r.next(), await r.next(), await r.next()];
    expect(answers.map((a) => [a.id, a.error?.code ?? 'ok'])).toEqual([
      ['a', -32602],
      [3, -32600],
      [4, -32600],
      [5, -32600],
      [null, -32700],
      [null, -32600],
      [7, 'ok'],
    ]);
    expect(answers[1]?.error?.message).toMatch(/unexpected member "extra"/);
    expect(answers[2]?.error?.message).toMatch(/jsonrpc must be "2.0"/);
    expect(answers[4]?.error?.message).toMatch(/^Parse error: the line is not valid JSON/);
    expect(answers[5]?.error?.message).toMatch(/batch/);
    expect(r.exitCode()).toBeNull();
  });

  it('answers a tools/call whose metadata nests 5,000 levels with a validation error naming the field', async () => {
    const r = await raw();
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    r.write(`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"remember","arguments":{"content":"x","metadata":${deep}}}}`);
    const res = await r.next();
    expect(res.id).toBe(9);
    expect(res.result?.isError).toBe(true);
    expect(res.result?.content?.[0]?.text).toMatch(/Input validation error: .*JSON nested more than 32 levels deep .* at metadata/);
    expect(res.result?.content?.[0]?.text).not.toMatch(/call stack/);
    r.write(ping(10));
    expect(await r.next()).toMatchObject({ id: 10, result: {} });
  });
});

describe('stdio: oversized messages are refused, not fatal', () => {
  it('refuses a 39 MB advanced_pattern_analysis (20 × 100,000 points) with a JSON-RPC error and keeps serving', async () => {
    const h = home();
    const { client } = await spawnCairn(h);
    cleanups.push(() => client.close());
    const huge = { analysis_type: 'comprehensive', time_series_data: series(20, 100_000) };
    await expect(client.callTool({ name: 'advanced_pattern_analysis', arguments: huge })).rejects.toThrow(
      /MCP error -32600: Invalid Request: the message is \d{8} bytes, over the limit of 10485760 bytes for one stdio message/,
    );
    const health = await callOk(client, 'health_check');
    expect(health.status).toBe('healthy');
  });

  it(`accepts the largest analysis the schema allows (${LIMITS.maxSeries} series, ${LIMITS.maxTotalPoints} points) and names the limit one point over it`, async () => {
    const { client } = await spawnCairn(home());
    cleanups.push(() => client.close());
    const perSeries = LIMITS.maxTotalPoints / LIMITS.maxSeries;
    const wide = await callOk(client, 'advanced_pattern_analysis', { analysis_type: 'comprehensive', time_series_data: series(LIMITS.maxSeries, perSeries) });
    expect(wide.series).toHaveLength(LIMITS.maxSeries);
    expect(wide.detail === 'summary' && wide.granger_counts?.tested).toBe(LIMITS.maxSeries * (LIMITS.maxSeries - 1));
    const long = await callOk(client, 'advanced_pattern_analysis', {
      analysis_type: 'comprehensive',
      time_series_data: series(1, LIMITS.maxDataPointsCap),
      config: { max_data_points: LIMITS.maxDataPointsCap },
    });
    expect(long.series[0]!.n).toBe(LIMITS.maxDataPointsCap);
    const over = { ...series(LIMITS.maxSeries, perSeries), extra: [1] };
    const res = await client.callTool({ name: 'advanced_pattern_analysis', arguments: { analysis_type: 'statistical', time_series_data: over } });
    expect(res.isError).toBe(true);
    expect(JSON.stringify(res.content)).toMatch(
      new RegExp(`has 21 series; at most 20 .*holds ${LIMITS.maxTotalPoints + 1} points in all; at most ${LIMITS.maxTotalPoints}`),
    );
  });
});
