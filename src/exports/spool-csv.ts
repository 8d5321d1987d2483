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

/** Feeds rows to `emit` in order and resolves to their number (ExportService.eachRow). */
export type RowSource = (emit: (cells: CsvCell[]) => Promise<void>) => Promise<number>;

/**
 * Writes the rows of `source` into spool files under `dir`, starting a new part before a row that would
 * take the current one past `maxBytes` (a part holds at least one row; an export without rows is one
 * part with only the header). Memory holds one row at a time, plus the file stream's buffer. On any
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
    await source(async (cells) => {
      const text = encoder.row(cells);
      const size = Buffer.byteLength(text);
      if (part && part.rows > 0 && part.bytes + size > maxBytes) await open();
      if (!part) throw new Error('csv spool: no open part');
      part.rows += 1;
      part.bytes += size;
      await write(text);
    });
    await close();
    return parts;
  } catch (error) {
    out?.destroy();
    for (const written of parts) await removeFile(written.path);
    throw error;
  }
}
