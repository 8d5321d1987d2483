import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import type { ExportKind } from './tables.js';
import type { ExportService } from './service.js';
import { appendAudit } from '../audit/chain.js';
import type { ChatMessage, ChatTarget, Platform } from '../chat/model.js';
import { InvalidInputError } from '../errors.js';
import { enqueue } from '../outbox/outbox.js';
import { removeFile } from '../outbox/spool.js';
import { DISCORD_LIMITS } from '../platforms/discord/limits.js';
import { SLACK_LIMITS } from '../platforms/slack/limits.js';
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

export interface SentExport {
  name: string;
  rows: number;
  bytes: number;
  /** Files sent: more than one when the export is larger than the platform takes in one file. */
  parts: number;
}

/** One file of an export, for its comment. */
export interface ExportFile {
  name: string;
  rows: number;
  /** 1-based; `parts` is how many files the export has. */
  part: number;
  parts: number;
}

/**
 * The largest file each platform takes (Slack 1 GB, Discord 25 MiB for a bot without boosts:
 * PLATFORM-FACTS.md); the terminal writes files of any size.
 */
const FILE_LIMITS: Record<Platform, number> = { slack: SLACK_LIMITS.fileBytes, discord: DISCORD_LIMITS.attachmentBytes, shell: Number.POSITIVE_INFINITY };

/**
 * Writes the CSV into the outbox spool in batches (never the whole export in memory) and queues it
 * as attachments to `target` (the person's own DM) in one transaction with an audit entry
 * (`records.exported`), then tells the dispatcher; the dispatcher streams each file to the platform
 * and removes it once delivered. An export larger than the platform's file limit goes as several
 * CSV files, each whole. `text(file)` is each file's comment. Throws ForbiddenError or
 * InvalidInputError (nothing written then).
 */
export async function sendCsvExport(
  exports: ExportService,
  actor: Actor,
  input: { kind: ExportKind; from?: string | undefined; to?: string | undefined; target: ChatTarget },
  text: (file: ExportFile) => string,
): Promise<SentExport> {
  const deps = exports;
  deps.assertAllowed(actor, input.kind);
  const from = parseDay(input.from, deps.timeZone);
  const to = parseDay(input.to, deps.timeZone, true);
  const now = DateTime.fromJSDate(deps.clock.now(), { zone: deps.timeZone });
  // Without TO the range ends with today (the file is named so): a FROM after today is as backwards
  // as an explicit TO before FROM.
  const end = to ?? now.startOf('day').plus({ days: 1 }).toJSDate();
  if (from && from >= end) throw new InvalidInputError('exports.error.range');
  const today = now.toISODate() ?? 'today';
  const base = `${input.kind}-${input.from ?? 'start'}-to-${input.to ?? today}`;
  const parts = await deps.spoolCsv(input.kind, { from, to }, `${base}.csv`, FILE_LIMITS[input.target.platform]);
  const rows = parts.reduce((sum, p) => sum + p.rows, 0);
  const messages = parts.map((part, i): ChatMessage => {
    const name = parts.length === 1 ? `${base}.csv` : `${base}-part${i + 1}.csv`;
    const comment = text({ name, rows: part.rows, part: i + 1, parts: parts.length });
    return { fallback: comment, body: comment, attachment: { name, mimeType: 'text/csv; charset=utf-8', file: resolve(part.path), title: name } };
  });
  try {
    await deps.store.transaction(async (manager) => {
      const now = deps.clock.now();
      await appendAudit(manager, now, { actor, action: 'records.exported', recordType: 'export', recordId: input.kind, before: null, after: { rows, from: input.from ?? null, to: input.to ?? null } });
      await enqueue(manager, now, messages.map((message) => ({ target: input.target, message })));
    });
  } catch (error) {
    // Nothing was queued: the files would never be sent or removed.
    for (const part of parts) await removeFile(part.path);
    throw error;
  }
  deps.onOutbox?.();
  return { name: `${base}.csv`, rows, bytes: parts.reduce((sum, p) => sum + p.bytes, 0), parts: parts.length };
}
