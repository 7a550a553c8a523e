import { CairnError } from '../../errors.js';

/** One named value of an image: a typed array, or a list of strings. */
export type SectionValue = Int8Array | Uint8Array | Int32Array | Float32Array | Float64Array | readonly string[];

/** How a section's bytes are read back. Strings are UTF-8, or UTF-16 when a string holds a lone surrogate. */
export type SectionKind = 'i8' | 'u8' | 'i32' | 'f32' | 'f64' | 'utf8' | 'utf16';

/** Where one section lies in the image. */
export interface SectionEntry {
  name: string;
  kind: SectionKind;
  /** Byte offset in the image (a multiple of 8). */
  offset: number;
  bytes: number;
  /** Elements of a typed array; for strings, how many strings. */
  count: number;
}

/** The table of contents of an image: small, JSON-able, stored next to the bytes. */
export interface ImageLayout {
  sections: SectionEntry[];
  /** Length of the image in bytes. */
  bytes: number;
}

const ARRAY_KINDS: Array<[SectionKind, new (b: ArrayBuffer, o: number, n: number) => Exclude<SectionValue, readonly string[]>, number]> = [
  ['i8', Int8Array, 1],
  ['u8', Uint8Array, 1],
  ['i32', Int32Array, 4],
  ['f32', Float32Array, 4],
  ['f64', Float64Array, 8],
];
const KINDS = new Set<string>(['i8', 'u8', 'i32', 'f32', 'f64', 'utf8', 'utf16']);
const kindOf = (v: Exclude<SectionValue, readonly string[]>): SectionKind =>
  v instanceof Int8Array ? 'i8' : v instanceof Uint8Array ? 'u8' : v instanceof Int32Array ? 'i32' : v instanceof Float32Array ? 'f32' : 'f64';
const align = (n: number) => Math.ceil(n / 8) * 8;
/** The end of each string, in UTF-16 code units of the joined text, travels as its own section. */
const ENDS = '#ends';

/**
 * Lays `values` out one after another in one byte array (each section 8-byte aligned, so it can
 * be read back as a typed array) and returns it with its table of contents. The bytes are a copy:
 * the values may change afterwards.
 */
export function packImage(values: ReadonlyMap<string, SectionValue>): { layout: ImageLayout; bytes: Uint8Array } {
  const parts: Array<{ name: string; kind: SectionKind; data: Uint8Array; count: number }> = [];
  for (const [name, value] of values) {
    if (Array.isArray(value)) {
      const strings = value as readonly string[];
      const joined = strings.join('');
      // A lone surrogate does not survive UTF-8; such a list travels as UTF-16 instead.
      const kind: SectionKind = /\p{Surrogate}/u.test(joined) ? 'utf16' : 'utf8';
      const ends = new Int32Array(strings.length);
      let at = 0;
      for (let i = 0; i < strings.length; i++) {
        at += (strings[i] as string).length;
        ends[i] = at;
      }
      parts.push({ name, kind, data: Buffer.from(joined, kind === 'utf8' ? 'utf8' : 'utf16le'), count: strings.length });
      parts.push({ name: name + ENDS, kind: 'i32', data: new Uint8Array(ends.buffer), count: ends.length });
    } else {
      const typed = value as Exclude<SectionValue, readonly string[]>;
      parts.push({ name, kind: kindOf(typed), data: new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), count: typed.length });
    }
  }
  let total = 0;
  const sections = parts.map((p) => {
    const entry: SectionEntry = { name: p.name, kind: p.kind, offset: total, bytes: p.data.byteLength, count: p.count };
    total = align(total + p.data.byteLength);
    return entry;
  });
  const bytes = new Uint8Array(total);
  parts.forEach((p, i) => {
    bytes.set(p.data, (sections[i] as SectionEntry).offset);
  });
  return { layout: { sections, bytes: total }, bytes };
}

/** Rebuilds the values of an image from its bytes, given in pieces in any order. */
export interface ImageAssembler {
  /** Copies `piece`, which starts at byte `offset` of the image, into the sections it covers. */
  write(offset: number, piece: Uint8Array): void;
  /** The values, once every byte has been written. @throws CairnError `CACHE_ERROR` otherwise. */
  finish(): Map<string, SectionValue>;
}

/**
 * Creates an assembler for an image with `layout`: each section gets its own buffer, so a
 * section that is copied elsewhere on load (vector codes) does not keep the others alive.
 *
 * @throws CairnError `CACHE_ERROR` for a layout that does not describe a valid image.
 */
export function createImageAssembler(layout: ImageLayout): ImageAssembler {
  const bad = (why: string) => new CairnError('CACHE_ERROR', `index image: ${why}`);
  let end = 0;
  for (const s of layout.sections) {
    if (!KINDS.has(s.kind)) throw bad(`section ${s.name} has an unknown kind`);
    const width = ARRAY_KINDS.find(([k]) => k === s.kind)?.[2];
    if (s.offset !== align(end) || s.bytes < 0 || (width !== undefined && s.bytes !== s.count * width)) throw bad(`section ${s.name} is misplaced`);
    end = s.offset + s.bytes;
  }
  if (align(end) !== layout.bytes) throw bad('its length does not match its sections');
  const buffers = layout.sections.map((s) => new Uint8Array(s.bytes));
  let written = 0;
  return {
    write(offset, piece) {
      const stop = offset + piece.byteLength;
      layout.sections.forEach((s, i) => {
        const from = Math.max(offset, s.offset);
        const to = Math.min(stop, s.offset + s.bytes);
        if (from < to) (buffers[i] as Uint8Array).set(piece.subarray(from - offset, to - offset), from - s.offset);
      });
      written += piece.byteLength;
    },
    finish() {
      if (written !== layout.bytes) throw bad(`${written} of ${layout.bytes} bytes were read`);
      const out = new Map<string, SectionValue>();
      layout.sections.forEach((s, i) => {
        const buffer = buffers[i] as Uint8Array;
        if (s.kind === 'utf8' || s.kind === 'utf16') {
          const ends = layout.sections[i + 1];
          const endBytes = buffers[i + 1];
          if (!ends || ends.name !== s.name + ENDS || !endBytes) throw bad(`string section ${s.name} has no ends`);
          const joined = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString(s.kind === 'utf8' ? 'utf8' : 'utf16le');
          const at = new Int32Array(endBytes.buffer, endBytes.byteOffset, ends.count);
          const strings: string[] = new Array<string>(s.count);
          let start = 0;
          for (let j = 0; j < s.count; j++) {
            const stop = at[j] as number;
            if (stop < start || stop > joined.length) throw bad(`string section ${s.name} is inconsistent`);
            strings[j] = joined.slice(start, stop);
            start = stop;
          }
          out.set(s.name, strings);
        } else if (!s.name.endsWith(ENDS)) {
          const make = (ARRAY_KINDS.find(([k]) => k === s.kind) as (typeof ARRAY_KINDS)[number])[1];
          out.set(s.name, new make(buffer.buffer as ArrayBuffer, buffer.byteOffset, s.count));
        }
      });
      return out;
    },
  };
}
