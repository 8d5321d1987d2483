// Reads a batch of configuration items from CSV (the import form, `text/csv` bodies) or JSON (an array
// of objects, or {items: [...]}) into plain rows with their line numbers. CSV goes through csv-parse:
// RFC 4180 quoting, a byte-order mark and CRLF line ends are handled there, not by hand.
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { CI_CSV_HEADER } from './forms.js';
import { InvalidInputError } from '../errors.js';

/** At most this many lines per batch: one transaction must stay short. */
export const MAX_BATCH_LINES = 2000;

const COLUMNS = CI_CSV_HEADER.split(',');

export interface BatchRows {
  rows: Record<string, unknown>[];
  /** The source line of each row: the CSV line (header = 1), or the array position from 1. */
  lines: number[];
}

/** Throws InvalidInputError (`cis.error.csv`, `cis.error.header`, `cis.error.tooManyLines`). */
export function rowsFromCsv(text: string): BatchRows {
  type Parsed = { record: Record<string, string>; info: { lines: number } };
  let records: Parsed[];
  try {
    records = parse<Parsed>(text, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: 64 * 1024,
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InvalidInputError('cis.error.csv', { line: line ?? '?', problem: error.code });
    }
    throw error;
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const unknown = header.filter((h) => !COLUMNS.includes(h));
  if (records.length > 0 && (!header.includes('name') || unknown.length > 0)) throw new InvalidInputError('cis.error.header', { header: CI_CSV_HEADER });
  if (records.length > MAX_BATCH_LINES) throw new InvalidInputError('cis.error.tooManyLines', { max: MAX_BATCH_LINES });
  return { rows: records.map((r) => r.record), lines: records.map((r) => r.info.lines) };
}

const jsonBatch = z.union([z.array(z.record(z.string(), z.unknown())), z.object({ items: z.array(z.record(z.string(), z.unknown())) })]);

/** Throws InvalidInputError (`cis.error.json`, `cis.error.tooManyLines`). */
export function rowsFromJson(text: string): BatchRows {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidInputError('cis.error.json');
  }
  const batch = jsonBatch.safeParse(parsed);
  if (!batch.success) throw new InvalidInputError('cis.error.json');
  const rows = Array.isArray(batch.data) ? batch.data : batch.data.items;
  if (rows.length > MAX_BATCH_LINES) throw new InvalidInputError('cis.error.tooManyLines', { max: MAX_BATCH_LINES });
  // Numbers and lists are welcome in JSON; the line schema coerces them.
  return { rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), typeof v === 'number' ? String(v) : v]))), lines: rows.map((_, i) => i + 1) };
}
