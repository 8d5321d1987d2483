import type { EntityManager } from 'typeorm';
import type { ChatMessage, ChatTarget } from '../chat/model.js';
import { OutboxMessage } from '../store/entities/index.js';

export interface OutgoingMessage {
  target: ChatTarget;
  message: ChatMessage;
  /** Names a message that is edited in place on later changes, e.g. `fault:4:announcement`. */
  key?: string;
}

/**
 * Stores messages for delivery inside the caller's transaction, so that a message exists exactly
 * when the change it reports was committed.
 */
export async function enqueue(manager: EntityManager, now: Date, messages: OutgoingMessage[], options: { notBefore?: Date } = {}): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map((m) =>
    manager.create(OutboxMessage, {
      platform: m.target.platform,
      targetKind: m.target.kind,
      targetId: m.target.id,
      messageKey: m.key ?? null,
      payload: JSON.stringify(m.message),
      status: 'pending',
      attempts: 0,
      // A later start coalesces edits: the dispatcher delivers only the newest pending version of a key.
      nextAttemptAt: options.notBefore && options.notBefore > now ? options.notBefore : now,
      lastError: null,
      createdAt: now,
      sentAt: null,
    }),
  );
  await manager.save(OutboxMessage, rows);
}
