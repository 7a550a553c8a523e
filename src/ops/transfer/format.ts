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
  once(event: 'drain', listener: () => void): unknown;
}

/** Writes one line, waiting for the sink to drain when its buffer is full. */
export async function writeLine(sink: Sink, value: unknown): Promise<void> {
  if (!sink.write(`${JSON.stringify(value)}\n`)) await new Promise<void>((resolve) => sink.once('drain', resolve));
}
