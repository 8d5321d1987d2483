// CSV output for exports (issue #12): RFC 4180 through csv-stringify, UTF-8 with a byte-order mark
// (so Excel reads CJK text correctly), and spreadsheet formula injection neutralised (OWASP "CSV
// Injection"): a text cell beginning with = + - @ tab or carriage return gets a leading apostrophe.
// Numbers are passed as numbers and left alone, so -15 stays -15.
import { stringify, type Stringifier } from 'csv-stringify';

export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A stream of CSV text: write one `CsvCell[]` per row (header first, written for you). Text cells are
 * neutralised; null becomes an empty cell.
 */
export function csvStream(header: readonly string[]): Stringifier {
  const stream = stringify({
    bom: true,
    header: true,
    columns: header.map((name) => ({ key: name, header: name })),
    record_delimiter: 'windows',
    cast: { string: (value) => neutralise(value), number: (value) => String(value) },
  });
  return stream;
}

/** Turns a row of cells into the record csvStream expects (keyed by header name). */
export function record(header: readonly string[], cells: readonly CsvCell[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  header.forEach((name, i) => {
    const cell = cells[i];
    out[name] = cell === null || cell === undefined ? '' : cell;
  });
  return out;
}
