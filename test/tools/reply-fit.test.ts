import { describe, expect, it } from 'vitest';
import { budgetedReply, fitReply, type ReplyPlan } from '../../tools/layer/reply-budget.js';
import { cutText, cutToBytes } from '../../tools/layer/shrink.js';

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');
const items = (n: number, size: number) => Array.from({ length: n }, (_, i) => ({ id: `item-${i}`, text: `${i} ${'w'.repeat(size)}` }));

describe('fitReply', () => {
  it('returns the output untouched when it fits', () => {
    const out = { results: items(3, 10) };
    const fitted = fitReply(out, undefined, { maxBytes: 10_000 });
    expect(fitted!.value).toBe(out);
    expect(fitted!.json).toBe(JSON.stringify(out));
  });

  it('cuts the declared list first, keeping the first items and counting the rest, both copies within the budget', () => {
    const plan: ReplyPlan = { shrink: [{ list: 'results', min: 1 }], hint: 'lower limit' };
    const fitted = fitReply({ results: items(50, 200), engine: 'x' }, plan, { maxBytes: 4000 })!;
    const v = fitted.value as { results: Array<{ id: string }>; omitted: Record<string, number>; truncated: boolean; hint: string };
    expect(2 * bytes(v)).toBeLessThanOrEqual(4000);
    expect(v.results[0]!.id).toBe('item-0');
    expect(v.results.length + v.omitted.results!).toBe(50);
    expect(v).toMatchObject({ truncated: true, hint: 'lower limit', engine: 'x' });
    // The gentlest cut: one more item would not have fitted.
    const more = { ...v, results: items(v.results.length + 1, 200) };
    expect(2 * bytes(more)).toBeGreaterThan(4000);
  });

  it('keeps the last items of a list declared keep: last', () => {
    const plan: ReplyPlan = { shrink: [{ list: 'steps', keep: 'last', min: 1 }], hint: 'lower step_limit' };
    const v = fitReply({ steps: items(40, 100) }, plan, { maxBytes: 3000 })!.value as { steps: Array<{ id: string }> };
    expect(v.steps.at(-1)!.id).toBe('item-39');
  });

  it('shortens texts along a wildcard path, marking each, and counts only what is still in the reply', () => {
    const plan: ReplyPlan = {
      shrink: [
        { text: 'results.*.text', min: 100 },
        { list: 'results', min: 1 },
      ],
      hint: 'h',
    };
    const v = fitReply({ results: items(10, 5000) }, plan, { maxBytes: 2 * 1500 })!.value as {
      results: Array<{ text: string }>;
      omitted: Record<string, number>;
    };
    expect(v.results.length).toBeGreaterThanOrEqual(1);
    for (const r of v.results) expect(r.text).toMatch(/…\[\d+ more characters\]$/);
    const shown = v.results.reduce((a, r) => a + Number(/…\[(\d+) more/.exec(r.text)![1]), 0);
    expect(v.omitted['results.*.text']).toBe(shown);
  });

  it('holds without a plan: long strings first, then the largest lists', () => {
    const out = { a: 'x'.repeat(50_000), nested: { deep: [{ s: 'y'.repeat(20_000) }] }, big: Array.from({ length: 5000 }, (_, i) => i), small: [1, 2] };
    const fitted = fitReply(out, undefined, { maxBytes: 2000 })!;
    expect(2 * Buffer.byteLength(fitted.json)).toBeLessThanOrEqual(2000);
    expect(fitted.value).toMatchObject({ truncated: true, small: [1, 2] });
    expect((fitted.value as { omitted: Record<string, number> }).omitted).toMatchObject({ text: expect.any(Number), big: expect.any(Number) });
  });

  it('bounds characters too (max_chars), counting multi-byte text in bytes for the token budget', () => {
    const plan: ReplyPlan = { shrink: [{ list: 'results', min: 0 }], hint: 'h' };
    const out = { results: Array.from({ length: 20 }, (_, i) => ({ t: `${i}${'é'.repeat(100)}` })) };
    const byChars = fitReply(out, plan, { maxBytes: 1_000_000, maxChars: 500 })!;
    expect(byChars.json.length).toBeLessThanOrEqual(500);
    const byBytes = fitReply(out, plan, { maxBytes: 2 * 500 })!;
    expect(Buffer.byteLength(byBytes.json)).toBeLessThanOrEqual(500);
    expect((byBytes.value as { results: unknown[] }).results.length).toBeLessThan((byChars.value as { results: unknown[] }).results.length);
  });

  it('fails with REPLY_TOO_LARGE, naming the bound, only when nothing left can be cut', () => {
    const keys = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));
    expect(fitReply(keys, undefined, { maxBytes: 1000 })).toBeNull();
    expect(() => budgetedReply({ hint: 'ask for less' }, {}, keys, 1000)).toThrow(
      expect.toBeCairnError('REPLY_TOO_LARGE', /budget of 1000 tokens; ask for less/),
    );
  });
});

describe('text cuts', () => {
  it('keep the head, or both ends, and say how much was left out', () => {
    expect(cutText('abcdefghij', 4, 'head')).toBe('abcd…[6 more characters]');
    expect(cutText('abcdefghij', 4, 'ends')).toBe('abc\n…[6 characters left out]…\nj');
    expect(cutText('short', 10, 'head')).toBe('short');
  });

  it('never split a surrogate pair', () => {
    const s = '😀'.repeat(10);
    const cut = cutText(s, 5, 'head');
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('fit a byte cap exactly, marker included', () => {
    const { text, left } = cutToBytes('é'.repeat(10_000), 1024, 'ends');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
    expect(Buffer.byteLength(text)).toBeGreaterThan(900);
    expect(left).toBeGreaterThan(9000);
  });
});
