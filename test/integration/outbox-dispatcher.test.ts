import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget, Platform } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { OUTCOME_SETTLE_MS, OutboxDispatcher, backoffMs, describeError } from '../../src/outbox/dispatcher.js';
import { enqueue, type OutgoingMessage } from '../../src/outbox/outbox.js';
import { claimDue } from '../../src/outbox/claims.js';
import { NotDeliveredError, PermanentDeliveryError, RateLimitedError, type Deliverer, type DeliveryIdentity, type PostedRef } from '../../src/platforms/port.js';
import { openDatabase } from '../../src/store/data-source.js';
import { MessageRef, OutboxMessage } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const logger = createLogger('silent');

/** A platform that records what reached it; `failures` are thrown, in order, before it succeeds. */
class RecordingDeliverer implements Deliverer {
  readonly calls: { kind: 'post' | 'update'; target?: ChatTarget; ref?: PostedRef; message: ChatMessage; identity?: DeliveryIdentity; ok: boolean }[] = [];
  readonly failures: Error[] = [];
  private next = 0;

  constructor(
    readonly platform: Platform,
    private readonly delayMs = 0,
  ) {}

  /** Successful calls, without the delivery identity (tests of identities read `calls`). */
  get delivered(): { kind: 'post' | 'update'; message: ChatMessage }[] {
    return this.calls.filter((c) => c.ok).map(({ identity: _identity, ...call }) => call);
  }

  async post(target: ChatTarget, message: ChatMessage, identity?: DeliveryIdentity): Promise<PostedRef> {
    await this.pause();
    const failure = this.failures.shift();
    this.calls.push({ kind: 'post', target, message, ...(identity ? { identity } : {}), ok: failure === undefined });
    if (failure) throw failure;
    this.next += 1;
    return { channelId: target.id, messageId: `${this.platform}-${this.next}` };
  }

  async update(ref: PostedRef, message: ChatMessage): Promise<void> {
    await this.pause();
    const failure = this.failures.shift();
    this.calls.push({ kind: 'update', ref, message, ok: failure === undefined });
    if (failure) throw failure;
  }

  private async pause(): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }
}

interface Db {
  file: string;
  store: Store;
}

const opened: Store[] = [];

async function openStore(file: string): Promise<Store> {
  const url = `sqlite:${file}`;
  const store = new Store(await openDatabase(url), url);
  opened.push(store);
  return store;
}

/**
 * A second connection to the same file, standing in for a second process. Both connections live on
 * this test's one thread, where better-sqlite3 would wait out a lock synchronously (and so block the
 * holder from ever releasing it): here a lock conflict fails at once instead and Store.transaction
 * retries it, as it does for a lock held by a real other process.
 */
async function openPeers(file: string, first: Store): Promise<Store> {
  const second = await openStore(file);
  for (const store of [first, second]) await store.dataSource.query('PRAGMA busy_timeout = 0');
  return second;
}

async function freshDb(): Promise<Db> {
  const file = join(mkdtempSync(join(tmpdir(), 'opsdesk-outbox-')), 'db.sqlite');
  return { file, store: await openStore(file) };
}

function dispatcher(
  store: Store,
  clock: ManualClock,
  deliverers: Deliverer[],
  holder = 'proc-a',
  metrics = new Metrics(),
  options: { batchSize?: number; claimTtlMs?: number } = {},
): OutboxDispatcher {
  return new OutboxDispatcher({
    ...options,
    store,
    deliverers: new Map(deliverers.map((d) => [d.platform, d])),
    clock,
    logger,
    metrics,
    holder,
  });
}

const channel: ChatTarget = { platform: 'slack', kind: 'channel', id: 'C1' };

function text(fallback: string): ChatMessage {
  return { fallback };
}

async function send(store: Store, clock: ManualClock, messages: OutgoingMessage[]): Promise<void> {
  await store.transaction((manager) => enqueue(manager, clock.now(), messages));
}

async function rows(store: Store): Promise<OutboxMessage[]> {
  return store.transaction((manager) => manager.find(OutboxMessage, { order: { id: 'ASC' } }));
}

async function counterValue(metrics: Metrics, name: 'outboxDeliveries' | 'outboxFailures', labels: Record<string, string>): Promise<number> {
  const { values } = await metrics[name].get();
  const match = values.find((v) => {
    const actual: Record<string, string | number | undefined> = v.labels;
    return Object.entries(labels).every(([k, value]) => actual[k] === value);
  });
  return match?.value ?? 0;
}

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describe('outbox dispatcher', () => {
  it('keeps a message while the platform fails and sends it exactly once when it recovers', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    // A definite refusal is retried after the backoff; an unknown outcome no sooner than the settle delay.
    slack.failures.push(new NotDeliveredError('slack: not_authed'), new Error('ECONNRESET'));
    const metrics = new Metrics();
    const outbox = dispatcher(store, clock, [slack], 'proc-a', metrics);
    await send(store, clock, [{ target: channel, message: text('INC-1 reported') }]);

    expect(await outbox.runOnce()).toBe(0);
    let [row] = await rows(store);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'slack: not_authed' });
    expect(row?.nextAttemptAt.toISOString()).toBe(new Date(T0.getTime() + 1_000).toISOString());

    // Not due yet: the platform is not asked again.
    clock.advance(999);
    expect(await outbox.runOnce()).toBe(0);
    expect(slack.calls).toHaveLength(1);

    clock.advance(1);
    expect(await outbox.runOnce()).toBe(0);
    [row] = await rows(store);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, lastError: 'ECONNRESET' });
    expect(row?.nextAttemptAt.toISOString()).toBe(new Date(clock.now().getTime() + OUTCOME_SETTLE_MS).toISOString());

    clock.advance(OUTCOME_SETTLE_MS);
    expect(await outbox.runOnce()).toBe(1);
    [row] = await rows(store);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(row?.sentAt?.toISOString()).toBe(clock.now().toISOString());

    clock.advance(10 * 60_000);
    expect(await outbox.runOnce()).toBe(0);
    expect(slack.delivered).toEqual([{ kind: 'post', target: channel, message: text('INC-1 reported'), ok: true }]);
    expect(await counterValue(metrics, 'outboxFailures', { platform: 'slack', reason: 'error' })).toBe(2);
    expect(await counterValue(metrics, 'outboxDeliveries', { platform: 'slack' })).toBe(1);
  });

  it('honours Retry-After exactly and pauses the whole platform meanwhile', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    const discord = new RecordingDeliverer('discord');
    slack.failures.push(new RateLimitedError(7));
    const outbox = dispatcher(store, clock, [slack, discord]);
    await send(store, clock, [
      { target: channel, message: text('first') },
      { target: channel, message: text('second') },
      { target: { platform: 'discord', kind: 'channel', id: '789' }, message: text('elsewhere') },
    ]);

    expect(await outbox.runOnce()).toBe(1); // only Discord: Slack said 429 on the first message
    expect(slack.calls).toHaveLength(1);
    const [first, second] = await rows(store);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first?.nextAttemptAt.toISOString()).toBe('2026-03-02T09:00:07.000Z');
    expect(second).toMatchObject({ status: 'pending', attempts: 0 });

    await send(store, clock, [{ target: channel, message: text('third') }]);
    clock.advance(6_999);
    expect(await outbox.runOnce()).toBe(0);
    expect(slack.calls).toHaveLength(1);

    clock.advance(1);
    expect(await outbox.runOnce()).toBe(3);
    expect(slack.delivered.map((c) => c.message.fallback)).toEqual(['first', 'second', 'third']);
    clock.advance(60_000);
    expect(await outbox.runOnce()).toBe(0);
    expect(slack.calls).toHaveLength(4);
    expect(discord.calls).toHaveLength(1);
  });

  it('edits a keyed message in place: one post, then one update with the latest payload', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    const outbox = dispatcher(store, clock, [slack]);
    const key = 'fault:4:announcement';

    await send(store, clock, [{ target: channel, message: text('INC-4 reported'), key }]);
    expect(await outbox.runOnce()).toBe(1);

    clock.advance(1_000);
    await send(store, clock, [{ target: channel, message: text('INC-4 acknowledged'), key }]);
    await send(store, clock, [{ target: channel, message: text('INC-4 in progress'), key }]);
    expect(await outbox.runOnce()).toBe(1);
    clock.advance(60_000);
    expect(await outbox.runOnce()).toBe(0);

    const keyedId: unknown = expect.stringMatching(/^k/);
    expect(slack.calls).toEqual([
      { kind: 'post', target: channel, message: text('INC-4 reported'), identity: { id: keyedId, maybeSent: false, since: T0 }, ok: true },
      { kind: 'update', ref: { channelId: 'C1', messageId: 'slack-1' }, message: text('INC-4 in progress'), ok: true },
    ]);
    expect((await rows(store)).map((r) => r.status)).toEqual(['sent', 'superseded', 'sent']);
    const refs = await store.transaction((m) => m.find(MessageRef));
    expect(refs).toMatchObject([{ messageKey: key, platform: 'slack', targetId: 'C1', channelId: 'C1', messageId: 'slack-1' }]);
  });

  it('posts only the newest version when several were queued before the first delivery', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    const outbox = dispatcher(store, clock, [slack]);
    const key = 'change:13:request';
    const dm: ChatTarget = { platform: 'slack', kind: 'dm', id: 'U9' };

    await send(store, clock, [
      { target: channel, message: text('v1'), key },
      { target: dm, message: text('dm v1'), key },
      { target: channel, message: text('v2'), key },
    ]);
    expect(await outbox.runOnce()).toBe(2);
    expect(slack.calls.map((c) => [c.kind, c.target?.id, c.message.fallback])).toEqual([
      ['post', 'C1', 'v2'],
      ['post', 'U9', 'dm v1'],
    ]);
    expect((await rows(store)).map((r) => r.status)).toEqual(['superseded', 'sent', 'sent']);
  });

  it('retries a failed edit without posting a second copy', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    const outbox = dispatcher(store, clock, [slack]);
    const key = 'fault:5:announcement';
    await send(store, clock, [{ target: channel, message: text('v1'), key }]);
    await outbox.runOnce();

    slack.failures.push(new Error('timeout'));
    await send(store, clock, [{ target: channel, message: text('v2'), key }]);
    expect(await outbox.runOnce()).toBe(0);
    clock.advance(1_000);
    expect(await outbox.runOnce()).toBe(1);
    expect(slack.calls.map((c) => [c.kind, c.message.fallback, c.ok])).toEqual([
      ['post', 'v1', true],
      ['update', 'v2', false],
      ['update', 'v2', true],
    ]);
  });

  it('marks a permanently undeliverable message dead without retrying', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    slack.failures.push(new PermanentDeliveryError('channel_not_found'));
    const metrics = new Metrics();
    const outbox = dispatcher(store, clock, [slack], 'proc-a', metrics);
    await send(store, clock, [{ target: channel, message: text('lost channel') }]);

    expect(await outbox.runOnce()).toBe(0);
    clock.advance(24 * 3_600_000);
    expect(await outbox.runOnce()).toBe(0);
    expect(slack.calls).toHaveLength(1);
    expect(await rows(store)).toMatchObject([{ status: 'dead', attempts: 1, lastError: 'channel_not_found', sentAt: null }]);
    expect(await counterValue(metrics, 'outboxFailures', { platform: 'slack', reason: 'permanent' })).toBe(1);
  });

  it('keeps messages for a platform that is not configured', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    const outbox = dispatcher(store, clock, [slack]);
    await send(store, clock, [
      { target: { platform: 'discord', kind: 'dm', id: '42' }, message: text('for discord') },
      { target: channel, message: text('for slack') },
    ]);
    expect(await outbox.runOnce()).toBe(1);
    expect(await outbox.runOnce()).toBe(0);
    expect((await rows(store)).map((r) => [r.platform, r.status, r.attempts])).toEqual([
      ['discord', 'pending', 0],
      ['slack', 'sent', 0],
    ]);
  });

  it('backs off exponentially up to five minutes and stores no secrets', () => {
    expect([1, 2, 3, 4, 9, 10, 50].map(backoffMs)).toEqual([1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000]);
    expect(describeError(new Error('invalid_auth for xoxb-123-456-abc with Bearer eyJhbGciOi.JIUzI1NiJ9.abc'))).toBe(
      'invalid_auth for [redacted] with Bearer [redacted]',
    );
    expect(describeError(new Error('Bot is missing permissions'))).toBe('Bot is missing permissions');
    expect(describeError('x'.repeat(2_000))).toHaveLength(500);
  });

  it('lets several dispatchers share the outbox: each message delivered once, by whichever claimed it', async () => {
    const { file, store: storeA } = await freshDb();
    const storeB = await openPeers(file, storeA);
    const clock = new ManualClock(T0);
    const platformA = new RecordingDeliverer('slack', 1);
    const platformB = new RecordingDeliverer('slack', 1);
    // Small batches, so that one pass cannot take everything and both dispatchers get work.
    const a = dispatcher(storeA, clock, [platformA], 'proc-a', new Metrics(), { batchSize: 2 });
    const b = dispatcher(storeB, clock, [platformB], 'proc-b', new Metrics(), { batchSize: 2 });

    let sent = 0;
    for (let round = 0; round < 4; round++) {
      const batch: OutgoingMessage[] = [];
      for (let i = 0; i < 5; i++) batch.push({ target: channel, message: text(`m${sent++}`) });
      await send(round % 2 === 0 ? storeA : storeB, clock, batch);
      if (round % 2 === 0) {
        await Promise.all([a.runOnce(), b.runOnce(), b.runOnce(), a.runOnce(), a.runOnce(), b.runOnce()]);
      } else {
        // One after the other: with a single lease holder b would get nothing; with row claims it takes the next rows.
        for (const next of [a, b, a, b, a, b]) await next.runOnce();
      }
    }
    const all = [platformA, platformB].flatMap((p) => p.delivered.map((call) => call.message.fallback));
    expect(all.sort()).toEqual(Array.from({ length: sent }, (_, i) => `m${i}`).sort());
    expect(platformA.delivered.length).toBeGreaterThan(0);
    expect(platformB.delivered.length).toBeGreaterThan(0);
    expect((await rows(storeA)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('takes over the rows of a dispatcher that died holding them once their claim lapses, as possibly sent', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    const survivor = dispatcher(store, clock, [slack], 'proc-b', new Metrics(), { claimTtlMs: 60_000 });
    await send(store, clock, [
      { target: channel, message: text('in flight') },
      { target: channel, message: text('card v1'), key: 'fault:7:announcement' },
    ]);
    // proc-a claims both rows and dies before it can say what happened.
    const dead = await claimDue(store, { holder: 'proc-a', now: clock.now(), ttlMs: 60_000, limit: 10, platforms: ['slack'] });
    expect(dead.map((c) => c.previousClaimant)).toEqual([null, null]);
    await send(store, clock, [{ target: channel, message: text('card v2'), key: 'fault:7:announcement' }]);

    clock.advance(59_999);
    expect(await survivor.runOnce()).toBe(0); // the claims still hold; v2 waits for v1's claimant
    expect(slack.calls).toEqual([]);

    clock.advance(1);
    expect(await survivor.runOnce()).toBe(2);
    const [first, card, fix] = slack.calls;
    expect(first).toMatchObject({ kind: 'post', message: text('in flight'), identity: { id: `o${dead[0]?.row.id}`, maybeSent: true } });
    expect(first?.identity?.since.toISOString()).toBe(T0.toISOString());
    // The card's one identity across versions, flagged because v1 may have been posted: posted (or
    // found), then brought to v2 in case what was found is v1.
    expect(card).toMatchObject({ kind: 'post', message: text('card v2'), identity: { maybeSent: true } });
    expect(card?.identity?.id).toMatch(/^k[A-Za-z0-9_-]{24}$/);
    expect(fix).toMatchObject({ kind: 'update', message: text('card v2') });
    expect((await rows(store)).map((r) => r.status)).toEqual(['sent', 'superseded', 'sent']);
  });

  it('posts a never-tried row with its identity but without the look-up flag', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    const outbox = dispatcher(store, clock, [slack]);
    await send(store, clock, [{ target: channel, message: text('fresh'), key: 'fault:8:announcement' }]);
    expect(await outbox.runOnce()).toBe(1);
    expect(slack.calls).toHaveLength(1);
    expect(slack.calls[0]?.identity).toMatchObject({ maybeSent: false });
  });

  it('delivers from the poll loop and on kick()', async () => {
    const { store } = await freshDb();
    const clock = new ManualClock(T0);
    const slack = new RecordingDeliverer('slack');
    const outbox = new OutboxDispatcher({
      store,
      deliverers: (platform) => (platform === 'slack' ? slack : undefined),
      clock,
      logger,
      metrics: new Metrics(),
      holder: 'proc-a',
      pollIntervalMs: 10_000,
    });
    outbox.start();
    await send(store, clock, [{ target: channel, message: text('kicked') }]);
    outbox.kick();
    await expect.poll(() => slack.delivered.length, { timeout: 5_000 }).toBe(1);
    await outbox.stop();
    expect((await rows(store))[0]?.status).toBe('sent');
  });
});
