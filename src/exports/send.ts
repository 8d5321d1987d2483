import { Writable } from 'node:stream';
import { DateTime } from 'luxon';
import type { ExportKind } from './tables.js';
import type { ExportService } from './service.js';
import { appendAudit } from '../audit/chain.js';
import type { ChatMessage, ChatTarget } from '../chat/model.js';
import { InvalidInputError } from '../errors.js';
import { enqueue } from '../outbox/outbox.js';
import type { Actor } from '../people/actor.js';

/** A day `YYYY-MM-DD` in `zone` to its first instant (UTC); `end` gives the first instant of the next day. */
export function parseDay(text: string | undefined, zone: string, end = false): Date | undefined {
  if (!text) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone }) : undefined;
  if (!day?.isValid) throw new InvalidInputError('exports.error.day', { value: text.slice(0, 20) });
  return (end ? day.plus({ days: 1 }) : day).startOf('day').toJSDate();
}

/**
 * Queues one file to `target` (the person's DM) with an audit entry (`records.exported`), in one
 * transaction, and tells the dispatcher.
 */
export async function sendFile(exports: ExportService, actor: Actor, target: ChatTarget, file: { name: string; mimeType: string; bytes: Buffer; comment: string; recordId: string }): Promise<void> {
  const message: ChatMessage = { fallback: file.comment, body: file.comment, attachment: { name: file.name, mimeType: file.mimeType, base64: file.bytes.toString('base64'), title: file.name } };
  await exports.store.transaction(async (manager) => {
    const now = exports.clock.now();
    await appendAudit(manager, now, { actor, action: 'records.exported', recordType: 'export', recordId: file.recordId, before: null, after: { name: file.name } });
    await enqueue(manager, now, [{ target, message }]);
  });
  exports.onOutbox?.();
}

/** Collects a stream into memory: the chat platforms take a file in one piece. */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
}

export interface SentExport {
  name: string;
  rows: number;
  bytes: number;
}

/**
 * Builds the CSV and queues it as an attachment to `target` (the person's own DM) in one transaction
 * with an audit entry (`records.exported`), then tells the dispatcher. `text(name, rows)` is the comment.
 */
export async function sendCsvExport(
  exports: ExportService,
  actor: Actor,
  input: { kind: ExportKind; from?: string | undefined; to?: string | undefined; target: ChatTarget },
  text: (name: string, rows: number) => string,
): Promise<SentExport> {
  const deps = exports;
  deps.assertAllowed(actor, input.kind);
  const from = parseDay(input.from, deps.timeZone);
  const to = parseDay(input.to, deps.timeZone, true);
  if (from && to && from >= to) throw new InvalidInputError('exports.error.range');
  const collector = new Collector();
  const rows = await deps.writeCsv(input.kind, { from, to }, collector);
  const bytes = Buffer.concat(collector.chunks);
  const today = DateTime.fromJSDate(deps.clock.now(), { zone: deps.timeZone }).toISODate() ?? 'today';
  const name = `${input.kind}-${input.from ?? 'start'}-to-${input.to ?? today}.csv`;
  const comment = text(name, rows);
  const message: ChatMessage = { fallback: comment, body: comment, attachment: { name, mimeType: 'text/csv; charset=utf-8', base64: bytes.toString('base64'), title: name } };
  await deps.store.transaction(async (manager) => {
    const now = deps.clock.now();
    await appendAudit(manager, now, { actor, action: 'records.exported', recordType: 'export', recordId: input.kind, before: null, after: { rows, from: input.from ?? null, to: input.to ?? null } });
    await enqueue(manager, now, [{ target: input.target, message }]);
  });
  deps.onOutbox?.();
  return { name, rows, bytes: bytes.length };
}
