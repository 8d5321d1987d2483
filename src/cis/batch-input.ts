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

/**
 * Marks a CSV line whose number of cells differs from the header's: the batch refuses that line
 * (`cis.refused.columns`) and keeps the others. A symbol, so no CSV column or JSON key can forge it.
 */
export const COLUMN_MISMATCH = Symbol('ci.columnMismatch');

/** The `{expected, found}` cell counts a row carries when its line had the wrong number of cells. */
export function columnMismatch(row: Record<string, unknown>): { expected: number; found: number } | undefined {
  const value: unknown = Reflect.get(row, COLUMN_MISMATCH);
  return typeof value === 'object' && value !== null ? (value as { expected: number; found: number }) : undefined;
}

/** csv-parse's lines with `info: true`: the cells and where the record ends (1-based line number). */
const csvLines = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number() }) }));

/**
 * Throws InvalidInputError (`cis.error.csv` for unreadable quoting, `cis.error.header` naming an
 * unknown column or a missing name column, `cis.error.tooManyLines`). A line with too few or too many
 * cells is not an error of the whole text: csv-parse reads it (`relax_column_count`) and the row is
 * marked (COLUMN_MISMATCH) to be refused by its line number.
 */
export function rowsFromCsv(text: string): BatchRows {
  let parsed: unknown;
  try {
    // With `info`, csv-parse gives `{ record, info }` per line, which its typings do not describe: checked below.
    parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: true,
      max_record_size: 64 * 1024,
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InvalidInputError('cis.error.csv', { line: line ?? '?', problem: error.code });
    }
    throw error;
  }
  const [head, ...body] = csvLines.parse(parsed);
  if (!head) return { rows: [], lines: [] };
  const header = head.record.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !COLUMNS.includes(h));
  if (unknown.length > 0) throw new InvalidInputError('cis.error.unknownColumn', { columns: unknown.map((c) => c || '""').join(', '), header: CI_CSV_HEADER });
  if (!header.includes('name')) throw new InvalidInputError('cis.error.header', { header: CI_CSV_HEADER });
  if (body.length > MAX_BATCH_LINES) throw new InvalidInputError('cis.error.tooManyLines', { max: MAX_BATCH_LINES });
  const rows = body.map(({ record }) => {
    const row: Record<string, unknown> = Object.fromEntries(header.map((h, i) => [h, record[i] ?? '']));
    if (record.length !== header.length) Reflect.set(row, COLUMN_MISMATCH, { expected: header.length, found: record.length });
    return row;
  });
  return { rows, lines: body.map((r) => r.info.lines) };
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
