/** Version of the Cairn export format (the JSONL envelope, not the schema). */
export const EXPORT_FORMAT_VERSION = 1;

/** First line of an export. */
export interface ExportHeader {
  type: 'cairn-export';
  format_version: number;
  cairn_version: string;
  /** Schema (migration) version of the database the rows came from. */
  schema_version: number;
  namespace: string;
  exported_at: string;
  tables: string[];
}

/** One row of one table. */
export interface ExportRowLine {
  type: 'row';
  table: string;
  data: Record<string, unknown>;
}

/** Last line: rows per table, so a truncated file is detected. */
export interface ExportEnd {
  type: 'end';
  counts: Record<string, number>;
}

/** Any line of a Cairn export. */
export type ExportLine = ExportHeader | ExportRowLine | ExportEnd;

/** A writable text sink with backpressure (a file stream or stdout). */
export interface Sink {
  write(chunk: string): boolean;
  on(event: 'drain' | 'error' | 'close', listener: (err?: Error) => void): unknown;
  off(event: 'drain' | 'error' | 'close', listener: (err?: Error) => void): unknown;
  /** True once the stream is closed or failed (e.g. the reading end of a pipe went away). */
  readonly destroyed?: boolean;
}

/**
 * Writes one line, waiting for the sink to drain when its buffer is full. Rejects — instead of
 * waiting forever — when the sink fails or closes, e.g. with `EPIPE` when the reader of a pipe
 * has gone (`cairn export | head`); see {@link isClosedOutput}.
 */
export async function writeLine(sink: Sink, value: unknown): Promise<void> {
  if (sink.destroyed) throw closedError();
  if (sink.write(`${JSON.stringify(value)}\n`)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (err?: Error) => {
      sink.off('drain', onDrain);
      sink.off('error', onError);
      sink.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (err?: Error) => settle(err ?? closedError());
    const onClose = () => settle(closedError());
    sink.on('drain', onDrain);
    sink.on('error', onError);
    sink.on('close', onClose);
  });
}

/** True for the errors of writing to an output whose reader went away (a closed pipe). */
export function isClosedOutput(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

function closedError(): Error {
  return Object.assign(new Error('the output was closed before everything was written'), { code: 'ERR_STREAM_DESTROYED' });
}
