import { describe, expect, it } from 'vitest';
import { CATALOGUE_BUDGET, listCatalogue, measureTools } from '../../scripts/catalogue.js';
import { TOOLSETS, type Toolset } from '../../src/config/toolsets.js';
import { MAX_INSTRUCTIONS_CHARS } from '../../src/server/instructions.js';
import { ALL_TOOLS } from '../../tools/index.js';

/** Every non-empty subset of the toolsets. */
const combinations: Toolset[][] = Array.from({ length: 2 ** TOOLSETS.length - 1 }, (_, i) => TOOLSETS.filter((_, b) => (i + 1) & (1 << b)));

describe('tool catalogue (tools/list with every toolset)', () => {
  it(`stays within ${CATALOGUE_BUDGET.modelVisibleBytes} bytes model-visible and ${CATALOGUE_BUDGET.toolsListBytes} bytes in all (run node dist/scripts/catalogue.js to see where)`, async () => {
    const { tools } = await listCatalogue();
    expect(tools).toHaveLength(ALL_TOOLS.length);
    const cost = measureTools(tools);
    expect(cost.totals.model_visible).toBeLessThanOrEqual(CATALOGUE_BUDGET.modelVisibleBytes);
    expect(cost.totals.tools_list).toBeLessThanOrEqual(CATALOGUE_BUDGET.toolsListBytes);
  });

  it('measures what it claims: a bigger description shows up in the model-visible bytes', async () => {
    const { tools } = await listCatalogue();
    const padded = tools.map((t, i) => (i === 0 ? { ...t, description: `${t.description}${'x'.repeat(CATALOGUE_BUDGET.modelVisibleBytes)}` } : t));
    expect(measureTools(padded).totals.model_visible).toBeGreaterThan(CATALOGUE_BUDGET.modelVisibleBytes);
  });

  it('lists schemas without a dialect, and so uses no form that differs between draft-07 and 2020-12', async () => {
    const { tools } = await listCatalogue();
    const text = JSON.stringify(tools);
    expect(text).not.toContain('$schema');
    expect(text).not.toContain('"definitions"');
    const arrayItems = (v: unknown): boolean =>
      Array.isArray(v)
        ? v.some(arrayItems)
        : v !== null && typeof v === 'object' && Object.entries(v).some(([k, x]) => (k === 'items' && Array.isArray(x)) || arrayItems(x));
    expect(tools.filter((t) => arrayItems(t.inputSchema) || arrayItems(t.outputSchema)).map((t) => t.name)).toEqual([]);
  });

  it('describes every tool in a few sentences, closed to unknown parameters', async () => {
    const { tools } = await listCatalogue();
    for (const t of tools) {
      expect(t.description!.length, t.name).toBeGreaterThan(60);
      expect(t.description!.length, t.name).toBeLessThanOrEqual(300);
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
    }
  });
});

describe('initialize instructions', () => {
  it(`name only the enabled tools, for each of the ${combinations.length} toolset combinations, in at most ${MAX_INSTRUCTIONS_CHARS} characters`, async () => {
    for (const sets of combinations) {
      const { tools, instructions } = await listCatalogue(sets.join(','));
      const label = sets.join(',');
      expect(instructions.length, label).toBeLessThanOrEqual(MAX_INSTRUCTIONS_CHARS);
      const listed = new Set(tools.map((t) => t.name));
      for (const t of ALL_TOOLS) {
        const named = new RegExp(`\\b${t.name}\\b`).test(instructions);
        if (!listed.has(t.name)) expect(named, `${label}: ${t.name} is not enabled`).toBe(false);
      }
      // Each enabled toolset is introduced by at least one of its tools.
      for (const set of sets)
        expect(
          ALL_TOOLS.some((t) => t.toolset === set && new RegExp(`\\b${t.name}\\b`).test(instructions)),
          `${label}: ${set}`,
        ).toBe(true);
    }
  });

  it('mention the ADHD tools when that toolset is on', async () => {
    const { instructions } = await listCatalogue('adhd');
    expect(instructions).toMatch(/break_down_task/);
    expect(instructions).toMatch(/recover_context/);
    expect(instructions).not.toMatch(/episode|query_memory/);
  });
});
