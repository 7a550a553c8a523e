import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../src/ui/charts/svg.js';
import { escapeHtml, html, join, raw } from '../../src/ui/html.js';

describe('html escaping', () => {
  it('escapes every interpolated value, in text and in quoted attributes', () => {
    const evil = `<script>alert("x")</script>' onmouseover='x' &amp;`;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &amp;amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &amp;amp;</p>',
    );
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });

  it('nests fragments without escaping them twice, joins lists and drops empty values', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<div>${inner}${[1, '<', null, undefined, false]}</div>`.value).toBe('<div><b>&lt;i&gt;</b>1&lt;</div>');
    expect(join(['<a>', raw('<hr>')], ', ').value).toBe('&lt;a&gt;, <hr>');
  });
});

describe('chart ticks', () => {
  it('picks round steps covering the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 1.5, 3)).toEqual([0, 0.5, 1, 1.5]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});
