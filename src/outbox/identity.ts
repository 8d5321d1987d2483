import { createHash } from 'node:crypto';
import type { OutboxMessage } from '../store/entities/index.js';

/**
 * The delivery id of an outbox row (at most 25 characters, Discord's nonce limit): `o<row id>` for a
 * one-off message; for a keyed message, `k` and a hash of (key, platform, target), the same for every
 * version of it, since a keyed message is posted once and edited after that.
 */
export function deliveryIdOf(row: Pick<OutboxMessage, 'id' | 'messageKey' | 'platform' | 'targetId'>): string {
  if (row.messageKey === null) return `o${row.id}`;
  const digest = createHash('sha256').update(`${row.messageKey}\n${row.platform}\n${row.targetId}`).digest('base64url');
  return `k${digest.slice(0, 24)}`;
}
