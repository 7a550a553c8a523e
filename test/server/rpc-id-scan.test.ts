import { describe, expect, it } from 'vitest';
import { createIdScanner } from '../../src/server/rpc-id-scan.js';

const scan = (text: string, chunk: number) => {
  const s = createIdScanner();
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) s.feed(bytes.subarray(i, i + chunk));
  return s.id();
};

describe('createIdScanner: the top-level id of a message read in pieces', () => {
  const cases: Array<[string, string, string | number | null]> = [
    ['first member', '{"jsonrpc":"2.0","id":7,"method":"x"}', 7],
    [
      'last member, after ids nested in params (as the SDK client writes it)',
      '{"method":"tools/call","params":{"arguments":{"id":99,"x":{"id":"in"}}},"jsonrpc":"2.0","id":12}',
      12,
    ],
    ['a string id with an escaped quote', '{"id":"abc\\"d","x":[1,2,{"id":3}]}', 'abc"d'],
    ['white space and a negative number', '{ "id" : -3 , "m":1}', -3],
    ['an exponent', '{"id":1e3}', 1000],
    ['a key that only starts with id', '{"idx":5,"params":{"id":1}}', null],
    ['"i" and "d" apart', '{"i":1,"d":2}', null],
    ['an object id', '{"id":{"a":1}}', null],
    ['a batch', '[{"id":1}]', null],
    ['an id too long to echo', `{"id":"${'a'.repeat(300)}"}`, null],
    ['a non-ASCII string id', '{"id":"é-ü","x":1}', 'é-ü'],
  ];
  it.each(cases)('%s', (_label, text, id) => {
    for (const chunk of [1, 2, 3, 7, 4096]) expect(scan(text, chunk)).toBe(id);
  });
});
