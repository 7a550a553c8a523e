import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/prng.js';
import { checkRecord, decodeRecord, encodeRecord, storedKey } from '../../src/storage/cache-record.js';

const key = storedKey('episode:default:0191');

describe('cache record envelope', () => {
  it('round-trips JSON values and byte values exactly', () => {
    const value = { id: 'e1', steps: [{ action: 'act 3', result: { type: 'success' } }], reward: 0.75, tags: ['a', 'ü'] };
    expect(decodeRecord(key, encodeRecord(key, value, 'episode@1'), 'episode@1')).toEqual({ status: 'hit', value });

    const r = mulberry32(1);
    const floats = Float32Array.from({ length: 384 }, () => r() - 0.5);
    const out = decodeRecord(key, encodeRecord(key, floats, 'f32x384'), 'f32x384');
    expect(out.status).toBe('hit');
    const bytes = (out as { value: Uint8Array }).value;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(new Float32Array(new Uint8Array(bytes).buffer)).toEqual(floats);

    // A view into a larger buffer stores only its own bytes.
    const big = Buffer.alloc(64, 7);
    const view = big.subarray(10, 20).fill(9);
    expect([...(decodeRecord(key, encodeRecord(key, view, 'v'), 'v') as { value: Uint8Array }).value]).toEqual(new Array(10).fill(9));
  });

  it('keeps an 8 MB binary value intact and returns it without a copy', () => {
    const r = mulberry32(2);
    const snapshot = Buffer.from(Uint8Array.from({ length: 8 * 1024 * 1024 }, () => Math.floor(r() * 256)));
    const stored = encodeRecord(key, snapshot, 'index@3');
    const out = decodeRecord(key, stored, 'index@3') as { status: 'hit'; value: Uint8Array };
    expect(out.status).toBe('hit');
    expect(Buffer.compare(Buffer.from(out.value), snapshot)).toBe(0);
    expect(out.value.buffer).toBe(stored.buffer);
  });

  it('turns every single-bit flip of a record into a miss, never into data', () => {
    const stored = encodeRecord(key, { action: 'act 3 of 0', output: 'ooooo', n: 12 }, 'episode@1');
    let hits = 0;
    for (let byte = 0; byte < stored.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = Buffer.from(stored);
        damaged[byte]! ^= 1 << bit;
        if (decodeRecord(key, damaged, 'episode@1').status === 'hit') hits++;
        expect(checkRecord(key, damaged)).not.toBe('ok');
      }
    }
    expect(hits).toBe(0);
  });

  it('a record under another key, or with a flipped key bit, fails its checksum', () => {
    const stored = encodeRecord(key, { a: 1 }, 'v');
    expect(decodeRecord(storedKey('episode:default:0192'), stored, 'v').status).toBe('corrupt');
    const flipped = Buffer.from(key);
    flipped[5]! ^= 0x10;
    expect(decodeRecord(flipped, stored, 'v').status).toBe('corrupt');
  });

  it('tells a stale version and a foreign record apart from damage', () => {
    expect(decodeRecord(key, encodeRecord(key, { a: 1 }, 'episode@1'), 'episode@2').status).toBe('stale');
    // What lmdb-js's msgpack encoding stored in caches written before the envelope.
    expect(decodeRecord(key, Buffer.from([0x82, 0xa1, 0x61, 0x01]), 'v').status).toBe('foreign');
    expect(checkRecord(key, Buffer.alloc(0))).toBe('foreign');
    expect(() => encodeRecord(key, 1, 'x'.repeat(256))).toThrow(RangeError);
  });
});
