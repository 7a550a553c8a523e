import { describe, expect, it } from 'vitest';
import { buildBreakdownPrompt, MAX_MODEL_STEPS, parseModelSteps } from '../../src/adhd/model-breakdown.js';

describe('parseModelSteps', () => {
  it('reads a JSON array inside a code fence, keeping only valid fields', () => {
    const reply =
      'Sure!\n```json\n[{"title":" Open draft ","estimate_minutes":4.6,"energy":"low","needs_focus":false},{"title":"Write","estimate_minutes":"x","energy":"extreme","needs_focus":"yes"}]\n```';
    expect(parseModelSteps(reply)).toEqual([{ title: 'Open draft', estimateMinutes: 5, energy: 'low', needsFocus: false }, { title: 'Write' }]);
  });
  it('skips items without a title and returns null when nothing is usable', () => {
    expect(parseModelSteps('[{"estimate_minutes":3}, 7, null]')).toBeNull();
    expect(parseModelSteps('I cannot help with that.')).toBeNull();
    expect(parseModelSteps('[not json]')).toBeNull();
    expect(parseModelSteps('{"title":"x"}')).toBeNull();
  });
  it('rejects estimates out of range and caps the step count', () => {
    expect(parseModelSteps('[{"title":"a","estimate_minutes":0},{"title":"b","estimate_minutes":481}]')).toEqual([{ title: 'a' }, { title: 'b' }]);
    const many = JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ title: `s${i}` })));
    expect(parseModelSteps(many)).toHaveLength(MAX_MODEL_STEPS);
  });
});

describe('buildBreakdownPrompt', () => {
  it('quotes the task and states the JSON shape, energy and deadline', () => {
    const p = buildBreakdownPrompt('Do "taxes"', { energyNow: 4, deadline: Date.UTC(2026, 0, 9) });
    expect(p).toContain('"Do \\"taxes\\""');
    expect(p).toContain('energy: 4/10');
    expect(p).toContain('2026-01-09T00:00:00.000Z');
    expect(p).toContain('estimate_minutes');
  });
});
