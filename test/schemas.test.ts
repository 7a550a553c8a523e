import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, SCHEMA_DIR } from '../scripts/gen-schemas.js';

describe('schemas/', () => {
  it('is in step with the tools (run `npm run schemas` when this fails)', () => {
    const expected = generate();
    const present = readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(present).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(join(SCHEMA_DIR, name), 'utf8'), name).toBe(text);
  });

  it('has real (non-empty) input and output schemas for every tool', () => {
    for (const [name, text] of generate()) {
      if (name === 'index.json') continue;
      const doc = JSON.parse(text);
      expect(doc.inputSchema.type, name).toBe('object');
      expect(doc.outputSchema.type, name).toBe('object');
      expect(Object.keys(doc.outputSchema.properties ?? {}).length, name).toBeGreaterThan(0);
    }
  });
});
