import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/ids.js';

describe('uuidv7', () => {
  it('is a version-7 RFC 9562 uuid', () => {
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('sorts by creation time, also within one millisecond', () => {
    const ids = Array.from({ length: 500 }, () => uuidv7(1_700_000_000_000));
    const later = uuidv7(1_700_000_000_001);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => id < later)).toBe(true);
  });
});
