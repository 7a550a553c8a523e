import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * A UUIDv7 string (RFC 9562): 48-bit millisecond timestamp, then random bits, so ids sort by
 * creation time. Within one millisecond a 12-bit counter keeps ids from one process monotonic.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs === lastMs) {
    seq = (seq + 1) & 0xfff;
  } else {
    lastMs = nowMs;
    seq = randomBytes(2).readUInt16BE(0) & 0x7ff;
  }
  const b = randomBytes(16);
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
