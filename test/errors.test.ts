import { describe, expect, it } from 'vitest';
import { CairnError, toToolResult } from '../src/errors.js';

describe('toBeCairnError', () => {
  const err = new CairnError('NOT_FOUND', 'episode_id: no episode e1 in this namespace');
  const result = toToolResult(err, () => undefined);

  it('accepts a thrown CairnError, a tool error result and its text, by code and message', () => {
    expect(err).toBeCairnError('NOT_FOUND', /^episode_id: no episode e1/);
    expect(result).toBeCairnError('NOT_FOUND', /^episode_id/);
    expect(result.content[0]!.text).toBeCairnError('NOT_FOUND');
    expect(() => {
      throw err;
    }).toThrow(expect.toBeCairnError('NOT_FOUND'));
  });

  it('rejects another code, another message, an uncoded error or text', () => {
    expect(err).not.toBeCairnError('CONFLICT');
    expect(err).not.toBeCairnError('NOT_FOUND', /already completed/);
    expect(new Error('NOT_FOUND: looks coded but is not a CairnError')).not.toBeCairnError();
    expect('Input validation error: limit: too big').not.toBeCairnError();
    expect(toToolResult(new Error('boom'), () => undefined)).toBeCairnError('INTERNAL', /unexpected server error/);
    expect(() => expect(err).toBeCairnError('CONFLICT')).toThrow(/to be a Cairn error with code .*CONFLICT/);
  });
});
