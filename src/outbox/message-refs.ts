// Where a message edited in place (a card) was posted, per key and target: the outbox edits it there.
import type { EntityManager } from 'typeorm';
import type { PostedRef } from '../platforms/port.js';
import { MessageRef, type OutboxMessage } from '../store/entities/index.js';

/** Forgets where the row's keyed message was posted (it was deleted): the next delivery posts it anew. */
export async function forgetRef(manager: EntityManager, row: OutboxMessage): Promise<void> {
  await manager.delete(MessageRef, { messageKey: row.messageKey, platform: row.platform, targetId: row.targetId });
}

/** Records (or moves) where the row's message with `key` was posted, at `now` (UTC). */
export async function saveRef(manager: EntityManager, row: OutboxMessage, key: string, posted: PostedRef, now: Date): Promise<void> {
  const existing = await manager.findOneBy(MessageRef, { messageKey: key, platform: row.platform, targetId: row.targetId });
  if (existing) {
    existing.channelId = posted.channelId;
    existing.messageId = posted.messageId;
    await manager.save(MessageRef, existing);
    return;
  }
  await manager.insert(MessageRef, {
    messageKey: key,
    platform: row.platform,
    targetId: row.targetId,
    channelId: posted.channelId,
    messageId: posted.messageId,
    createdAt: now,
  });
}
