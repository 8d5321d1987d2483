import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { enqueue, type OutgoingMessage } from '../../src/outbox/outbox.js';
import type { Deliverer, PostedRef } from '../../src/platforms/port.js';
import { openDatabase } from '../../src/store/data-source.js';
import { MessageRef, OutboxMessage } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const channel: ChatTarget = { platform: 'slack', kind: 'channel', id: 'C1' };

/** Records every accepted call into one shared list (the "platform" both processes talk to). */
function recordingSlack(log: string[]): Deliverer {
  let next = 0;
  const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));
  return {
    platform: 'slack',
    post: async (target: ChatTarget, message: ChatMessage): Promise<PostedRef> => {
      await pause();
      log.push(`post ${message.fallback}`);
      next += 1;
      return { channelId: target.id, messageId: `ts-${next}` };
    },
    update: async (ref: PostedRef, message: ChatMessage): Promise<void> => {
      await pause();
      log.push(`update ${ref.messageId} ${message.fallback}`);
    },
  };
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

  it('delivers each message exactly once from two concurrent dispatchers, keyed ones edited in place', async () => {
    const [storeA, storeB] = stores as [Store, Store];
    const clock = new ManualClock(T0);
    const log: string[] = [];
    const make = (store: Store, holder: string): OutboxDispatcher =>
      new OutboxDispatcher({
        store,
        deliverers: new Map([['slack', recordingSlack(log)]]),
        clock,
        logger: createLogger('silent'),
        metrics: new Metrics(),
        holder,
      });
    const a = make(storeA, 'proc-a');
    const b = make(storeB, 'proc-b');
    const send = (store: Store, messages: OutgoingMessage[]): Promise<void> =>
      store.transaction((manager) => enqueue(manager, clock.now(), messages));

    await send(storeA, [
      { target: channel, message: { fallback: 'one' } },
      { target: channel, message: { fallback: 'card v1' }, key: 'fault:1:announcement' },
    ]);
    await Promise.all([a.runOnce(), b.runOnce(), b.runOnce(), a.runOnce()]);
    await send(storeB, [
      { target: channel, message: { fallback: 'two' } },
      { target: channel, message: { fallback: 'card v2' }, key: 'fault:1:announcement' },
      { target: channel, message: { fallback: 'card v3' }, key: 'fault:1:announcement' },
    ]);
    clock.advance(31_000); // the first lease has run out: either may take over, never both
    await Promise.all([b.runOnce(), a.runOnce(), a.runOnce(), b.runOnce()]);

    expect([...log].sort()).toEqual(['post card v1', 'post one', 'post two', 'update ts-2 card v3'].sort());
    const statuses = await storeA.transaction((m) => m.find(OutboxMessage, { order: { id: 'ASC' } }));
    expect(statuses.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'superseded', 'sent']);
    expect(await storeA.transaction((m) => m.count(MessageRef))).toBe(1);
  });
});
