import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAnalysisService } from '../../src/analysis/service.js';
import type { AnalysisService } from '../../src/analysis/types.js';
import { advancedAnalysisInputSchema, advancedAnalysisOutputSchema, parseAnalysisInput } from '../../tools/schemas/analysis.js';

/** Calls the service as the tool does: raw input through the wire schema, then the request. */
const advanced = async (service: AnalysisService, ns: string, input: unknown) => service.advanced(ns, parseAnalysisInput(input));

import { mulberry32 } from '../../src/prng.js';
import { normalRng } from './helpers.js';

/** Awkward series: constants, ties, steps, spikes, tiny and huge scales, short lengths. */
function awkward(seed: number): Record<string, number[]> {
  const u = mulberry32(seed);
  const z = normalRng(seed + 1000);
  const n = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 25, 60][Math.floor(u() * 13)] as number;
  const scale = [1e-9, 1e-3, 1, 1e3, 1e9, 1e90][Math.floor(u() * 6)] as number;
  const kind = Math.floor(u() * 5);
  const make = (): number[] =>
    Array.from({ length: n }, (_, i) => {
      if (kind === 0) return 5 * scale; // constant
      if (kind === 1) return Math.round(u() * 2) * scale; // three tied levels
      if (kind === 2) return (i < n / 2 ? 0 : 1) * scale; // step with constant segments
      if (kind === 3) return (i === 3 ? 100 : z()) * scale; // spike
      return (i + z()) * scale; // trend
    });
  return { a: make(), b: make(), c: Array.from({ length: n }, (_, i) => i % 2) };
}

describe('analysis robustness', () => {
  const service = createAnalysisService({ loadSeries: async () => ({}) });

  it('awkward inputs always give schema-valid, finite JSON without repairs', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const data = awkward(seed);
      const out = await advanced(service, 'ns', { analysis_type: 'comprehensive', time_series_data: data, config: { anomaly_sensitivity: (seed % 5) / 4 } });
      const text = JSON.stringify(out);
      expect(text, `seed ${seed}`).not.toMatch(/NaN|Infinity/);
      expect(
        out.notes.filter((n) => n.includes('not a finite number')),
        `seed ${seed}`,
      ).toEqual([]);
      const parsed = advancedAnalysisOutputSchema.safeParse(out);
      expect(parsed.success, `seed ${seed}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
    }
  });

  it('rejects magnitudes that would overflow', async () => {
    await expect(advanced(service, 'ns', { analysis_type: 'statistical', time_series_data: { a: [1, 2e200, 3] } })).rejects.toBeCairnError(
      'INVALID_INPUT',
      /time_series_data\.a\[1\] is 2e\+200; values must lie within ±1e\+100/,
    );
  });
});

describe('schemas', () => {
  it('convert to JSON Schema for schemas/ and MCP clients', () => {
    const input = z.toJSONSchema(advancedAnalysisInputSchema, { io: 'input' }) as { properties: Record<string, unknown>; required: string[] };
    expect(input.required).toEqual(['analysis_type']);
    expect(Object.keys(input.properties)).toEqual(['analysis_type', 'time_series_data', 'source', 'config']);
    const output = z.toJSONSchema(advancedAnalysisOutputSchema) as { properties: Record<string, unknown> };
    expect(Object.keys(output.properties)).toContain('granger_causality');
  });
});
