/**
 * Just enough of a WebAssembly assembler to write the vector kernels as readable instruction
 * lists: LEB128 integers, sections, and the opcodes the kernels use (core and SIMD).
 */

/** Unsigned LEB128. */
export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};

/** Signed LEB128 (for i32.const). */
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};

/** A module section: id, byte length, contents. */
export const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];

/** A name (UTF-8 of ASCII here), length-prefixed. */
export const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const simd = (code: number): number[] => [0xfd, ...uleb(code)];

/** Value type i32. */
export const I32 = 0x7f;
/** Value type v128 (SIMD). */
export const V128 = 0x7b;

/** Instructions, by their text-format names. */
export const op = {
  get: (i: number) => [0x20, i],
  set: (i: number) => [0x21, i],
  tee: (i: number) => [0x22, i],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  shl: [0x74],
  ltU: [0x49],
  brIf: (depth: number) => [0x0d, depth],
  loop: [0x03, 0x40],
  end: [0x0b],
  store32: [0x36, 0x02, 0x00],
  load128: (offset: number) => [...simd(0x00), 0x00, ...uleb(offset)],
  zero128: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  extendLo: simd(0x87), // i16x8.extend_low_i8x16_s
  extendHi: simd(0x88), // i16x8.extend_high_i8x16_s
  dot: simd(0xba), // i32x4.dot_i16x8_s
  add32x4: simd(0xae), // i32x4.add
  lane: (l: number) => [...simd(0x1b), l], // i32x4.extract_lane
};

/** A function body: local declarations (count, type) then instructions. */
export function body(locals: Array<[number, number]>, code: number[][]): number[] {
  const bytes = [locals.length, ...locals.flat(), ...code.flat(), ...op.end];
  return [...uleb(bytes.length), ...bytes];
}
