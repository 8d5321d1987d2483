// Finds a message the outbox may already have posted, by the metadata it posts every message with:
// after a crash between chat.postMessage and marking the row sent, the row is looked up in the
// conversation's recent history before it is posted again.
import type { WebClient } from '@slack/web-api';
import type { DeliveryIdentity } from '../port.js';

/** `metadata.event_type` of every message the outbox posts. */
export const OUTBOX_EVENT_TYPE = 'opsdesk_outbox';

/**
 * How far before `identity.since` the look-up starts (ms): the clock skew between replicas and Slack
 * it tolerates. `since` is a time on a replica's clock (the row's creation), while a message's `ts` is
 * on Slack's; a replica whose clock ran ahead of Slack's by more than this margin would look only
 * after the message it posted, miss it, and post it again. Five minutes is far beyond what NTP keeps
 * (milliseconds) and what docs/deploy.md asks of the replicas, and at Slack's posting limit of about
 * one message per second per channel (PLATFORM-FACTS.md) adds at most ~300 of the bot's messages,
 * two pages of history.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

/**
 * Pages of history read at most before concluding the message is not there: conversations.history
 * returns newest first, `limit` per page (Slack allows up to 999 and recommends no more than 200) and
 * a `next_cursor` for the next page while `has_more`. 5 x 200 messages covers the skew margin above
 * and the time since the row was created on a busy channel, in at most five Tier 3 calls.
 */
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
 * The ts of the message in `channel` posted since `identity.since` (less CLOCK_SKEW_TOLERANCE_MS)
 * that carries `identity.id` in its metadata, or undefined. Uses conversations.history with `include_all_metadata` (Tier 3; needs the
 * `channels:history`, `groups:history`, `im:history` or `mpim:history` scope of the conversation).
 * Throws the Web API's errors.
 */
export async function findPosted(client: WebClient, channel: string, identity: DeliveryIdentity): Promise<string | undefined> {
  // Slack's ts is Slack's clock, `since` is ours: start early enough for clocks that disagree.
  const oldest = String(Math.max(0, Math.floor((identity.since.getTime() - CLOCK_SKEW_TOLERANCE_MS) / 1000)));
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
