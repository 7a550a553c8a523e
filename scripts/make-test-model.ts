/**
 * Writes a tiny BERT-shaped model with seeded random weights, loadable by transformers.js's
 * `feature-extraction` pipeline: `config.json`, `tokenizer.json` (WordPiece), `tokenizer_config.json`
 * and `onnx/model.onnx`. It proves the loading and inference path offline; its vectors carry no
 * meaning. Usage: `node dist/scripts/make-test-model.js [outDir]` (default `test/.tmp/tiny-bert`).
 *
 * The ONNX file is encoded by hand (a few protobuf messages of onnx.proto) because no ONNX
 * library is available offline. Graph: Gather(word emb, input_ids) + Gather(type emb,
 * token_type_ids) → MatMul → Add bias → Tanh → × attention_mask = last_hidden_state.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../src/prng.js';

/** Options of {@link makeTestModel}. */
export interface TestModelOptions {
  /** Folder to write into (created if missing). */
  outDir: string;
  /** Width of the hidden state, i.e. the embedding dimension. Default 32. */
  hiddenSize?: number;
  /** Seed of the weight generator; equal seeds give byte-identical models. Default 1. */
  seed?: number;
}

/** What {@link makeTestModel} wrote. */
export interface TestModel {
  /** Absolute path of the model folder (usable as a transformers.js model id). */
  dir: string;
  hiddenSize: number;
  vocabSize: number;
}

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const MAX_LENGTH = 128;

/** Generates the model files into `outDir`. */
export function makeTestModel(options: TestModelOptions): TestModel {
  const dir = resolve(options.outDir);
  const hiddenSize = options.hiddenSize ?? 32;
  const vocab = buildVocab();
  const vocabSize = vocab.length;
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const json = (name: string, value: unknown) => writeFileSync(join(dir, name), JSON.stringify(value, null, 2) + '\n');
  json('config.json', {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: hiddenSize,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: hiddenSize,
    vocab_size: vocabSize,
    type_vocab_size: 2,
    max_position_embeddings: MAX_LENGTH,
    pad_token_id: 0,
  });
  json('tokenizer.json', tokenizerJson(vocab));
  json('tokenizer_config.json', {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: MAX_LENGTH,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
    clean_up_tokenization_spaces: true,
  });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnxModel(vocabSize, hiddenSize, options.seed ?? 1));
  return { dir, hiddenSize, vocabSize };
}

/** Specials, then enough single characters (plain and `##`-continued) to spell any a–z/0–9 word. */
function buildVocab(): string[] {
  const chars = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
  const punctuation = [...'.,!?;:\'"-()[]/&@#%*+=<>'];
  const words = 'the a and of to in is it i you that was for on are with as be this have memory agent task'.split(' ');
  return [...SPECIAL_TOKENS, ...punctuation, ...chars, ...chars.map((c) => `##${c}`), ...words];
}

function tokenizerJson(vocab: string[]): unknown {
  const id = (token: string) => vocab.indexOf(token);
  const special = (token: string) => ({ id: token, ids: [id(token)], tokens: [token] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
}

// ---- ONNX (onnx.proto field numbers) ----------------------------------------------------------

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;

function onnxModel(vocabSize: number, hidden: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  const initializers = [
    tensor('word_embeddings', [vocabSize, hidden], FLOAT, floatBytes(uniform(vocabSize * hidden, 1))),
    tensor('token_type_embeddings', [2, hidden], FLOAT, floatBytes(uniform(2 * hidden, 0.1))),
    tensor('dense_weight', [hidden, hidden], FLOAT, floatBytes(uniform(hidden * hidden, Math.sqrt(3 / hidden)))),
    tensor('dense_bias', [hidden], FLOAT, floatBytes(uniform(hidden, 0.1))),
    tensor('mask_axes', [1], INT64, int64Bytes([-1])),
  ];
  const nodes = [
    node('Gather', ['word_embeddings', 'input_ids'], ['word_vectors']),
    node('Gather', ['token_type_embeddings', 'token_type_ids'], ['type_vectors']),
    node('Add', ['word_vectors', 'type_vectors'], ['embedded']),
    node('MatMul', ['embedded', 'dense_weight'], ['projected']),
    node('Add', ['projected', 'dense_bias'], ['biased']),
    node('Tanh', ['biased'], ['activated']),
    node('Cast', ['attention_mask'], ['mask_float'], [intAttribute('to', FLOAT)]),
    node('Unsqueeze', ['mask_float', 'mask_axes'], ['mask_3d']),
    node('Mul', ['activated', 'mask_3d'], ['last_hidden_state']),
  ];
  const inputs = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => valueInfo(name, INT64, ['batch_size', 'sequence_length']));
  const graph = concat(
    ...nodes.map((n) => bytesField(1, n)),
    stringField(2, 'tiny_bert'),
    ...initializers.map((t) => bytesField(5, t)),
    ...inputs.map((v) => bytesField(11, v)),
    bytesField(12, valueInfo('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', hidden])),
  );
  const opset = concat(stringField(1, ''), varintField(2, 17));
  return concat(varintField(1, 8), stringField(2, 'cairn make-test-model'), stringField(3, '1'), bytesField(7, graph), bytesField(8, opset));
}

function tensor(name: string, dims: number[], dataType: number, raw: Uint8Array): Uint8Array {
  return concat(...dims.map((d) => varintField(1, d)), varintField(2, dataType), stringField(8, name), bytesField(9, raw));
}

function node(opType: string, inputs: string[], outputs: string[], attributes: Uint8Array[] = []): Uint8Array {
  return concat(
    ...inputs.map((s) => stringField(1, s)),
    ...outputs.map((s) => stringField(2, s)),
    stringField(3, `${opType}_${outputs[0] ?? ''}`),
    stringField(4, opType),
    ...attributes.map((a) => bytesField(5, a)),
  );
}

function intAttribute(name: string, value: number): Uint8Array {
  return concat(stringField(1, name), varintField(3, value), varintField(20, ATTRIBUTE_INT));
}

/** ValueInfoProto with a tensor type; string dims are symbolic (dim_param). */
function valueInfo(name: string, elemType: number, dims: Array<number | string>): Uint8Array {
  const shape = concat(...dims.map((d) => bytesField(1, typeof d === 'number' ? varintField(1, d) : stringField(2, d))));
  const tensorType = concat(varintField(1, elemType), bytesField(2, shape));
  return concat(stringField(1, name), bytesField(2, bytesField(1, tensorType)));
}

// ---- protobuf wire format ---------------------------------------------------------------------

function varint(value: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint: expected a non-negative safe integer, got ${value}`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function varintField(field: number, value: number): Uint8Array {
  return Uint8Array.from([...varint(field * 8), ...varint(value)]);
}

function bytesField(field: number, data: Uint8Array): Uint8Array {
  return concat(Uint8Array.from([...varint(field * 8 + 2), ...varint(data.length)]), data);
}

function stringField(field: number, text: string): Uint8Array {
  return bytesField(field, new TextEncoder().encode(text));
}

function floatBytes(values: Float32Array): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  for (const [i, v] of values.entries()) view.setFloat32(i * 4, v, true);
  return new Uint8Array(view.buffer);
}

function int64Bytes(values: number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (const [i, v] of values.entries()) view.setBigInt64(i * 8, BigInt(v), true);
  return new Uint8Array(view.buffer);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const model = makeTestModel({ outDir: process.argv[2] ?? 'test/.tmp/tiny-bert' });
  process.stdout.write(JSON.stringify(model) + '\n');
}
