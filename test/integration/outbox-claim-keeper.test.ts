import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { DELIVERY_CONCURRENCY, OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { enqueue } from '../../src/outbox/outbox.js';
import type { Deliverer, PostedRef } from '../../src/platforms/port.js';
import { OutboxMessage } from '../../src/store/entities/index.js';
import { openTestStore } from '../helpers/db.js';

// A platform call that outlasts the claim made for it (a report's file upload on a busy start-up, with
// OUTBOX_CLAIM_SECONDS at its minimum): another replica used to take the row over while the first
// call was still going, and post it a second time (CI saw a weekly report uploaded twice by three
// replicas); a row waiting for a lane behind slow calls was taken over too (QA). The holder now
// renews the claims of its pass while the pass runs. On both databases.

const T0 = new Date('2026-03-02T09:00:00.000Z');
/** Short, so that the renewal (every third of it, in real time) happens within the test. */
const TTL_MS = 300;

/** A Slack whose posts wait until the test lets them finish, recording who posted what. */
class Gated implements Deliverer {
  readonly platform = 'slack' as const;
  readonly posts: string[] = [];
  private release: (() => void) | undefined;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  /** Posts begun (some may still wait at the gate). */
  calls = 0;

  constructor(private readonly name: string) {}

  async post(to: ChatTarget, message: ChatMessage): Promise<PostedRef> {
    this.calls += 1;
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
  it('keeps the claims of a live holder whose calls outlast them, in flight and waiting for a lane, so that another replica posts nothing again', async () => {
    const store = await openTestStore();
    const clock = new ManualClock(T0);
    // One more target than the lanes of a pass: four calls hang, the fifth row waits for a lane.
    const targets = Array.from({ length: DELIVERY_CONCURRENCY + 1 }, (_, i) => `C-${i}`);
    await store.transaction((manager) => enqueue(manager, clock.now(), targets.map((id) => ({ target: { platform: 'slack', kind: 'channel', id }, message: { fallback: `report for ${id}` } }))));
    const slowSlack = new Gated('replica-a');
    const otherSlack = new Gated('replica-b');
    otherSlack.finish();
    const dispatcher = (holder: string, slack: Deliverer) =>
      new OutboxDispatcher({ store, deliverers: new Map([['slack', slack]]), clock, logger: createLogger('silent'), metrics: new Metrics(), holder, claimTtlMs: TTL_MS });
    const a = dispatcher('replica-a', slowSlack);
    const b = dispatcher('replica-b', otherSlack);

    const passA = a.runOnce();
    while (slowSlack.calls < DELIVERY_CONCURRENCY) await new Promise((resolve) => setTimeout(resolve, 10));
    // The calls go on past the claims A made at T0…
    clock.advance(3 * TTL_MS);
    // …while A renews them (every TTL_MS / 3, in real time).
    await new Promise((resolve) => setTimeout(resolve, TTL_MS));
    expect(await b.runOnce()).toBe(0);
    expect(otherSlack.posts).toEqual([]);

    slowSlack.finish();
    expect(await passA).toBe(targets.length);
    expect(slowSlack.posts.sort()).toEqual(targets.map((id) => `replica-a: report for ${id}`).sort());
    const rows = await store.transaction((manager) => manager.find(OutboxMessage));
    expect(rows.map((r) => r.status)).toEqual(targets.map(() => 'sent'));
    // A dead holder's claims are not renewed and lapse as before (outbox-claim-order.test.ts, the replica tests).
  });
});
