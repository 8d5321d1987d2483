// A CSV export written into the outbox spool (src/outbox/spool.ts) in parts that each fit the
// platform's file limit: rows are encoded one at a time, so each row's size is known before it is
// written, and a part never ends inside a row. Each part is a whole CSV file (byte-order mark and
// header row), so every part opens on its own in a spreadsheet.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { CsvCell, CsvEncoder } from './csv.js';
import { removeFile, spoolPath } from '../outbox/spool.js';

/** One file of an export: where it was spooled, its data rows and its size in bytes. */
export interface CsvPart {
  path: string;
  rows: number;
  bytes: number;
}

/** Feeds rows to `emit` in order, a batch at a time, and resolves to their number (ExportService.eachBatch). */
export type RowSource = (emit: (batch: CsvCell[][]) => Promise<void>) => Promise<number>;

/**
 * Writes the rows of `source` into spool files under `dir`, starting a new part before a row that would
 * take the current one past `maxBytes` (a part holds at least one row; an export without rows is one
 * part with only the header). Memory holds one batch at a time, plus the file stream's buffer. On any
 * error the parts written so far are removed and the error is thrown again.
 */
export async function spoolCsvParts(encoder: CsvEncoder, dir: string, suffix: string, maxBytes: number, source: RowSource): Promise<CsvPart[]> {
  const parts: CsvPart[] = [];
  let out: WriteStream | undefined;
  let part: CsvPart | undefined;
  const write = async (text: string) => {
    if (out && !out.write(text)) await once(out, 'drain');
  };
  const close = async () => {
    if (!out) return;
    out.end();
    await finished(out);
    out = undefined;
  };
  const open = async () => {
    await close();
    part = { path: await spoolPath(dir, `${parts.length + 1}-${suffix}`), rows: 0, bytes: Buffer.byteLength(encoder.head) };
    parts.push(part);
    out = createWriteStream(part.path, { flags: 'wx' });
    await write(encoder.head);
  };
  try {
    await open();
    const add = async (text: string, rows: number) => {
      if (!part) throw new Error('csv spool: no open part');
      part.rows += rows;
      part.bytes += Buffer.byteLength(text);
      await write(text);
    };
    await source(async (batch) => {
      // Usually the whole batch fits: encoded in one call. Otherwise row by row, to split between rows.
      const text = encoder.rows(batch);
      if (part && part.bytes + Buffer.byteLength(text) <= maxBytes) return add(text, batch.length);
      for (const cells of batch) {
        const row = encoder.row(cells);
        if (part && part.rows > 0 && part.bytes + Buffer.byteLength(row) > maxBytes) await open();
        await add(row, 1);
      }
    });
    await close();
    return parts;
  } catch (error) {
    out?.destroy();
    for (const written of parts) await removeFile(written.path);
    throw error;
  }
}
