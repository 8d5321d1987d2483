import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { enqueue, type OutgoingMessage } from '../../src/outbox/outbox.js';
import { RateLimitedError, type Deliverer, type PostedRef } from '../../src/platforms/port.js';
import { openDatabase } from '../../src/store/data-source.js';
import { MessageRef, OutboxMessage } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const channel: ChatTarget = { platform: 'slack', kind: 'channel', id: 'C1' };

/** The one "platform" both processes talk to: every accepted call, in order, and who made it. */
class SharedPlatform {
  readonly log: string[] = [];
  readonly by = new Map<string, number>();
  /** Answers 429 (Retry-After in seconds) to the next calls, in order. */
  readonly limits: number[] = [];
  calls = 0;
  private next = 0;

  deliverer(who: string): Deliverer {
    const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));
    const accept = (entry: string): void => {
      this.log.push(entry);
      this.by.set(who, (this.by.get(who) ?? 0) + 1);
    };
    const limit = (): void => {
      this.calls += 1;
      const retryAfter = this.limits.shift();
      if (retryAfter !== undefined) throw new RateLimitedError(retryAfter);
    };
    return {
      platform: 'slack',
      post: async (target: ChatTarget, message: ChatMessage): Promise<PostedRef> => {
        await pause();
        limit();
        accept(`post ${message.fallback}`);
        this.next += 1;
        return { channelId: target.id, messageId: `ts-${this.next}` };
      },
      update: async (ref: PostedRef, message: ChatMessage): Promise<void> => {
        await pause();
        limit();
        accept(`update ${ref.messageId} ${message.fallback}`);
      },
    };
  }
}

describe('outbox dispatch on PostgreSQL', () => {
  const stores: Store[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    for (let i = 0; i < 2; i++) stores.push(new Store(await openDatabase(POSTGRES_URL, { schema: created.schema }), POSTGRES_URL));
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await drop?.();
  });

  const make = (store: Store, clock: ManualClock, platform: SharedPlatform, holder: string, batchSize = 50): OutboxDispatcher =>
    new OutboxDispatcher({
      store,
      deliverers: new Map([['slack', platform.deliverer(holder)]]),
      clock,
      logger: createLogger('silent'),
      metrics: new Metrics(),
      holder,
      batchSize,
    });
  const send = (store: Store, clock: ManualClock, messages: OutgoingMessage[]): Promise<void> =>
    store.transaction((manager) => enqueue(manager, clock.now(), messages));
  const clear = (store: Store): Promise<void> =>
    store.transaction(async (m) => {
      await m.clear(MessageRef);
      await m.createQueryBuilder().delete().from(OutboxMessage).execute();
    });

  it('delivers each message exactly once from two concurrent dispatchers, keyed ones edited in place', async () => {
    const [storeA, storeB] = stores as [Store, Store];
    await clear(storeA);
    const clock = new ManualClock(T0);
    const platform = new SharedPlatform();
    const a = make(storeA, clock, platform, 'proc-a');
    const b = make(storeB, clock, platform, 'proc-b');

    await send(storeA, clock, [
      { target: channel, message: { fallback: 'one' } },
      { target: channel, message: { fallback: 'card v1' }, key: 'fault:1:announcement' },
    ]);
    await Promise.all([a.runOnce(), b.runOnce(), b.runOnce(), a.runOnce()]);
    await send(storeB, clock, [
      { target: channel, message: { fallback: 'two' } },
      { target: channel, message: { fallback: 'card v2' }, key: 'fault:1:announcement' },
      { target: channel, message: { fallback: 'card v3' }, key: 'fault:1:announcement' },
    ]);
    await Promise.all([b.runOnce(), a.runOnce(), a.runOnce(), b.runOnce()]);

    const cardTs = platform.log.indexOf('post one') < platform.log.indexOf('post card v1') ? 'ts-2' : 'ts-1';
    expect([...platform.log].sort()).toEqual(['post card v1', 'post one', 'post two', `update ${cardTs} card v3`].sort());
    const statuses = await storeA.transaction((m) => m.find(OutboxMessage, { order: { id: 'ASC' } }));
    expect(statuses.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'superseded', 'sent']);
    expect(await storeA.transaction((m) => m.count(MessageRef))).toBe(1);
  });

  it('shares the work: rows claimed with FOR UPDATE SKIP LOCKED, both dispatchers deliver, every message once', async () => {
    const [storeA, storeB] = stores as [Store, Store];
    await clear(storeA);
    const clock = new ManualClock(T0);
    const platform = new SharedPlatform();
    const a = make(storeA, clock, platform, 'proc-a', 3);
    const b = make(storeB, clock, platform, 'proc-b', 3);
    const messages: OutgoingMessage[] = Array.from({ length: 40 }, (_, i) => ({ target: channel, message: { fallback: `m${i}` } }));
    await send(storeA, clock, messages);

    const drain = async (d: OutboxDispatcher): Promise<void> => {
      for (let pass = 0; pass < 40; pass++) await d.runOnce();
    };
    await Promise.all([drain(a), drain(b)]);

    expect([...platform.log].sort()).toEqual(messages.map((m) => `post ${m.message.fallback}`).sort());
    expect(platform.by.get('proc-a')).toBeGreaterThan(0);
    expect(platform.by.get('proc-b')).toBeGreaterThan(0);
    const rows = await storeB.transaction((m) => m.find(OutboxMessage));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(new Set(rows.map((r) => r.claimedBy))).toEqual(new Set(['proc-a', 'proc-b']));
  });

  it('stores a 429 pause that the other dispatcher honours too, then both resume', async () => {
    const [storeA, storeB] = stores as [Store, Store];
    await clear(storeA);
    const clock = new ManualClock(T0);
    const platform = new SharedPlatform();
    const a = make(storeA, clock, platform, 'proc-a');
    const b = make(storeB, clock, platform, 'proc-b');
    await send(storeA, clock, [{ target: channel, message: { fallback: 'first' } }]);
    platform.limits.push(7);
    expect(await a.runOnce()).toBe(0); // Retry-After: 7
    expect(platform.calls).toBe(1);

    await send(storeB, clock, [
      { target: channel, message: { fallback: 'second' } },
      { target: channel, message: { fallback: 'third' } },
    ]);
    // proc-b was never told about the 429, yet keeps away from the platform for the 7 s.
    expect(await b.runOnce()).toBe(0);
    clock.advance(6_999);
    expect(await Promise.all([b.runOnce(), a.runOnce()])).toEqual([0, 0]);
    expect(platform.calls).toBe(1);

    clock.advance(1);
    const delivered = await Promise.all([b.runOnce(), a.runOnce()]);
    expect(delivered[0] + delivered[1]).toBe(3);
    expect([...platform.log].sort()).toEqual(['post first', 'post second', 'post third']);
  });
});
