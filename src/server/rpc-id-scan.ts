/** Longest id kept, in bytes (a longer one is not an id worth echoing). */
const MAX_ID_BYTES = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ID = [0x69, 0x64];

/** Finds the top-level `"id"` of a JSON-RPC message read in pieces, keeping none of the message. */
export interface IdScanner {
  /** Feeds the next bytes of the message. */
  feed(bytes: Uint8Array): void;
  /** The id found so far (the last top-level one, as JSON.parse would keep), or null. */
  id(): string | number | null;
}

/**
 * Creates an {@link IdScanner}. It follows strings, escapes and nesting, so an `"id"` inside
 * `params` is not mistaken for the message's own; the id may be anywhere in the message (the MCP
 * SDK client writes it last). Used to answer, by id, a message too large to parse.
 */
export function createIdScanner(): IdScanner {
  let depth = 0;
  let inString = false;
  let escaped = false;
  // Where we are among the members of the top-level object.
  let expect: 'key' | 'colon' | 'value' | 'other' = 'other';
  // Bytes of the member name being read (-1: not reading one) and whether they still spell "id".
  let keyLength = -1;
  let keySpellsId = false;
  let keyIsId = false;
  // The bytes of an id value being read (without quotes), and how many there were in all.
  let text: number[] | null = null;
  let textLength = 0;
  let textIsString = false;
  let found: string | number | null = null;

  const startText = (isString: boolean) => {
    text = [];
    textLength = 0;
    textIsString = isString;
  };
  const take = (buf: number[], c: number, max: number) => {
    if (buf.length < max) buf.push(c);
  };
  const finishText = () => {
    if (!text) return;
    const raw = Buffer.from(text).toString('utf8');
    const complete = textLength === text.length;
    text = null;
    if (!complete) return;
    if (textIsString) {
      try {
        found = JSON.parse(`"${raw}"`) as string;
      } catch {
        /* a malformed string is no id */
      }
    } else if (raw !== '' && Number.isFinite(Number(raw))) {
      found = Number(raw);
    }
  };

  return {
    feed(bytes) {
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) {
            inString = false;
            if (keyLength >= 0) {
              keyIsId = keyLength === 2 && keySpellsId;
              keyLength = -1;
              expect = 'colon';
            } else if (text) finishText();
            continue;
          }
          if (keyLength >= 0) {
            keySpellsId &&= keyLength < 2 && c === ID[keyLength];
            keyLength++;
          } else if (text) {
            textLength++;
            take(text, c, MAX_ID_BYTES);
          }
          continue;
        }
        if (text && !textIsString) {
          if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) {
            textLength++;
            take(text, c, 32);
            continue;
          }
          finishText();
        }
        if (c === QUOTE) {
          inString = true;
          if (depth === 1 && expect === 'key') {
            keyLength = 0;
            keySpellsId = true;
          } else if (depth === 1 && expect === 'value') {
            if (keyIsId) startText(true);
            expect = 'other';
          }
        } else if (c === 0x7b || c === 0x5b) {
          if (depth === 1 && expect === 'value') expect = 'other';
          depth++;
          if (depth === 1) expect = c === 0x7b ? 'key' : 'other';
        } else if (c === 0x7d || c === 0x5d) {
          depth--;
        } else if (depth === 1 && c === 0x2c) {
          expect = 'key';
        } else if (depth === 1 && c === 0x3a && expect === 'colon') {
          expect = 'value';
        } else if (depth === 1 && expect === 'value' && c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
          expect = 'other';
          if (keyIsId && ((c >= 0x30 && c <= 0x39) || c === 0x2d)) {
            startText(false);
            textLength = 1;
            text!.push(c);
          }
        }
      }
    },
    id() {
      if (text && !textIsString) finishText();
      return found;
    },
  };
}
