import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { claimDue } from '../../src/outbox/claims.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { enqueue, type OutgoingMessage } from '../../src/outbox/outbox.js';
import type { Deliverer, DeliveryIdentity, PostedRef } from '../../src/platforms/port.js';
import { OutboxMessage } from '../../src/store/entities/index.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore } from '../helpers/db.js';

// A replica killed (SIGKILL) while holding claims: its rows wait for the claim to lapse. Later rows
// of the same conversation used to be delivered meanwhile by the surviving or restarted process,
// ahead of the earlier ones. On both databases (TEST_DATABASE).

const T0 = new Date('2026-03-02T09:00:00.000Z');
const TTL_MS = 60_000;

function channel(id: string): ChatTarget {
  return { platform: 'slack', kind: 'channel', id };
}

class Recording implements Deliverer {
  readonly platform = 'slack' as const;
  readonly posts: { text: string; maybeSent: boolean | undefined }[] = [];

  async post(to: ChatTarget, message: ChatMessage, identity?: DeliveryIdentity): Promise<PostedRef> {
    this.posts.push({ text: message.fallback, maybeSent: identity?.maybeSent });
    return { channelId: to.id, messageId: `m${this.posts.length}` };
  }

  async update(): Promise<void> {}
}

async function byText(store: Store): Promise<Map<string, OutboxMessage>> {
  const rows = await store.transaction((manager) => manager.find(OutboxMessage, { order: { id: 'ASC' } }));
  return new Map(rows.map((r) => [(JSON.parse(r.payload) as ChatMessage).fallback, r]));
}

describe('outbox claims: a conversation waits for the rows a dead replica holds', () => {
  it('does not claim later rows of a target while an earlier one is claimed by another holder; takes them in order once that claim lapses', async () => {
    const store = await openTestStore();
    const clock = new ManualClock(T0);
    const send = (messages: OutgoingMessage[]) => store.transaction((manager) => enqueue(manager, clock.now(), messages));
    await send([{ target: channel('C-x'), message: { fallback: 'x1' } }]);
    // The replica that is then killed claimed x1 and never said what became of it.
    const dead = await claimDue(store, { holder: 'proc-dead', now: clock.now(), ttlMs: TTL_MS, limit: 10, platforms: ['slack'] });
    expect(dead).toHaveLength(1);
    await send([
      { target: channel('C-x'), message: { fallback: 'x2' } },
      { target: channel('C-y'), message: { fallback: 'y1' } },
      { target: channel('C-x'), message: { fallback: 'x3' }, key: 'fault:1:card' },
    ]);

    const slack = new Recording();
    const restarted = new OutboxDispatcher({ store, deliverers: new Map([['slack', slack]]), clock, logger: createLogger('silent'), metrics: new Metrics(), holder: 'proc-new', claimTtlMs: TTL_MS });
    clock.advance(TTL_MS - 1);
    // Only the other conversation goes out; x2 and x3 are not even claimed (no mark of an attempt).
    expect(await restarted.runOnce()).toBe(1);
    expect(slack.posts.map((p) => p.text)).toEqual(['y1']);
    const waiting = await byText(store);
    for (const t of ['x2', 'x3']) expect(waiting.get(t)).toMatchObject({ status: 'pending', attempts: 0, claimedBy: null });
    expect(waiting.get('x1')).toMatchObject({ status: 'pending', claimedBy: 'proc-dead' });

    clock.advance(1);
    expect(await restarted.runOnce()).toBe(3);
    // x1 first, looked up first as maybe posted by the dead replica; then the rest in order.
    expect(slack.posts).toEqual([
      { text: 'y1', maybeSent: false },
      { text: 'x1', maybeSent: true },
      { text: 'x2', maybeSent: false },
      { text: 'x3', maybeSent: false },
    ]);
    expect([...(await byText(store)).values()].map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it("lets the holder of a target's earlier row claim its later rows, and no other holder", async () => {
    const store = await openTestStore();
    const clock = new ManualClock(T0);
    const send = (messages: OutgoingMessage[]) => store.transaction((manager) => enqueue(manager, clock.now(), messages));
    await send([
      { target: channel('C-x'), message: { fallback: 'x1' } },
      { target: channel('C-z'), message: { fallback: 'z1' } },
    ]);
    await claimDue(store, { holder: 'proc-a', now: clock.now(), ttlMs: TTL_MS, limit: 1, platforms: ['slack'] });
    await send([{ target: channel('C-x'), message: { fallback: 'x2' } }]);
    const texts = (claimed: Awaited<ReturnType<typeof claimDue>>) => claimed.map((c) => (JSON.parse(c.row.payload) as ChatMessage).fallback);
    expect(texts(await claimDue(store, { holder: 'proc-b', now: clock.now(), ttlMs: TTL_MS, limit: 10, platforms: ['slack'] }))).toEqual(['z1']);
    // proc-a's own later row is its to claim: its dispatcher keeps its lanes in order itself.
    expect(texts(await claimDue(store, { holder: 'proc-a', now: clock.now(), ttlMs: TTL_MS, limit: 10, platforms: ['slack'] }))).toEqual(['x2']);
  });
});
