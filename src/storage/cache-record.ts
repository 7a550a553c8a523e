import { crc32 } from 'node:zlib';

/**
 * The envelope every cache record is stored in, so that a damaged or foreign record is a miss and
 * never data:
 *
 *   0  u8   0xCA 0x1E  magic
 *   2  u8   format     RECORD_FORMAT
 *   3  u8   kind       0 = JSON (UTF-8), 1 = raw bytes
 *   4  u32  crc32      over the stored key, then every other byte of the record, little-endian
 *   8  u8   V          length of the version
 *   9  V    version    the writer's version of the source (UTF-8), compared on every read
 *   9+V     payload
 *
 * A CRC-32 detects every single-bit and every burst error up to 32 bits; it guards against damage,
 * not against someone forging records in the cache folder.
 */
export const RECORD_FORMAT = 1;

/**
 * Prefix of every key the cache stores. A record format change gets a new prefix, so servers of
 * different versions sharing one cache folder never read each other's records.
 */
export const KEY_PREFIX = 'c1:';

/** How many corrupt records a check lists by key (more than that: the file is rebuilt instead). */
export const MAX_LISTED = 1000;

const MAGIC0 = 0xca;
const MAGIC1 = 0x1e;
const HEADER = 9;
const KIND_JSON = 0;
const KIND_BYTES = 1;

/** What a stored record turned out to be when read back. */
export type RecordStatus =
  /** Intact, and written for the version asked for. */
  | 'hit'
  /** Intact, but written for another version of its source. */
  | 'stale'
  /** Checksum or header mismatch: the bytes were damaged. */
  | 'corrupt'
  /** Not a Cairn cache record of this format (an older cache, or a newer Cairn). */
  | 'foreign';

/** The stored form of a key. */
export function storedKey(key: string): Buffer {
  return Buffer.from(KEY_PREFIX + key, 'utf8');
}

/**
 * Wraps `value` for storage under `key`. Byte views (Buffer, Uint8Array, Float32Array, …) are
 * stored as their bytes and read back as a Uint8Array; anything else must be JSON-serialisable.
 * Throws RangeError for a version longer than 255 bytes.
 */
export function encodeRecord(key: Uint8Array, value: unknown, version: string): Buffer {
  const v = Buffer.from(version, 'utf8');
  if (v.length > 255) throw new RangeError(`cache record version is ${v.length} bytes; at most 255 are accepted`);
  const bytes = ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : null;
  const json = bytes ? '' : JSON.stringify(value);
  const size = bytes ? bytes.byteLength : Buffer.byteLength(json, 'utf8');
  const out = Buffer.allocUnsafe(HEADER + v.length + size);
  out[0] = MAGIC0;
  out[1] = MAGIC1;
  out[2] = RECORD_FORMAT;
  out[3] = bytes ? KIND_BYTES : KIND_JSON;
  out[8] = v.length;
  v.copy(out, HEADER);
  if (bytes) out.set(bytes, HEADER + v.length);
  else out.write(json, HEADER + v.length, 'utf8');
  out.writeUInt32LE(checksum(key, out), 4);
  return out;
}

/** Checks a stored record without knowing which version its reader wants (for `cache verify`). */
export function checkRecord(key: Uint8Array, stored: Uint8Array): Exclude<RecordStatus, 'hit' | 'stale'> | 'ok' {
  if (stored.length < 3 || stored[0] !== MAGIC0 || stored[1] !== MAGIC1) return 'foreign';
  if (stored[2] !== RECORD_FORMAT) return 'foreign';
  if (stored.length < HEADER || stored.length < HEADER + stored[8]! || stored[3]! > KIND_BYTES) return 'corrupt';
  const view = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  return view.readUInt32LE(4) === checksum(key, view) ? 'ok' : 'corrupt';
}

/**
 * Reads a stored record back: the value when it is intact and was written for `version`. Byte
 * values come back as a view of `stored` (no copy).
 */
export function decodeRecord(
  key: Uint8Array,
  stored: Uint8Array,
  version: string,
): { status: 'hit'; value: unknown } | { status: Exclude<RecordStatus, 'hit'> } {
  const check = checkRecord(key, stored);
  if (check !== 'ok') return { status: check };
  const view = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  const start = HEADER + view[8]!;
  if (view.toString('utf8', HEADER, start) !== version) return { status: 'stale' };
  if (view[3] === KIND_BYTES) return { status: 'hit', value: new Uint8Array(view.buffer, view.byteOffset + start, view.length - start) };
  try {
    return { status: 'hit', value: JSON.parse(view.toString('utf8', start)) };
  } catch {
    return { status: 'corrupt' };
  }
}

function checksum(key: Uint8Array, record: Uint8Array): number {
  return crc32(record.subarray(8), crc32(record.subarray(0, 4), crc32(key)));
}
