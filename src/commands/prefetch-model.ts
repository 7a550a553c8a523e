import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeDirOf } from '../embeddings/runtime.js';
import { resolveModelSource } from '../embeddings/transformers.js';
import { prefetchModel } from '../ops/prefetch-model.js';
import { optionsHelp } from './flags.js';
import { createProgress } from './progress.js';
import { fail, printJson } from './support.js';
import type { OperatorCommand } from './types.js';

/** Where the server looks for downloaded models. */
export const modelCacheDir = (home: string) => join(home, 'models');

/** `cairn prefetch-model`: download the embedding model for offline use. */
export const prefetchModelCommand: OperatorCommand = {
  name: 'prefetch-model',
  usage: 'prefetch-model',
  summary: 'Download the embedding model (CAIRN_MODEL) for offline use.',
  help: `Usage: cairn prefetch-model [--home DIR]

Downloads the embedding model named by CAIRN_MODEL (default Xenova/all-MiniLM-L6-v2, ~90 MB)
into <home>/models, where the server finds it, and checks that it loads (this needs the
embeddings runtime: "cairn embeddings install" first). Afterwards the server
can run with CAIRN_OFFLINE=1. Without a network connection it says so and changes nothing:
Cairn keeps working with its hashing embedder. A model in CAIRN_MODEL_DIR (or an absolute
CAIRN_MODEL path) is local already and is only checked.

Options:
${optionsHelp([])}

Exit codes: 0 model ready, 1 download or load failed (e.g. no network), 2 bad usage.`,
  flags: [],
  async run(config) {
    const source = resolveModelSource(config.model, config.modelDir);
    if (source !== config.model) {
      if (!existsSync(join(source, 'config.json')))
        return fail('prefetch-model', `no model at ${source} (config.json missing); local models are never downloaded`);
      printJson({ model: config.model, path: source, downloaded: false, note: 'local model folder; nothing to download' });
      return 0;
    }
    if (config.offline) return fail('prefetch-model', 'CAIRN_OFFLINE=1 forbids downloads; run this command without it');
    const cacheDir = modelCacheDir(config.home);
    const progress = createProgress(`prefetch ${config.model}`);
    const r = await prefetchModel({
      model: config.model,
      cacheDir,
      runtimeDir: runtimeDirOf(config.home),
      onProgress: (loaded, total) => progress.update(Math.round(loaded / 1024), Math.round(total / 1024)),
    });
    progress.finish(`model ${config.model} is ready in ${cacheDir}`);
    printJson({ model: config.model, path: cacheDir, downloaded: true, files: r.files, bytes: r.bytes });
    return 0;
  },
};
