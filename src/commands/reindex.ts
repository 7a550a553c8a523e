import { NAMESPACE_FLAG, optionsHelp } from './flags.js';
import { createProgress } from './progress.js';
import { fail, printJson, withCommandApp } from './support.js';
import type { OperatorCommand } from './types.js';

/** `cairn reindex`: recompute every stored vector with the current embedder. */
export const reindexCommand: OperatorCommand = {
  name: 'reindex',
  usage: 'reindex',
  summary: 'Re-embed the namespace with the current embedder.',
  help: `Usage: cairn reindex [--namespace NAME]

Recomputes every stored embedding of the namespace with the embedder configured now
(CAIRN_EMBEDDINGS, CAIRN_MODEL) and rebuilds the vector index — needed after changing the model,
since vectors of two models are never mixed. Waits for the model to load first; if it cannot
load (and CAIRN_EMBEDDINGS is not "hashing") nothing is changed. Safe while servers run: they
switch to the new vectors when it completes. Only CAIRN_SEARCH=hybrid has a reindex step; under
fts or sql the command changes nothing and says so.

Options:
${optionsHelp([NAMESPACE_FLAG])}

Exit codes: 0 reindexed, 1 failure (model unavailable, or an engine without a reindex step), 2 bad usage.`,
  flags: [NAMESPACE_FLAG],
  run: (config) =>
    withCommandApp(config, async (app) => {
      const { search } = app;
      if (!search.reindex) {
        return fail(
          'reindex',
          `the ${search.name} search engine (CAIRN_SEARCH=${config.search}) has no reindex step, so nothing was changed: it keeps no index in memory and brings any stored vectors up to date itself before each query`,
        );
      }
      app.embeddings.start();
      await app.embeddings.ready();
      const state = app.embeddings.state();
      if (state.status === 'failed' && config.embeddings !== 'hashing') {
        return fail(
          'reindex',
          `the embedding model could not load (${state.reason}); nothing was reindexed — fix the model (see "cairn doctor") or set CAIRN_EMBEDDINGS=hashing`,
        );
      }
      const progress = createProgress('reindex');
      const t0 = performance.now();
      const r = await search.reindex(config.namespace, progress.update);
      progress.finish(`reindexed ${r.items} items with ${r.embedder}`);
      printJson({ namespace: config.namespace, items: r.items, embedder: r.embedder, took_ms: Math.round(performance.now() - t0) });
      return 0;
    }),
};
