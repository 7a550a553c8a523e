/**
 * Bundles the `cairn` bin, so a spawned server reads a few files before it answers `initialize`
 * instead of resolving and reading hundreds of modules.
 *
 * Output: `dist/cairn.js` (the entry) and `dist/chunks/`. Cairn itself, the MCP SDK and zod are
 * inlined. Code reached only through a dynamic `import()` (the app with storage and services, the
 * operator commands, the HTTP server) goes to chunks of its own that load when first imported, so
 * `initialize` waits only for the CLI, the config, the MCP server and the tool definitions.
 * Kept external, loaded from node_modules as usual: packages with native or WASM parts or files of
 * their own (libSQL, LMDB, QuickJS, the embeddings runtime) and the sandbox's worker script
 * (`dist/sandbox/worker.js`, from `tsc`), which a worker thread loads by path.
 *
 * Three modules of the dependencies are replaced (see {@link SHIMS}), each by a smaller one that
 * behaves the same for Cairn; the stdio tests run through the bundle and would catch a difference.
 * Usage: node dist/scripts/bundle.js [--analyze] (run by `npm run build`, after `tsc`).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeMetafile, build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Packages loaded from node_modules at run time rather than inlined. */
export const EXTERNAL = ['@libsql/client', 'libsql', 'lmdb', 'quickjs-emscripten', 'quickjs-emscripten-core', '@jitl/*', '@huggingface/transformers'];

/** Replacement source by module path (relative to node_modules). */
const SHIMS: Record<string, string> = {
  // zod's locale table holds every language (300 KB); its messages are only ever English here.
  'zod/v4/locales/index.js': "export { default as en } from './en.js';",
  // The SDK supports zod v3 schemas through zod/v3 and zod-to-json-schema; Cairn's are zod v4, for
  // which the SDK never calls either. A v3 schema reaching them fails loudly instead.
  'zod/v3/index.js': `export function object() { throw new Error('zod v3 schemas are not supported by the bundled MCP SDK; use zod v4'); }`,
  'zod-to-json-schema/dist/esm/index.js': `export function zodToJsonSchema() { throw new Error('zod v3 schemas are not supported by the bundled MCP SDK; use zod v4'); }`,
  // The SDK server builds an Ajv validator at construction but uses it only to check elicitation
  // replies. This one loads the SDK's own validator (and Ajv) from node_modules on first use.
  '@modelcontextprotocol/sdk/dist/esm/validation/ajv-provider.js': `
import { createRequire } from 'node:module';
export class AjvJsonSchemaValidator {
  #real;
  #options;
  constructor(...options) { this.#options = options; }
  getValidator(schema) {
    if (!this.#real) {
      const { AjvJsonSchemaValidator: Real } = createRequire(import.meta.url)('@modelcontextprotocol/sdk/validation/ajv');
      this.#real = new Real(...this.#options);
    }
    return this.#real.getValidator(schema);
  }
}`,
};

const shims: Plugin = {
  name: 'cairn-shims',
  setup(b) {
    const paths = Object.keys(SHIMS);
    b.onLoad({ filter: /[\\/]node_modules[\\/]/ }, (args) => {
      const rel = args.path.replace(/\\/g, '/').split('/node_modules/').pop() ?? '';
      if (!paths.includes(rel)) return undefined;
      return { contents: SHIMS[rel], loader: 'js', resolveDir: fileURLToPath(new URL('.', `file://${args.path}`)) };
    });
  },
};

// Chunk names carry a content hash: clear the old ones so dist/ holds only what the entry imports.
rmSync(join(ROOT, 'dist', 'chunks'), { recursive: true, force: true });

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  entryNames: 'cairn',
  // Code reached only through `import()` goes to chunks of its own, so its external packages load
  // when it does, not at start-up.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  plugins: [shims],
  // CommonJS dependencies inlined into an ES module still call `require` for Node built-ins.
  banner: { js: "import { createRequire as __cairnRequire } from 'node:module';\nconst require = __cairnRequire(import.meta.url);" },
  // Class and function names stay as written (error names, logs), whatever the bundle renames.
  keepNames: true,
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});

const missing = Object.keys(SHIMS).filter((rel) => !Object.keys(result.metafile.inputs).some((input) => input.endsWith(`node_modules/${rel}`)));
if (missing.length > 0) {
  // A dependency update moved a replaced module: the bundle still works, only bigger and slower.
  process.stderr.write(`bundle: no longer replaced (module moved?): ${missing.join(', ')}\n`);
}
if (process.argv.includes('--analyze')) process.stdout.write(await analyzeMetafile(result.metafile, { verbose: false }));
