import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget, Platform } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { DELIVERY_CONCURRENCY, OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { enqueue, type OutgoingMessage } from '../../src/outbox/outbox.js';
import { RateLimitedError, type Deliverer, type PostedRef } from '../../src/platforms/port.js';
import { OutboxMessage } from '../../src/store/entities/index.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore } from '../helpers/db.js';

// One slow platform call used to hold up every other message of the pass (issue #15): the
// dispatcher now delivers to different targets side by side, each target's rows still in order.

const T0 = new Date('2026-03-02T09:00:00.000Z');

function target(id: string, platform: Platform = 'slack'): ChatTarget {
  return { platform, kind: 'channel', id };
}

/** How a call to one target behaves: how long it takes (ms), then whether it throws. */
type Behaviour = (call: { target: string; text: string }) => { delayMs: number; error?: Error };

/** A platform that records its calls (start and end, ms since the test began) and how many overlap. */
class TimedDeliverer implements Deliverer {
  readonly calls: { target: string; text: string; startedMs: number; endedMs: number; ok: boolean }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private next = 0;

  constructor(
    readonly platform: Platform,
    private readonly behaviour: Behaviour,
    private readonly began: number,
  ) {}

  async post(to: ChatTarget, message: ChatMessage): Promise<PostedRef> {
    await this.call(to.id, message);
    this.next += 1;
    return { channelId: to.id, messageId: `${this.platform}-${this.next}` };
  }

  async update(ref: PostedRef, message: ChatMessage): Promise<void> {
    await this.call(ref.channelId, message);
  }

  /** Calls per target in the order they were made (their texts). */
  orderAt(id: string): string[] {
    return this.calls.filter((c) => c.target === id).map((c) => c.text);
  }

  private async call(id: string, message: ChatMessage): Promise<void> {
    const startedMs = performance.now() - this.began;
    const { delayMs, error } = this.behaviour({ target: id, text: message.fallback });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    } finally {
      this.inFlight -= 1;
    }
    this.calls.push({ target: id, text: message.fallback, startedMs, endedMs: performance.now() - this.began, ok: error === undefined });
    if (error) throw error;
  }
}

async function setUp(behaviours: Partial<Record<Platform, Behaviour>>) {
  const store = await openTestStore();
  const clock = new ManualClock(T0);
  const began = performance.now();
  const deliverers = new Map<Platform, TimedDeliverer>();
  for (const [platform, behaviour] of Object.entries(behaviours) as [Platform, Behaviour][]) deliverers.set(platform, new TimedDeliverer(platform, behaviour, began));
  const outbox = new OutboxDispatcher({ store, deliverers, clock, logger: createLogger('silent'), metrics: new Metrics(), holder: 'proc-a' });
  const send = (messages: OutgoingMessage[]) => store.transaction((manager) => enqueue(manager, clock.now(), messages));
  const slack = deliverers.get('slack');
  if (!slack) throw new Error('every test here has Slack');
  return { store, outbox, slack, deliverers, send };
}

async function rows(store: Store): Promise<OutboxMessage[]> {
  return store.transaction((manager) => manager.find(OutboxMessage, { order: { id: 'ASC' } }));
}

function text(fallback: string): ChatMessage {
  return { fallback };
}

describe('outbox dispatcher: targets side by side', () => {
  it('delivers to other targets promptly while a call to one target hangs, and stop() waits for the hanging call', async () => {
    const { outbox, slack, send, store } = await setUp({ slack: ({ text: t }) => ({ delayMs: t === 'stuck card edit' ? 2_000 : 5 }) });
    await send([
      { target: target('C-slow'), message: text('stuck card edit') },
      { target: target('C-slow'), message: text('after the stuck one') },
      { target: target('C-y'), message: text('y1') },
      { target: target('C-z'), message: text('z1') },
      { target: target('C-y'), message: text('y2') },
      { target: target('C-z'), message: text('z2') },
    ]);

    const pass = outbox.runOnce();
    await outbox.stop();
    // stop() returned only once the whole pass, the hanging call included, had finished.
    expect(slack.calls.map((c) => c.text)).toContain('after the stuck one');
    expect(await pass).toBe(6);

    const at = (t: string) => slack.calls.find((c) => c.text === t);
    // Without lanes these went out after the stuck call, ~2 s later.
    for (const t of ['y1', 'z1', 'y2', 'z2']) expect(at(t)?.endedMs).toBeLessThan(1_000);
    expect(at('stuck card edit')?.endedMs).toBeGreaterThanOrEqual(1_990);
    // The slow target's own next message waited for it.
    expect(at('after the stuck one')?.startedMs).toBeGreaterThanOrEqual(at('stuck card edit')?.endedMs ?? Infinity);
    expect((await rows(store)).map((r) => r.status)).toEqual(Array<string>(6).fill('sent'));
  });

  it("keeps each target's rows, keyed versions included, in their order while targets overlap up to the limit", async () => {
    // Varying durations, so that lanes run ahead of each other; at most DELIVERY_CONCURRENCY at once.
    let n = 0;
    const { outbox, slack, send } = await setUp({ slack: () => ({ delayMs: [30, 5, 60, 15, 0, 45][n++ % 6] ?? 0 }) });
    const targets = ['C-a', 'C-b', 'C-c', 'C-d', 'C-e', 'C-f'];
    const messages: OutgoingMessage[] = [];
    for (let i = 1; i <= 4; i++) {
      for (const id of targets) messages.push({ target: target(id), message: text(`${id} #${i}`) });
    }
    // A keyed card on C-a: its versions (one delivered, the newest) keep its place in C-a's lane.
    messages.splice(1, 0, { target: target('C-a'), key: 'fault:1:card', message: text('C-a card v1') });
    messages.push({ target: target('C-a'), key: 'fault:1:card', message: text('C-a card v2') });
    await send(messages);

    expect(await outbox.runOnce()).toBe(25);
    expect(slack.orderAt('C-a')).toEqual(['C-a #1', 'C-a card v2', 'C-a #2', 'C-a #3', 'C-a #4']);
    for (const id of targets.slice(1)) expect(slack.orderAt(id)).toEqual([1, 2, 3, 4].map((i) => `${id} #${i}`));
    // Before lanes, one call at a time.
    expect(slack.maxInFlight).toBe(DELIVERY_CONCURRENCY);
  });

  it('a 429 to one target stops the other targets of that platform from calling it, in the same pass', async () => {
    const { outbox, slack, deliverers, send, store } = await setUp({
      slack: ({ target: to, text: t }) => (to === 'C-x' ? { delayMs: 50, error: new RateLimitedError(30) } : { delayMs: t.endsWith('1') ? 200 : 5 }),
      discord: () => ({ delayMs: 5 }),
    });
    await send([
      { target: target('C-x'), message: text('x1') },
      { target: target('C-y'), message: text('y1') },
      { target: target('C-z'), message: text('z1') },
      { target: target('C-y'), message: text('y2') },
      { target: target('C-z'), message: text('z2') },
      { target: target('C-x'), message: text('x2') },
      { target: target('D-1', 'discord'), message: text('d1') },
    ]);

    // y1 and z1 were already on their way when C-x got its 429; after it nobody calls Slack again.
    expect(await outbox.runOnce()).toBe(3);
    expect(slack.calls.map((c) => [c.text, c.ok])).toEqual([
      ['x1', false],
      ['y1', true],
      ['z1', true],
    ]);
    expect(deliverers.get('discord')?.calls.map((c) => c.text)).toEqual(['d1']);
    const byText = new Map((await rows(store)).map((r) => [(JSON.parse(r.payload) as ChatMessage).fallback, r]));
    expect(byText.get('x1')).toMatchObject({ status: 'pending', attempts: 1 });
    expect(byText.get('x1')?.nextAttemptAt.toISOString()).toBe('2026-03-02T09:00:30.000Z');
    // Released, not tried: no attempt, and no mark that they may have been posted.
    for (const t of ['y2', 'z2', 'x2']) expect(byText.get(t)).toMatchObject({ status: 'pending', attempts: 0, claimedBy: null });
  });

  it('a row that was being prepared when another lane got a 429 is not sent either: the pause is checked again right before the call', async () => {
    const store = await openTestStore();
    const clock = new ManualClock(T0);
    const calls: string[] = [];
    let limit: (() => void) | undefined;
    // x1's call is answered 429 at the moment y1 passes its first check, before y1 prepares.
    const gate = new Promise<void>((resolve) => (limit = resolve));
    const fallback = setTimeout(() => limit?.(), 3_000);
    const slack: Deliverer = {
      platform: 'slack',
      async post(to: ChatTarget, message: ChatMessage): Promise<PostedRef> {
        if (to.id === 'C-x') {
          await gate;
          calls.push(`${message.fallback}: 429`);
          throw new RateLimitedError(30);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        calls.push(message.fallback);
        return { channelId: to.id, messageId: message.fallback };
      },
      async update(): Promise<void> {},
    };
    let triggered = false;
    // The transaction that holds the database while y1 prepares; awaited before the test ends, since
    // on PostgreSQL nothing else waits for it and closing the store under it fails its commit.
    let holding: Promise<unknown> = Promise.resolve();
    const ready = (): boolean => {
      if (calls.includes('y0') && !triggered) {
        // y1's first check: the 429 comes now, while y1 prepares (its claim renewal and version
        // check wait for this transaction on SQLite, for the database's answer on PostgreSQL).
        triggered = true;
        limit?.();
        holding = store.transaction(() => new Promise((resolve) => setTimeout(resolve, 50)));
      }
      return true;
    };
    const outbox = new OutboxDispatcher({ store, deliverers: new Map([['slack', slack]]), clock, logger: createLogger('silent'), metrics: new Metrics(), holder: 'proc-a', ready });
    await store.transaction((manager) =>
      enqueue(manager, clock.now(), [
        { target: target('C-x'), message: text('x1') },
        { target: target('C-y'), message: text('y0') },
        { target: target('C-y'), key: 'fault:1:card', message: text('y1') },
      ]),
    );

    expect(await outbox.runOnce()).toBe(1);
    clearTimeout(fallback);
    await holding;
    expect(triggered).toBe(true);
    expect(calls).toEqual(['y0', 'x1: 429']);
    const byText = new Map((await rows(store)).map((r) => [(JSON.parse(r.payload) as ChatMessage).fallback, r]));
    expect(byText.get('y1')).toMatchObject({ status: 'pending', attempts: 0, claimedBy: null });
  });
});
