import { createWriteStream } from 'node:fs';
import { makeDirectory } from '../../make-dir.js';
import { pipeline } from 'node:stream/promises';
import { basename, join } from 'node:path';
import type { ChatAttachment } from '../../chat/model.js';
import { attachmentSize, openAttachment } from '../../outbox/spool.js';

/** Where the terminal puts files sent with messages (exports, charts). */
export const SHELL_EXPORTS_DIR = './data/exports';

/** Where the terminal puts report files (charts, issue #13): REPORT_DIR, else ./data/reports. */
export function shellReportsDir(): string {
  return process.env.REPORT_DIR || './data/reports';
}

/**
 * Writes an attachment under `dir` and returns its path. The name is reduced to its last path part,
 * so a file name can never point outside the folder; an existing file is not overwritten. A spooled
 * file is copied in chunks (a large export never sits in memory).
 */
export async function saveAttachment(attachment: ChatAttachment, dir: string, stamp: number): Promise<string> {
  await attachmentSize(attachment); // a spooled file that is gone: PermanentDeliveryError
  await makeDirectory(dir);
  const safe = basename(attachment.name).replace(/[^\p{L}\p{N}._-]/gu, '_') || 'file';
  const dot = safe.lastIndexOf('.');
  const name = dot > 0 ? `${safe.slice(0, dot)}-${stamp}${safe.slice(dot)}` : `${safe}-${stamp}`;
  const path = join(dir, name);
  await pipeline(openAttachment(attachment), createWriteStream(path, { flags: 'wx' }));
  return path;
}
