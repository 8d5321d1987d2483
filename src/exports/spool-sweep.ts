// Spooled export files whose message was never queued: the process stopped between writing the file
// and committing the transaction that queues it (a failed transaction removes its files itself).
// Nothing would ever send or remove them, so the start-up removes them.
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { OutboxMessage } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { payloadMessage, removeFile } from '../outbox/spool.js';

/** Files younger than this may belong to an export another process is queuing right now (ms). */
export const SPOOL_ORPHAN_AGE_MS = 60 * 60_000;

/**
 * Removes files in `dir` that no pending outbox message names and that are older than `minAgeMs` by
 * their modification time (wall clock); returns how many were removed. A missing folder is fine.
 */
export async function sweepSpool(store: Store, dir: string, minAgeMs = SPOOL_ORPHAN_AGE_MS, nowMs = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  if (names.length === 0) return 0;
  const pending = await store.manager
    .createQueryBuilder(OutboxMessage, 'o')
    .select(['o.id', 'o.payload'])
    .where('o.status = :status AND o.payload LIKE :file', { status: 'pending', file: '%"file":%' })
    .getMany();
  const named = new Set(pending.map((row) => payloadMessage(row.payload)?.attachment?.file).flatMap((file) => (file ? [basename(file)] : [])));
  let removed = 0;
  for (const name of names) {
    if (named.has(name)) continue;
    const path = join(dir, name);
    const info = await stat(path);
    if (!info.isFile() || nowMs - info.mtimeMs < minAgeMs) continue;
    await removeFile(path);
    removed += 1;
  }
  return removed;
}
