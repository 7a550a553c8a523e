/** Version of the messages between the hook client and the background Cairn. */
export const WIRE_VERSION = 1;

/** A request to the background Cairn: answer a hook, report its status, or stop. One JSON line. */
export type WireRequest =
  | { v: number; version: string; op: 'hook'; event: string; env: Record<string, string>; payload: string }
  | { v: number; version: string; op: 'status' }
  | { v: number; version: string; op: 'stop' };

/** The background Cairn's answer. One JSON line. */
export type WireReply =
  | { ok: true; output?: unknown; status?: Record<string, unknown> }
  /** `unavailable`: the Cairn could not open the data folder, so nothing was done (a capture event is worth spooling). */
  | { ok: false; error: string; unavailable?: boolean };

/** Largest message either side reads. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * The environment a hook's settings come from: `CAIRN_*`, Claude Code's `CLAUDE_PROJECT_DIR`, and
 * what locates the data folder. The background Cairn resolves its settings per request from it.
 */
export function hookEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && (k.startsWith('CAIRN_') || k === 'CLAUDE_PROJECT_DIR' || k === 'HOME' || k === 'XDG_DATA_HOME' || k === 'USERPROFILE')) out[k] = v;
  }
  return out;
}

/** Reads one newline-terminated JSON message from a stream (rejects on close before it, or beyond the size limit). */
export function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const done = (err: Error | null, line?: string) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (err) reject(err);
      else resolve(line!);
    };
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const nl = buffered.indexOf('\n');
      if (nl >= 0) done(null, buffered.slice(0, nl));
      else if (buffered.length > MAX_MESSAGE_BYTES) done(new Error('message too large'));
    };
    const onEnd = () => done(new Error('connection closed before a full message'));
    const onError = (err: Error) => done(err);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
