import { backupCommand } from './backup.js';
import { cacheCommand } from './cache.js';
import { doctorCommand } from './doctor.js';
import { embeddingsCommand } from './embeddings.js';
import { exportCommand } from './export.js';
import { healthCommand, statsCommand } from './health.js';
import { importCommand } from './import.js';
import { prefetchModelCommand } from './prefetch-model.js';
import { reindexCommand } from './reindex.js';
import { restoreCommand } from './restore.js';
import { serveHttp } from './serve-http.js';
import type { OperatorCommand } from './types.js';

/** Operator commands, in the order `cairn help` lists them. */
export const OPERATOR_COMMANDS: OperatorCommand[] = [
  serveHttp,
  healthCommand,
  statsCommand,
  doctorCommand,
  exportCommand,
  importCommand,
  backupCommand,
  restoreCommand,
  reindexCommand,
  cacheCommand,
  embeddingsCommand,
  prefetchModelCommand,
];
