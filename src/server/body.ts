import type { IncomingMessage } from 'node:http';

/** Why a body could not be read. */
export type BodyResult = { ok: true; text: string } | { ok: false; status: 413 | 400; message: string };

/**
 * Reads a request body up to `limit` bytes. A declared Content-Length over the limit is refused
 * before reading; a body that grows past it while streaming is cut off. Either way the answer is
 * 413 and at most `limit` bytes were buffered.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({
      ok: false,
      status: 413,
      message: `request body of ${declared} bytes exceeds the limit of ${limit} bytes (CAIRN_HTTP_MAX_BODY_BYTES)`,
    });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ ok: false, status: 413, message: `request body exceeds the limit of ${limit} bytes (CAIRN_HTTP_MAX_BODY_BYTES)` });
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', (err) => finish({ ok: false, status: 400, message: `could not read the request body (${err.message})` }));
    req.on('aborted', () => finish({ ok: false, status: 400, message: 'request aborted by the client' }));
  });
}
