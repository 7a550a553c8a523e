import { unreachableReport } from '../ops/health.js';
import { createExportRepo } from '../storage/export-repo.js';
import { currentVersion } from '../storage/migrate.js';
import { NAMESPACE_FLAG, optionsHelp } from './flags.js';
import { printJson, withCommandApp } from './support.js';
import type { OperatorCommand } from './types.js';

/** `cairn health`: the health report as JSON; exit 1 when unhealthy. */
export const healthCommand: OperatorCommand = {
  name: 'health',
  usage: 'health',
  summary: 'Print a health report as JSON (exit 1 when unhealthy).',
  help: `Usage: cairn health [--namespace NAME]

Prints the same report as the health_check tool: status (healthy, degraded, unhealthy),
the problems behind it, database reachability, whether it takes writes (read-only, disk full,
locked by another process), latency, circuit breaker and size, cache counters, counts for the
namespace, process memory, enabled toolsets and the embedder (with CAIRN_EMBEDDINGS=transformers
the model load is awaited, and a model that fails makes the report unhealthy). For a running HTTP server use
GET /healthz and /readyz instead.

Options:
${optionsHelp([NAMESPACE_FLAG])}

When the database cannot be opened at all (unreachable server, unreadable file) it still prints a
report, with status "unhealthy" and the error under primary.error.

Exit codes: 0 healthy or degraded, 1 unhealthy, 2 bad usage.`,
  flags: [NAMESPACE_FLAG],
  async run(config) {
    let printed = false;
    try {
      return await withCommandApp(config, async (app) => {
        // A one-shot report waits for the cache's start-up check rather than report "checking".
        await app.cache.ready();
        // A required model is part of health: wait for its load to settle (a failure is in the report).
        if (config.embeddings === 'transformers') await app.embeddings.ready().catch(() => undefined);
        const report = await app.health.check(config.namespace);
        printJson(report);
        printed = true;
        return report.status === 'unhealthy' ? 1 : 0;
      });
    } catch (err) {
      if (printed) throw err;
      printJson(unreachableReport(config, err));
      return 1;
    }
  },
};

/** `cairn stats`: counts per table for the namespace, namespaces, sizes. */
export const statsCommand: OperatorCommand = {
  name: 'stats',
  usage: 'stats',
  summary: 'Print row counts per table, namespaces and sizes as JSON.',
  help: `Usage: cairn stats [--namespace NAME]

Prints, as JSON: the namespace's row count in every table (memories, episodes, steps, patterns,
ADHD records, embeddings, …), every namespace in the database with its total rows, the schema
version, database and cache sizes.

Options:
${optionsHelp([NAMESPACE_FLAG])}

Exit codes: 0 printed, 1 failure.`,
  flags: [NAMESPACE_FLAG],
  run: (config) =>
    withCommandApp(config, async (app) => {
      await app.cache.ready();
      const repo = createExportRepo(app.db);
      const tables: Record<string, number> = {};
      for (const t of await repo.tables()) tables[t.name] = await repo.count(t.name, config.namespace);
      const h = await app.health.check(config.namespace);
      printJson({
        namespace: config.namespace,
        home: config.home,
        schema_version: await currentVersion(app.db),
        tables,
        counts: h.counts,
        namespaces: await repo.namespaces(),
        db: { url: h.primary.url, size_bytes: h.primary.size_bytes },
        cache: { path: h.cache.path, entries: h.cache.entries, bytes: h.cache.bytes },
      });
      return 0;
    }),
};
