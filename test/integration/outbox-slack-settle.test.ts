// Exactly once to Slack when Slack is slow (issue #15 item 3): a chat.postMessage our side gave up on
// (the Web API client's timeout) can still be stored by Slack a moment later. A retry that looks into
// the history before then finds nothing and posts a second copy, so the retry after an unknown outcome
// waits OUTCOME_SETTLE_MS, and a row taken over from a lapsed short claim looks again later instead of
// posting. The real SlackDeliverer and Web API client against the fake Slack (delayNext); SQLite and
// PostgreSQL.
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatTarget } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { claimDue } from '../../src/outbox/claims.js';
import { OUTCOME_SETTLE_MS, OutboxDispatcher, backoffMs } from '../../src/outbox/dispatcher.js';
import { deliveryIdOf } from '../../src/outbox/identity.js';
import { enqueue } from '../../src/outbox/outbox.js';
import { DirectChannels, SlackDeliverer } from '../../src/platforms/slack/deliverer.js';
import { webClientOptions } from '../../src/platforms/slack/web-client.js';
import { OutboxMessage } from '../../src/store/entities/index.js';
import type { Store } from '../../src/store/store.js';
import { FakeSlackServer } from '../fakes/slack/index.js';
import { openTestStore } from '../helpers/db.js';

const CHANNEL = 'C0OPS';
const target: ChatTarget = { platform: 'slack', kind: 'channel', id: CHANNEL };
const message = { fallback: 'INC-7 reported' };
/** Slack answers this late (ms), long after the client below gave up. */
const SLOW_MS = 1_000;

const fakes: FakeSlackServer[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.stop();
});

/** A Slack deliverer as the adapter builds it, with a client that gives up after `timeoutMs`. */
function slackDeliverer(fake: FakeSlackServer, timeoutMs: number): SlackDeliverer {
  const client = new WebClient(fake.botToken, { ...webClientOptions(fake.apiUrl), timeout: timeoutMs, logLevel: LogLevel.ERROR });
  return new SlackDeliverer(client, new DirectChannels(client));
}

async function setup(claimTtlMs?: number): Promise<{ fake: FakeSlackServer; store: Store; clock: ManualClock; outbox: OutboxDispatcher }> {
  const fake = await FakeSlackServer.start();
  fakes.push(fake);
  const store = await openTestStore();
  // Slack's ts is the fake's real clock; the look-up starts at the row's creation on ours.
  const clock = new ManualClock(new Date(Date.now() - 1_000));
  const outbox = new OutboxDispatcher({
    store,
    deliverers: new Map([['slack', slackDeliverer(fake, 300)]]),
    clock,
    logger: createLogger('silent'),
    metrics: new Metrics(),
    holder: 'replica-b',
    ...(claimTtlMs === undefined ? {} : { claimTtlMs }),
  });
  await store.transaction((m) => enqueue(m, clock.now(), [{ target, message }]));
  return { fake, store, clock, outbox };
}

async function onlyRow(store: Store): Promise<OutboxMessage> {
  const rows = await store.transaction((m) => m.find(OutboxMessage));
  expect(rows).toHaveLength(1);
  const [row] = rows;
  if (!row) throw new Error('no outbox row');
  return row;
}

describe('Slack: a post that timed out on our side and was stored later', () => {
  it('is retried only after the settle delay, found in the history then, and not posted again', async () => {
    const { fake, store, clock, outbox } = await setup();
    fake.delayNext('chat.postMessage', SLOW_MS);
    const slowSince = Date.now();

    expect(await outbox.runOnce()).toBe(0); // the client gives up after 300 ms
    const failed = await onlyRow(store);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });

    // Where a plain backoff would retry: too early, Slack has not stored the message yet.
    clock.advance(backoffMs(1));
    await outbox.runOnce();
    // Slack stores the slow post and answers it (to a client that has gone) within SLOW_MS of its arrival.
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    await fake.waitFor(() => (fake.callsTo('chat.postMessage').some((c) => c.at >= slowSince + SLOW_MS) ? true : undefined), 5_000);
    clock.advance(OUTCOME_SETTLE_MS - backoffMs(1));
    await outbox.runOnce();

    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    // One look-up, after the settle delay, found it.
    expect(fake.callsTo('conversations.history')).toHaveLength(1);
    expect(failed.nextAttemptAt.getTime()).toBe(clock.now().getTime());
    expect(await onlyRow(store)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('taken over from a lapsed short claim, a look-up that finds nothing yet is repeated later instead of posting', async () => {
    const claimTtlMs = 5_000;
    const { fake, store, clock, outbox } = await setup(claimTtlMs);
    // Another replica claims the row and dies in the middle of a slow chat.postMessage.
    const [claim] = await claimDue(store, { holder: 'replica-a', now: clock.now(), ttlMs: claimTtlMs, limit: 10, platforms: ['slack'] });
    if (!claim) throw new Error('no claim');
    fake.delayNext('chat.postMessage', SLOW_MS);
    const dying = slackDeliverer(fake, 10_000)
      .post(target, message, { id: deliveryIdOf(claim.row), maybeSent: false, since: claim.row.createdAt })
      .catch(() => undefined);

    clock.advance(claimTtlMs);
    expect(await outbox.runOnce()).toBe(0);
    expect(fake.callsTo('conversations.history')).toHaveLength(1);
    const waiting = await onlyRow(store);
    // The dead replica's call began at most half a claim before its claim ran out.
    const settlesAt = clock.now().getTime() - claimTtlMs / 2 + OUTCOME_SETTLE_MS;
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    expect(waiting.nextAttemptAt.getTime()).toBe(settlesAt);
    expect(waiting.claimedBy).not.toBeNull();

    await dying;
    clock.advance(settlesAt - clock.now().getTime());
    expect(await outbox.runOnce()).toBe(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
    expect(await onlyRow(store)).toMatchObject({ status: 'sent' });
  });
});
