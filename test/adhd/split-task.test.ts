import { describe, expect, it } from 'vitest';
import { MAX_SPLIT_STEPS, splitTaskText } from '../../src/adhd/split-task.js';

describe('splitTaskText', () => {
  it('splits a bulleted list and skips an unmarked heading', () => {
    expect(splitTaskText("Tax return:\n- find last year's return\n* download bank statements\n• fill the form")).toEqual([
      "Find last year's return",
      'Download bank statements',
      'Fill the form',
    ]);
  });
  it('splits numbered lines and checkboxes', () => {
    expect(splitTaskText('1. draft\n2) review\n[ ] send')).toEqual(['Draft', 'Review', 'Send']);
  });
  it('splits an inline numbered list', () => {
    expect(splitTaskText('Plan: 1) book the venue 2) email guests 3) order cake')).toEqual(['Book the venue', 'Email guests', 'Order cake']);
  });
  it('does not treat a stray number as a list', () => {
    expect(splitTaskText('Meet Anna at 3. Bring the slides')).toEqual(['Meet Anna at 3', 'Bring the slides']);
  });
  it('splits sentences and strong joiners', () => {
    expect(splitTaskText('Clean the desk. Then file the papers; after that answer mail!')).toEqual(['Clean the desk', 'File the papers', 'Answer mail']);
    expect(splitTaskText('write the outline, then draft the intro, finally proofread')).toEqual(['Write the outline', 'Draft the intro', 'Proofread']);
  });
  it('splits a comma list of three or more', () => {
    expect(splitTaskText('vacuum the floor, do the laundry, and water the plants')).toEqual(['Vacuum the floor', 'Do the laundry', 'Water the plants']);
  });
  it('keeps a single comma clause together', () => {
    expect(splitTaskText('After lunch, call the dentist')).toEqual(['After lunch, call the dentist']);
  });
  it('splits "and" only between two multi-word actions', () => {
    expect(splitTaskText('write the intro and fix the tests')).toEqual(['Write the intro', 'Fix the tests']);
    expect(splitTaskText('buy salt and pepper')).toEqual(['Buy salt and pepper']);
    expect(splitTaskText('email Bob and Alice')).toEqual(['Email Bob and Alice']);
  });
  it('returns the whole text when nothing splits it, and nothing for blank text', () => {
    expect(splitTaskText('  renew passport  ')).toEqual(['Renew passport']);
    expect(splitTaskText('   ')).toEqual([]);
  });
  it(`caps the number of steps at ${MAX_SPLIT_STEPS}`, () => {
    const text = Array.from({ length: 20 }, (_, i) => `- item ${i}`).join('\n');
    expect(splitTaskText(text)).toHaveLength(MAX_SPLIT_STEPS);
  });
});
