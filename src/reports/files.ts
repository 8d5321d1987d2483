// Report files (chart PNGs, KPI CSVs) as plain values that travel with a report message, and where
// the terminal keeps them. Slack and Discord deliver them as uploads/attachments (the chat model's
// file attachment, mapped at merge); the shell writes them under ./data/reports/ and prints the path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** Writes a report file (name reduced to safe characters) and returns its absolute path. */
export function saveReportFile(file: ReportFile, directory = reportDirectory()): string {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, file.name.replace(/[^A-Za-z0-9._-]/g, '_'));
  writeFileSync(path, file.bytes);
  return path;
}

/**
 * A report as it is delivered: the message and its files (the chart PNG). At merge the files map onto
 * the chat model's attachments (Slack upload flow, Discord `attachment://` in the embed).
 */
export interface ReportDocument {
  message: ChatMessage;
  files: ReportFile[];
}
