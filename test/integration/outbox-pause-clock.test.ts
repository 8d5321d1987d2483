// A stored 429 pause is an absolute end on the writer's clock. A replica whose clock ran 16 hours
// ahead once wrote a pause that stopped delivery on every replica for those hours; a stored end
// further ahead than MAX_PAUSE_MS is now ignored when read, and the next real 429 replaces it. Two
// stores on one database stand in for two replicas; runs on SQLite and on PostgreSQL.
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import type { Logger } from '../../src/logger.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { enqueue } from '../../src/outbox/outbox.js';
import { MAX_PAUSE_MS } from '../../src/outbox/pauses.js';
import { RateLimitedError, type Deliverer, type PostedRef } from '../../src/platforms/port.js';
import { OutboxPause } from '../../src/store/entities/index.js';
import type { Store } from '../../src/store/store.js';
import { freshTestDatabase, openTestStore } from '../helpers/db.js';
import { capturingLogger } from '../helpers/log-capture.js';

const channel: ChatTarget = { platform: 'slack', kind: 'channel', id: 'C1' };
const HOUR_MS = 60 * 60_000;

/** A Slack deliverer that records posts, answering 429 with the queued Retry-After values first. */
function deliverer(posted: string[], limits: number[]): Deliverer {
  return {
    platform: 'slack',
    post: async (target: ChatTarget, message: ChatMessage): Promise<PostedRef> => {
      const retryAfter = limits.shift();
      if (retryAfter !== undefined) throw new RateLimitedError(retryAfter);
      posted.push(message.fallback);
      return { channelId: target.id, messageId: `ts-${posted.length}` };
    },
    update: async () => undefined,
  };
}

function replica(store: Store, clock: ManualClock, holder: string, posted: string[], limits: number[], logger: Logger): OutboxDispatcher {
  return new OutboxDispatcher({ store, deliverers: new Map([['slack', deliverer(posted, limits)]]), clock, logger, metrics: new Metrics(), holder, ready: () => true });
}

async function storedPause(store: Store): Promise<string | undefined> {
  const rows = await store.transaction((m) => m.find(OutboxPause));
  return rows.find((r) => r.route === 'slack')?.pausedUntil.toISOString();
}

describe('a stored 429 pause from a replica with a wrong clock', () => {
  it('is ignored by replicas with the right time, and replaced by the next real pause', async () => {
    const url = await freshTestDatabase('opsdesk-outbox-pause-clock-');
    const [storeA, storeB] = [await openTestStore(url), await openTestStore(url)];
    const now = new Date('2026-11-23T09:00:00Z');
    // Replica A's clock is 16 hours ahead; B's is right.
    const clockA = new ManualClock(new Date(now.getTime() + 16 * HOUR_MS));
    const clockB = new ManualClock(now);
    const [postedA, postedB] = [[] as string[], [] as string[]];
    const [limitsA, limitsB] = [[30], [] as number[]];
    const { logger, lines } = capturingLogger();
    const a = replica(storeA, clockA, 'replica-a', postedA, limitsA, capturingLogger().logger);
    const b = replica(storeB, clockB, 'replica-b', postedB, limitsB, logger);

    // A is told "Retry-After: 30" and stores a pause that ends 16 h 30 s from B's point of view.
    await storeA.transaction((m) => enqueue(m, clockB.now(), [{ target: channel, message: { fallback: 'one' } }]));
    expect(await a.runOnce()).toBe(0);
    expect(await storedPause(storeA)).toBe(new Date(clockA.now().getTime() + 30_000).toISOString());

    // B delivers new messages anyway (A's own row waits for A's Retry-After on A's clock: the row's
    // next attempt time is A's to get wrong).
    await storeB.transaction((m) => enqueue(m, clockB.now(), [{ target: channel, message: { fallback: 'two' } }]));
    expect(await b.runOnce()).toBe(1);
    expect(postedB).toEqual(['two']);
    const ignored = lines.filter((l) => l.msg.startsWith('outbox: stored rate-limit pause'));
    expect(ignored).toHaveLength(1);
    // Logged once, not on every pass.
    await b.runOnce();
    expect(lines.filter((l) => l.msg.startsWith('outbox: stored rate-limit pause'))).toHaveLength(1);

    // B's own 429 replaces the implausible end with a real one, which B and A's neighbours honour.
    limitsB.push(20);
    await storeB.transaction((m) => enqueue(m, clockB.now(), [{ target: channel, message: { fallback: 'three' } }]));
    expect(await b.runOnce()).toBe(0);
    expect(await storedPause(storeB)).toBe(new Date(clockB.now().getTime() + 20_000).toISOString());
    const postedC: string[] = [];
    const clockC = new ManualClock(clockB.now());
    const c = replica(storeB, clockC, 'replica-c', postedC, [], capturingLogger().logger);
    await storeB.transaction((m) => enqueue(m, clockC.now(), [{ target: channel, message: { fallback: 'four' } }]));
    expect(await c.runOnce()).toBe(0);
    clockC.advance(20_000);
    expect(await c.runOnce()).toBe(2);
    expect(postedC.sort()).toEqual(['four', 'three']);

    await storeA.close();
    await storeB.close();
  });

  it('is honoured up to MAX_PAUSE_MS ahead, and a longer Retry-After is stored at most that far', async () => {
    const url = await freshTestDatabase('opsdesk-outbox-pause-max-');
    const [storeA, storeB] = [await openTestStore(url), await openTestStore(url)];
    const now = new Date('2026-11-23T09:00:00Z');
    const clockA = new ManualClock(now);
    const clockB = new ManualClock(now);
    const posted: string[] = [];
    // A is told to wait an hour: it waits itself, but stores no more than MAX_PAUSE_MS for the others.
    const a = replica(storeA, clockA, 'replica-a', [], [HOUR_MS / 1000], capturingLogger().logger);
    const b = replica(storeB, clockB, 'replica-b', posted, [], capturingLogger().logger);
    await storeA.transaction((m) => enqueue(m, now, [{ target: channel, message: { fallback: 'one' } }]));
    expect(await a.runOnce()).toBe(0);
    expect(await storedPause(storeA)).toBe(new Date(now.getTime() + MAX_PAUSE_MS).toISOString());

    await storeB.transaction((m) => enqueue(m, now, [{ target: channel, message: { fallback: 'two' } }]));
    clockB.advance(MAX_PAUSE_MS - 1);
    expect(await b.runOnce()).toBe(0);
    clockB.advance(1);
    expect(await b.runOnce()).toBe(1);
    expect(posted).toEqual(['two']);

    await storeA.close();
    await storeB.close();
  });
});
