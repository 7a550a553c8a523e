import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasPrivate, stripPrivate, stripPrivateDeep } from '../../src/privacy/private-tags.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

describe('<private>…</private>', () => {
  it('removes every private span, tags included, in any case and with attributes', () => {
    expect(stripPrivate('my pin is <private>1234</private> ok')).toBe('my pin is   ok');
    expect(stripPrivate('a <PRIVATE note="x">b\nc</Private> d')).toBe('a   d');
    expect(stripPrivate('a <private>b</private> c <private>d</private> e')).toBe('a   c   e');
  });

  it('hides the rest of the text after an opening tag that is never closed, and drops a stray closing tag', () => {
    expect(stripPrivate('keep <private>all of this')).toBe('keep  ');
    expect(stripPrivate('keep </private> this')).toBe('keep   this');
    expect(hasPrivate('x <private>y')).toBe(true);
    expect(hasPrivate('no tags here')).toBe(false);
  });

  it('walks JSON values, keys included', () => {
    expect(stripPrivateDeep({ a: ['x <private>y</private>'], '<private>k</private>z': 1 })).toEqual({ a: ['x  '], ' z': 1 });
  });
});

describe('remember never stores private text', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer();
  });
  afterEach(() => s.close());

  it('stores what is left, and refuses a memory that is all private', async () => {
    const { id } = await s.call('remember', {
      content: 'Door code <private>4711</private> changes monthly',
      tags: ['home'],
      metadata: { note: '<private>4711</private>' },
    });
    const found = await s.call('query_memory', { query: 'door code' });
    expect(found.results[0]).toMatchObject({ id, content: 'Door code changes monthly', metadata: { note: ' ' } });
    expect(JSON.stringify(found)).not.toContain('4711');
    expect(await s.callError('remember', { content: '<private>only secret</private>' })).toMatch(/INVALID_INPUT: content: all of it is inside <private>/);
  });

  it('strips private text from episode tasks and steps', async () => {
    const { episode_id } = await s.call('start_episode', { task: 'Pay the <private>Visa 4111</private> bill', task_type: 'admin', domain: 'home' });
    await s.call('log_step', {
      episode_id,
      tool: 'browser',
      action: 'login <private>pw hunter2</private>',
      parameters: { user: 'me', pw: '<private>hunter2</private>' },
    });
    const ep = JSON.stringify(await s.call('get_episode', { episode_id }));
    expect(ep).not.toMatch(/4111|hunter2|<private>/);
  });
});
