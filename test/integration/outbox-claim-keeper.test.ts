import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { enqueue } from '../../src/outbox/outbox.js';
import type { Deliverer, PostedRef } from '../../src/platforms/port.js';
import { OutboxMessage } from '../../src/store/entities/index.js';
import { openTestStore } from '../helpers/db.js';

// A platform call that outlasts the claim made for it (a report's file upload on a busy start-up, with
// OUTBOX_CLAIM_SECONDS at its minimum): another replica used to take the row over while the first
// call was still going, and post it a second time (CI saw a weekly report uploaded twice by three
// replicas). The holder now renews its claim while the call is in flight. On both databases.

const T0 = new Date('2026-03-02T09:00:00.000Z');
/** Short, so that the renewal (every third of it, in real time) happens within the test. */
const TTL_MS = 300;

/** A Slack whose posts wait until the test lets them finish, recording who posted what. */
class Gated implements Deliverer {
  readonly platform = 'slack' as const;
  readonly posts: string[] = [];
  private release: (() => void) | undefined;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  started = false;

  constructor(private readonly name: string) {}

  async post(to: ChatTarget, message: ChatMessage): Promise<PostedRef> {
    this.started = true;
    await this.gate;
    this.posts.push(`${this.name}: ${message.fallback}`);
    return { channelId: to.id, messageId: `${this.name}-1` };
  }

  async update(): Promise<void> {}

  finish(): void {
    this.release?.();
  }
}

describe('outbox claims during a long platform call', () => {
  it('keeps the claim of a live holder whose call outlasts it, so that another replica does not post the row again', async () => {
    const store = await openTestStore();
    const clock = new ManualClock(T0);
    await store.transaction((manager) => enqueue(manager, clock.now(), [{ target: { platform: 'slack', kind: 'channel', id: 'C-mgmt' }, message: { fallback: 'weekly report' } }]));
    const slowSlack = new Gated('replica-a');
    const otherSlack = new Gated('replica-b');
    otherSlack.finish();
    const dispatcher = (holder: string, slack: Deliverer) =>
      new OutboxDispatcher({ store, deliverers: new Map([['slack', slack]]), clock, logger: createLogger('silent'), metrics: new Metrics(), holder, claimTtlMs: TTL_MS });
    const a = dispatcher('replica-a', slowSlack);
    const b = dispatcher('replica-b', otherSlack);

    const passA = a.runOnce();
    while (!slowSlack.started) await new Promise((resolve) => setTimeout(resolve, 10));
    // The call goes on past the claim A made at T0…
    clock.advance(3 * TTL_MS);
    // …while A renews it (every TTL_MS / 3, in real time).
    await new Promise((resolve) => setTimeout(resolve, TTL_MS));
    expect(await b.runOnce()).toBe(0);
    expect(otherSlack.posts).toEqual([]);

    slowSlack.finish();
    expect(await passA).toBe(1);
    expect(slowSlack.posts).toEqual(['replica-a: weekly report']);
    const [row] = await store.transaction((manager) => manager.find(OutboxMessage));
    expect(row?.status).toBe('sent');

    // A dead holder's claim is not renewed and lapses as before (outbox-claim-order.test.ts, the replica tests).
  });
});
