// CSV output for exports (issue #12): RFC 4180 through csv-stringify, UTF-8 with a byte-order mark
// (so Excel reads CJK text correctly), and spreadsheet formula injection neutralised (OWASP "CSV
// Injection"): a text cell beginning with = + - @ tab or carriage return gets a leading apostrophe.
// Numbers are passed as numbers and left alone, so -15 stays -15.
import type { Options } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function options(header: readonly string[]): Options {
  return {
    columns: header.map((name) => ({ key: name, header: name })),
    record_delimiter: 'windows',
    // csv-stringify quotes a cell holding the record delimiter (CRLF here) but not a lone LF or CR, and
    // readers (csv-parse, Excel) end the record at either: any line break forces quotes (RFC 4180 §2.6).
    quoted_match: /[\r\n]/,
    cast: { string: (value) => neutralise(value), number: (value) => String(value) },
  };
}

/** The CSV text of a file, piece by piece: `head` (byte-order mark and header row), then one row at a time. */
export interface CsvEncoder {
  head: string;
  row(cells: readonly CsvCell[]): string;
  /** Many rows in one call: the same text as `row` for each, joined, at a fraction of the cost. */
  rows(batch: readonly (readonly CsvCell[])[]): string;
}

/**
 * Encodes rows one at a time (csv-stringify, one record per call), so that a writer streams a file of
 * any length holding one row in memory, and knows each row's size before it writes it (an export split
 * into parts that each fit a platform's file limit). Text cells are neutralised; null becomes an empty
 * cell; CRLF line ends.
 */
export function csvEncoder(header: readonly string[]): CsvEncoder {
  const rowOptions = { ...options(header), header: false };
  return {
    head: `\uFEFF${stringify([], { ...options(header), header: true })}`,
    row: (cells) => stringify([record(header, cells)], rowOptions),
    rows: (batch) => stringify(batch.map((cells) => record(header, cells)), rowOptions),
  };
}

/** Turns a row of cells into the record csv-stringify expects (keyed by header name). */
export function record(header: readonly string[], cells: readonly CsvCell[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  header.forEach((name, i) => {
    const cell = cells[i];
    out[name] = cell === null || cell === undefined ? '' : cell;
  });
  return out;
}
