import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createApp } from '../app.js';
import { resolveConfig } from '../config/index.js';
import { createLogger } from '../logger.js';
import { createHookHandler } from './handler.js';
import type { HookEvent } from './payload.js';

/**
 * Answers one hook in this process (`CAIRN_HOOK_DAEMON=off`): opens the data folder, answers, does
 * the follow-up work, closes. Slower than the background Cairn (the database and, for a prompt,
 * the namespace's index are opened each time) but leaves nothing running. Logs go to `logFile`.
 */
export async function handleInProcess(event: HookEvent, payload: string, env: Record<string, string>, logFile: string): Promise<unknown> {
  const config = resolveConfig(env, ['hook', event]);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, (line) => {
    try {
      mkdirSync(dirname(logFile), { recursive: true });
      appendFileSync(logFile, line);
    } catch {
      /* the hook must not fail over its log */
    }
  });
  const app = await createApp({ ...config, checkInMinutes: 0 }, { logger });
  try {
    const handler = createHookHandler({ memory: app.memory, episodes: app.episodes, context: app.context, logger, promptWaitMs: 60_000 });
    const reply = await handler.handle({ event, payload: JSON.parse(payload) as unknown, config });
    await reply.after?.().catch((err: unknown) => logger.error('hook follow-up failed', { event, err }));
    return reply.output;
  } finally {
    await app.close();
  }
}
