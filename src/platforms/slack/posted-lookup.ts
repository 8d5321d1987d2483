// Finds a message the outbox may already have posted, by the metadata it posts every message with:
// after a crash between chat.postMessage and marking the row sent, the row is looked up in the
// conversation's recent history before it is posted again.
import type { WebClient } from '@slack/web-api';
import type { DeliveryIdentity } from '../port.js';

/** `metadata.event_type` of every message the outbox posts. */
export const OUTBOX_EVENT_TYPE = 'opsdesk_outbox';

/** Pages of history read at most (200 messages each) before concluding the message is not there. */
const MAX_PAGES = 5;
const PAGE_SIZE = 200;

/** The `metadata` argument of chat.postMessage for one outbox message. */
export function outboxMetadata(identity: DeliveryIdentity): { event_type: string; event_payload: { delivery_id: string } } {
  return { event_type: OUTBOX_EVENT_TYPE, event_payload: { delivery_id: identity.id } };
}

function carries(message: { metadata?: { event_type?: string; event_payload?: unknown } }, deliveryId: string): boolean {
  const metadata = message.metadata;
  if (metadata?.event_type !== OUTBOX_EVENT_TYPE) return false;
  const payload = metadata.event_payload;
  return typeof payload === 'object' && payload !== null && (payload as Record<string, unknown>).delivery_id === deliveryId;
}

/**
 * The ts of the message in `channel` posted since `identity.since` that carries `identity.id` in its
 * metadata, or undefined. Uses conversations.history with `include_all_metadata` (Tier 3; needs the
 * `channels:history`, `groups:history`, `im:history` or `mpim:history` scope of the conversation).
 * Throws the Web API's errors.
 */
export async function findPosted(client: WebClient, channel: string, identity: DeliveryIdentity): Promise<string | undefined> {
  // A second of slack for clocks that disagree: Slack's ts is Slack's clock, `since` is ours.
  const oldest = String(Math.max(0, Math.floor(identity.since.getTime() / 1000) - 1));
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const history = await client.conversations.history({
      channel,
      oldest,
      limit: PAGE_SIZE,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    });
    const found = (history.messages ?? []).find((m) => carries(m, identity.id));
    if (found?.ts) return found.ts;
    cursor = history.response_metadata?.next_cursor;
    if (!history.has_more || !cursor) return undefined;
  }
  return undefined;
}
