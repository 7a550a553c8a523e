import { runtimeDirOf, TRANSFORMERS_PACKAGE, TRANSFORMERS_VERSION } from '../embeddings/runtime.js';
import { installRuntime, removeRuntime, runtimeStatus } from '../ops/embeddings-runtime.js';
import { optionsHelp } from './flags.js';
import { printJson, usage } from './support.js';
import type { OperatorCommand } from './types.js';

/** `cairn embeddings install|status|remove`: the optional runtime for model embeddings. */
export const embeddingsCommand: OperatorCommand = {
  name: 'embeddings',
  usage: 'embeddings install|status|remove',
  summary: 'Install, show or remove the runtime for model embeddings (transformers.js).',
  help: `Usage: cairn embeddings install|status|remove [--home DIR]

Cairn installs light: it embeds with its built-in hashing embedder. Model embeddings
(CAIRN_MODEL, default Xenova/all-MiniLM-L6-v2) need transformers.js and ONNX Runtime, about
450 MB, which this command adds to <home>/runtime. Running servers pick it up when they next
start; the model itself is then fetched in the background (or "cairn prefetch-model").

  install  Installs ${TRANSFORMERS_PACKAGE} ${TRANSFORMERS_VERSION} into <home>/runtime with npm, install
           scripts off (nothing is downloaded from outside the npm registry), and checks that it
           loads. npm's own settings apply (registry, proxy; npm_config_offline=true installs
           from npm's cache). Running it again repairs or updates the folder.
  status   Says whether and where the runtime is installed.
  remove   Deletes <home>/runtime (downloaded models in <home>/models stay).

Options:
${optionsHelp([])}

Exit codes: 0 ok, 1 the install failed, 2 bad usage.`,
  flags: [],
  async run(config) {
    const action = config.args[0];
    const dir = runtimeDirOf(config.home);
    if (action === 'status') {
      printJson(runtimeStatus(dir));
      return 0;
    }
    if (action === 'remove') {
      printJson({ path: dir, removed: removeRuntime(dir) });
      return 0;
    }
    if (action !== 'install')
      return usage('embeddings', action ? `unknown action "${action}"; accepted: install, status, remove` : 'missing action (install, status or remove)');
    process.stderr.write(`installing ${TRANSFORMERS_PACKAGE} ${TRANSFORMERS_VERSION} into ${dir} (about 450 MB) …\n`);
    printJson(await installRuntime({ runtimeDir: dir }));
    return 0;
  },
};
