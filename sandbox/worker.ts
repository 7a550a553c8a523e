/**
 * Worker-thread entry of the sandbox pool. Runs one job at a time on its QuickJS engine and
 * answers `ready` → (`result` [`recycled`] `ready`)*. Never writes to stdout: the parent's stdout
 * may carry the MCP protocol.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from './engine.js';
import type { FromWorker, ToWorker } from './types.js';

/** Settings the pool passes as `workerData`. */
export interface WorkerSettings {
  recycleHeapBytes: number;
}

const port = parentPort;
if (!port) throw new Error('sandbox/worker.js must run in a worker thread');
const settings = workerData as WorkerSettings;
const send = (msg: FromWorker) => port.postMessage(msg);

const engine = await createEngine({
  recycleHeapBytes: settings.recycleHeapBytes,
  // Emscripten's own messages (an abort's assertion text) go to the pool's logger.
  log: (line) => send({ type: 'log', line }),
});

port.on('message', async (msg: ToWorker) => {
  if (msg.type !== 'run') return;
  const result = await engine.run(msg.job);
  try {
    send({ type: 'result', id: msg.job.id, result });
  } catch (err) {
    // The result could not be cloned (e.g. nested too deeply for structured clone).
    send({
      type: 'result',
      id: msg.job.id,
      result: {
        status: 'error',
        stdout: result.stdout,
        error: { name: 'TypeError', message: `the result could not be returned: ${(err as Error).message}` },
        execution_time_ms: result.execution_time_ms,
      },
    });
  }
  const reason = engine.recycleReason();
  if (reason) {
    engine.recycle();
    send({ type: 'recycled', reason });
  }
  send({ type: 'ready' });
});
send({ type: 'ready' });
