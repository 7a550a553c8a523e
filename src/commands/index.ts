import { backupCommand } from './backup.js';
import { cacheCommand } from './cache.js';
import { curateCommand } from './curate.js';
import { doctorCommand } from './doctor.js';
import { exportCommand } from './export.js';
import { healthCommand, statsCommand } from './health.js';
import { importCommand } from './import.js';
import { memoriesCommand } from './memories.js';
import { prefetchModelCommand } from './prefetch-model.js';
import { reindexCommand } from './reindex.js';
import { restoreCommand } from './restore.js';
import { serveHttp } from './serve-http.js';
import type { OperatorCommand } from './types.js';
import { uiCommand } from './ui.js';

/** Operator commands, in the order `cairn help` lists them. */
export const OPERATOR_COMMANDS: OperatorCommand[] = [
  serveHttp,
  uiCommand,
  healthCommand,
  statsCommand,
  doctorCommand,
  exportCommand,
  importCommand,
  backupCommand,
  restoreCommand,
  memoriesCommand,
  curateCommand,
  reindexCommand,
  cacheCommand,
  prefetchModelCommand,
];
