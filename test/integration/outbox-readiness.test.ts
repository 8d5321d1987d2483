// A replica cut off from a platform (its adapter not ready, /readyz 503 for that platform) leaves that
// platform's outbox rows to a replica that can reach it, instead of claiming them and retrying into a
// dead connection; once ready again it claims them again. Two stores on one database stand in for two
// replicas; runs on SQLite and on PostgreSQL.
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget, Platform } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import type { Logger } from '../../src/logger.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { enqueue } from '../../src/outbox/outbox.js';
import type { Deliverer, PostedRef } from '../../src/platforms/port.js';
import { OutboxMessage } from '../../src/store/entities/index.js';
import type { Store } from '../../src/store/store.js';
import { freshTestDatabase, openTestStore } from '../helpers/db.js';
import { capturingLogger } from '../helpers/log-capture.js';

const channel: ChatTarget = { platform: 'slack', kind: 'channel', id: 'C1' };

/** A Slack deliverer that records posts, or fails every call as a replica without a connection would. */
function deliverer(posted: string[], reachable: () => boolean): Deliverer {
  return {
    platform: 'slack',
    post: async (target: ChatTarget, message: ChatMessage): Promise<PostedRef> => {
      if (!reachable()) throw new Error('connect ECONNREFUSED');
      posted.push(message.fallback);
      return { channelId: target.id, messageId: `ts-${posted.length}` };
    },
    update: async () => undefined,
  };
}

function replica(store: Store, clock: ManualClock, holder: string, posted: string[], ready: () => boolean, logger: Logger): OutboxDispatcher {
  return new OutboxDispatcher({
    store,
    deliverers: new Map([['slack', deliverer(posted, ready)]]),
    clock,
    logger,
    metrics: new Metrics(),
    holder,
    ready: (platform: Platform) => platform !== 'slack' || ready(),
  });
}

describe('outbox claims follow platform readiness', () => {
  it('a replica whose platform is not ready leaves its rows to a ready replica, and claims again once ready', async () => {
    const url = await freshTestDatabase('opsdesk-outbox-ready-');
    const [storeA, storeB] = [await openTestStore(url), await openTestStore(url)];
    const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
    const { logger, lines } = capturingLogger();
    let slackReadyOnA = false;
    const [postedA, postedB] = [[] as string[], [] as string[]];
    const a = replica(storeA, clock, 'replica-a', postedA, () => slackReadyOnA, logger);
    const b = replica(storeB, clock, 'replica-b', postedB, () => true, capturingLogger().logger);
    const send = (...texts: string[]): Promise<void> =>
      storeA.transaction((m) => enqueue(m, clock.now(), texts.map((fallback) => ({ target: channel, message: { fallback } }))));

    await send('one', 'two', 'three');
    // Replica A runs first, as often as it likes: it claims nothing, so nothing waits for a retry.
    for (let i = 0; i < 3; i++) expect(await a.runOnce()).toBe(0);
    const untouched = await storeA.transaction((m) => m.find(OutboxMessage, { order: { id: 'ASC' } }));
    expect(untouched.map((r) => [r.status, r.attempts, r.claimedBy])).toEqual([
      ['pending', 0, null],
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
    // Replica B takes them at once, without waiting out a claim or a backoff.
    expect(await b.runOnce()).toBe(3);
    expect(postedB).toEqual(['one', 'two', 'three']);
    expect(postedA).toEqual([]);

    slackReadyOnA = true;
    await send('four');
    expect(await a.runOnce()).toBe(1);
    expect(postedA).toEqual(['four']);

    // One line when A stopped claiming and one when it started again, not one per pass.
    const readiness = lines.filter((l) => l.msg.startsWith('outbox: platform'));
    expect(readiness.map((l) => [l.level, l.msg])).toEqual([
      [40, 'outbox: platform not ready; leaving its messages to other replicas'],
      [30, 'outbox: platform ready again; delivering its messages'],
    ]);
  });
});
