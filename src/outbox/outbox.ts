import type { EntityManager } from 'typeorm';
import type { ChatMessage, ChatTarget } from '../chat/model.js';
import { OutboxMessage } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';

export interface OutgoingMessage {
  target: ChatTarget;
  message: ChatMessage;
  /** Names a message that is edited in place on later changes, e.g. `fault:4:announcement`. */
  key?: string;
  /** The record the message is about (or ONCALL_NOTICE); defaults to the one given to `enqueue`. */
  record?: RecordRef<string>;
  /** Not delivered before then (a coalesced Home refresh, a monitoring card edit); default: at once. */
  notBefore?: Date;
}

/**
 * The kind an on-call hand-off DM is stored with (its id: the person going on call). It is no record,
 * but a person who cannot be told they are on call must not be missed: such a DM falls back to the
 * fault channel (src/outbox/fallbacks.ts).
 */
export const ONCALL_NOTICE = 'oncall';

/** Record kinds whose messages fall back to the record's channel when a DM cannot be delivered. */
export const RECORD_KINDS = ['fault', 'request', 'change'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Prefix of `outbox.last_error` on a DM marked dead because its person cannot be reached. */
export const UNREACHABLE_ERROR_PREFIX = 'unreachable: ';

/** A record by kind and number: `{ kind: 'fault', id: 4 }` is INC-4. */
export interface RecordRef<K extends string = RecordKind> {
  kind: K;
  id: number;
}

/**
 * Stores messages for delivery inside the caller's transaction, so that a message exists exactly
 * when the change it reports was committed. `record` names what the messages are about (each
 * message's own `record` wins): a DM that cannot be delivered then falls back to its channel.
 * Each row is one fixed INSERT (src/store/plain-sql.ts): every change of a record queues some.
 * `record` may be of any kind the record kernel knows (`RecordRef<string>`); only the kinds in
 * RECORD_KINDS have a channel to fall back to. A message's `notBefore` delays it; for a keyed
 * message (an edited card) the dispatcher then delivers only the newest pending version.
 */
export async function enqueue(manager: EntityManager, now: Date, messages: OutgoingMessage[], record?: RecordRef<string>): Promise<void> {
  if (messages.length === 0) return;
  const sql = PlainSql.of(manager);
  const rows = messages.map(
    (m): Partial<OutboxMessage> => ({
      recordKind: (m.record ?? record)?.kind ?? null,
      recordId: (m.record ?? record)?.id ?? null,
      platform: m.target.platform,
      targetKind: m.target.kind,
      targetId: m.target.id,
      messageKey: m.key ?? null,
      payload: JSON.stringify(m.message),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: m.notBefore ?? now,
      lastError: null,
      createdAt: now,
      sentAt: null,
    }),
  );
  for (const row of rows) await sql.insert(manager, OutboxMessage, row);
}
