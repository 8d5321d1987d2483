// The outbox spool: files sent with messages that are too large to keep in the outbox row as base64
// (a 100,000-fault CSV export). They are written here before their message is queued, streamed to the
// platform from here, and removed once the message was delivered or marked dead. The folder sits under
// the data folder (next to the SQLite file by default), not /tmp, so a queued file survives a restart.
import { createReadStream } from 'node:fs';
import { makeDirectory } from '../make-dir.js';
import { stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ChatAttachment, ChatMessage } from '../chat/model.js';
import { PermanentDeliveryError } from '../platforms/port.js';

/** The default spool folder, relative to the working directory like ./data/opsdesk.db. */
export const DEFAULT_SPOOL_DIR = './data/spool';

/** Creates the spool folder when missing and returns the path for a new file whose name ends in `suffix`. */
export async function spoolPath(dir: string, suffix: string): Promise<string> {
  await makeDirectory(dir);
  const unique = `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  return join(dir, `${unique}-${suffix.replace(/[^\p{L}\p{N}._-]/gu, '_')}`);
}

/**
 * The attachment's size in bytes. Throws PermanentDeliveryError when its spooled file is gone (it was
 * removed by hand, or the data folder was not kept): retrying could never deliver it.
 */
export async function attachmentSize(attachment: ChatAttachment): Promise<number> {
  if (attachment.file === undefined) return Buffer.byteLength(attachment.base64, 'base64');
  try {
    return (await stat(attachment.file)).size;
  } catch (error) {
    throw new PermanentDeliveryError(`spooled file missing: ${attachment.name} (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The attachment's bytes as a stream: read from its spooled file in chunks, or from its base64. */
export function openAttachment(attachment: ChatAttachment): Readable {
  return attachment.file === undefined ? Readable.from([Buffer.from(attachment.base64, 'base64')]) : createReadStream(attachment.file);
}

/** Removes a message's spooled file, if it has one; a file already gone is fine. */
export async function releaseSpooled(message: ChatMessage | undefined): Promise<void> {
  const file = message?.attachment?.file;
  if (file === undefined) return;
  await removeFile(file);
}

/** Removes one spooled file; a file already gone is fine. */
export async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The message in an outbox row's payload, or undefined when it is not readable JSON. */
export function payloadMessage(payload: string): ChatMessage | undefined {
  try {
    return JSON.parse(payload) as ChatMessage;
  } catch {
    return undefined;
  }
}

/**
 * The spool folder for a database: `spool` next to the SQLite file (./data/spool for the default
 * ./data/opsdesk.db), DEFAULT_SPOOL_DIR for PostgreSQL or an in-memory SQLite; always absolute, so
 * that an outbox row names the same file whatever the working directory of the process that sends it.
 */
export function spoolDirFor(kind: 'sqlite' | 'postgres', database: unknown): string {
  return resolve(kind === 'sqlite' && typeof database === 'string' && database !== ':memory:' ? join(dirname(database), 'spool') : DEFAULT_SPOOL_DIR);
}
