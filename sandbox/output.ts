import { truncateUtf8 } from './limits.js';

/** Console output captured from one run, bounded in UTF-8 bytes. */
export interface Output {
  /** Appends text; returns true once the buffer is full (later text is dropped). */
  append(text: string): boolean;
  /** Everything kept so far, with the truncation marker when text was dropped. */
  text(): string;
}

/** Creates an output buffer of at most `maxBytes` (plus the marker line). */
export function createOutput(maxBytes: number): Output {
  const parts: string[] = [];
  let bytes = 0;
  let full = false;
  return {
    append(text) {
      if (full) return true;
      const size = Buffer.byteLength(text, 'utf8');
      if (bytes + size <= maxBytes) {
        parts.push(text);
        bytes += size;
        return false;
      }
      parts.push(truncateUtf8(text, maxBytes - bytes));
      bytes = maxBytes;
      full = true;
      return true;
    },
    text() {
      const joined = parts.join('');
      return full ? `${joined}\n…[stdout truncated: console output exceeded ${maxBytes} bytes]` : joined;
    },
  };
}
