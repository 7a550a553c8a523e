import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PERSONA_PROMPTS } from '../../src/adhd/prompts.js';

describe('PERSONA_PROMPTS', () => {
  it('offers the six personas', () => {
    expect(PERSONA_PROMPTS.map((p) => p.name)).toEqual(['pattern', 'entropy', 'flux', 'archive', 'momentum', 'anchor']);
    expect(PERSONA_PROMPTS.map((p) => p.title.split(' — ')[0])).toEqual(['Pattern', 'Entropy', 'Flux', 'Archive', 'Momentum', 'Anchor']);
  });
  it('declares string arguments; only Entropy requires one (the task)', () => {
    for (const p of PERSONA_PROMPTS) {
      const shape = z.object(p.args);
      const required = Object.entries(p.args)
        .filter(([, s]) => !s.safeParse(undefined).success)
        .map(([k]) => k);
      expect(required).toEqual(p.name === 'entropy' ? ['task'] : []);
      expect(shape.safeParse(Object.fromEntries(Object.keys(p.args).map((k) => [k, 'x']))).success).toBe(true);
    }
  });
  it.each([
    ['pattern', ['recover_context', 'get_check_ins', 'break_down_task', 'update_task']],
    ['entropy', ['break_down_task', 'parent_task_id', 'actual_minutes', 'starter']],
    ['flux', ['realistic_minutes', 'focus', 'update_task', 'at (ISO-8601)']],
    ['archive', ['recover_context', 'query_memory', 'remember', 'start_episode']],
    ['momentum', ['log_energy', 'energy_report', 'fits_now', 'best_focus_windows']],
    ['anchor', ['focus', 'movement', 'get_check_ins', 'hyperfocus']],
  ])('%s teaches its tools', (name, words) => {
    const p = PERSONA_PROMPTS.find((x) => x.name === name)!;
    const text = p.render({});
    for (const w of words) expect(text).toContain(w);
    expect(text).toContain('interruptible');
  });
  it('weaves the arguments into the text', () => {
    const entropy = PERSONA_PROMPTS.find((x) => x.name === 'entropy')!;
    expect(entropy.render({ task: 'Renew passport', energy: '4' })).toMatch(/Task: Renew passport\nEnergy now: 4$/);
    expect(PERSONA_PROMPTS[0]!.render({ goal: 'finish taxes' })).toContain('Session goal: finish taxes');
  });
});
