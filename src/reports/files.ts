// Report files: the chart PNG attached to a report message, and the KPI CSV written under
// REPORT_DIR (default ./data/reports/) with its path printed.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { makeDirectorySync } from '../make-dir.js';
import type { ChatMessage } from '../chat/model.js';

export interface ReportFile {
  /** File name as shown to the reader, e.g. `weekly-2026-12-21.png`. */
  name: string;
  mime: 'image/png' | 'text/csv';
  bytes: Buffer;
}

/** The directory report files are written to: REPORT_DIR, else ./data/reports (relative to the working directory). */
export function reportDirectory(): string {
  return resolve(process.env.REPORT_DIR ?? join('data', 'reports'));
}

/**
 * Writes a report file (name reduced to safe characters) and returns its absolute path. An existing
 * file is never overwritten: the name gets `-2`, `-3` ... before its extension (issue #13: two
 * answers must not share a CSV). Throws the file system's error when the folder cannot be written.
 */
export function saveReportFile(file: ReportFile, directory = reportDirectory()): string {
  makeDirectorySync(directory);
  const safe = file.name.replace(/[^A-Za-z0-9._-]/g, '_');
  const dot = safe.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
  for (let n = 1; ; n++) {
    const path = join(directory, n === 1 ? safe : `${stem}-${n}${ext}`);
    try {
      writeFileSync(path, file.bytes, { flag: 'wx' });
      return path;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
}

/**
 * The KPI detail CSV's name: whose figures (`team`, else `p{personId}-{name}`: the id keeps `li_wei`
 * and `li.wei` apart) and the period's first and last day in `zone` (TZ_NAME), e.g.
 * `kpi-p7-li_wei-2026-11-23-2026-11-29.csv`. `to` is the period's exclusive end.
 */
export function kpiCsvName(personId: number | null, namePart: string, from: Date, to: Date, zone: string): string {
  const day = (d: Date) => DateTime.fromJSDate(d, { zone }).toISODate() ?? 'day';
  const who = personId === null ? 'team' : `p${personId}-${namePart}`;
  return `kpi-${who}-${day(from)}-${day(new Date(to.getTime() - 1))}.csv`;
}

/**
 * The report message with its chart attached (issue #13 item 3): `weekly-2026-11-16.png` (the
 * period's first day in `zone`, TZ_NAME). Slack shares it through the upload flow with the report's
 * blocks, Discord shows it in the report's embed (`attachment://NAME`), the terminal writes it under
 * ./data/reports/ (purpose `report`) and prints the path. The PNG is rendered in the language of `t`.
 */
export function withChart(message: ChatMessage, png: Buffer, kind: string, from: Date, zone: string): ChatMessage {
  const day = DateTime.fromJSDate(from, { zone }).toISODate() ?? 'period';
  const name = `${kind}-${day}.png`;
  return { ...message, attachment: { name, mimeType: 'image/png', base64: png.toString('base64'), title: message.title ?? name, purpose: 'report' } };
}
