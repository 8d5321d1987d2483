// Exactly once to Slack with clocks that disagree (issue #15 item 3): a row found in flight after a
// crash is looked up in the conversation's history from its creation time, a time on a replica's
// clock, while Slack's ts is on Slack's. A replica whose clock runs minutes ahead of Slack's must still
// find the message it posted (CLOCK_SKEW_TOLERANCE_MS), through as many pages of history as it takes.
// The real SlackDeliverer and Web API client against the fake Slack; SQLite and PostgreSQL.
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatTarget } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { claimDue } from '../../src/outbox/claims.js';
import { OUTCOME_SETTLE_MS, OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { deliveryIdOf } from '../../src/outbox/identity.js';
import { enqueue } from '../../src/outbox/outbox.js';
import { DirectChannels, SlackDeliverer } from '../../src/platforms/slack/deliverer.js';
import { CLOCK_SKEW_TOLERANCE_MS, findPosted } from '../../src/platforms/slack/posted-lookup.js';
import { webClientOptions } from '../../src/platforms/slack/web-client.js';
import { OutboxMessage } from '../../src/store/entities/index.js';
import { FakeSlackServer } from '../fakes/slack/index.js';
import { openTestStore } from '../helpers/db.js';

const CHANNEL = 'C0OPS';
const target: ChatTarget = { platform: 'slack', kind: 'channel', id: CHANNEL };
const message = { fallback: 'INC-7 reported' };
/** The replicas' clocks run this far ahead of Slack's (ms): well past the old one-second margin. */
const SKEW_MS = 3 * 60_000;
const CLAIM_TTL_MS = 5_000;

const fakes: FakeSlackServer[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.stop();
});

async function fakeSlack(): Promise<{ fake: FakeSlackServer; client: WebClient }> {
  const fake = await FakeSlackServer.start();
  fakes.push(fake);
  return { fake, client: new WebClient(fake.botToken, { ...webClientOptions(fake.apiUrl), logLevel: LogLevel.ERROR }) };
}

describe('Slack: finding a posted message when the replicas’ clocks run ahead of Slack’s', () => {
  it('a row whose replica died after posting is found in the history, not posted again', async () => {
    const { fake, client } = await fakeSlack();
    const store = await openTestStore();
    const clock = new ManualClock(new Date(Date.now() + SKEW_MS));
    const outbox = new OutboxDispatcher({
      store,
      deliverers: new Map([['slack', new SlackDeliverer(client, new DirectChannels(client))]]),
      clock,
      logger: createLogger('silent'),
      metrics: new Metrics(),
      holder: 'replica-b',
      claimTtlMs: CLAIM_TTL_MS,
    });
    await store.transaction((m) => enqueue(m, clock.now(), [{ target, message }]));
    // Replica A claims the row, posts it, and dies before marking it sent.
    const [claim] = await claimDue(store, { holder: 'replica-a', now: clock.now(), ttlMs: CLAIM_TTL_MS, limit: 10, platforms: ['slack'] });
    if (!claim) throw new Error('no claim');
    await new SlackDeliverer(client, new DirectChannels(client)).post(target, message, { id: deliveryIdOf(claim.row), maybeSent: false, since: claim.row.createdAt });

    // B takes the row over once A's claim has lapsed and the post has settled.
    clock.advance(CLAIM_TTL_MS + OUTCOME_SETTLE_MS);
    expect(await outbox.runOnce()).toBe(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
    const [row] = await store.transaction((m) => m.find(OutboxMessage));
    expect(row).toMatchObject({ status: 'sent' });
    await store.close();
  });

  it('pages through the history with limit and cursor from the same oldest, and stops within the margin', async () => {
    const { fake, client } = await fakeSlack();
    const identity = { id: 'outbox-42', maybeSent: true, since: new Date(Date.now() + SKEW_MS) };
    const first = await client.chat.postMessage({ channel: CHANNEL, text: 'the one', metadata: { event_type: 'opsdesk_outbox', event_payload: { delivery_id: identity.id } } });
    // 250 newer messages: the one looked for is on the second page of 200, newest first.
    for (let i = 0; i < 250; i++) await client.chat.postMessage({ channel: CHANNEL, text: `chatter ${i}` });

    expect(await findPosted(client, CHANNEL, identity)).toBe(first.ts);
    const calls = fake.callsTo('conversations.history');
    expect(calls).toHaveLength(2);
    const oldest = String(Math.floor((identity.since.getTime() - CLOCK_SKEW_TOLERANCE_MS) / 1000));
    expect(calls.map((c) => [c.body.oldest, Number(c.body.limit), c.body.cursor === undefined])).toEqual([
      [oldest, 200, true],
      [oldest, 200, false],
    ]);

    // A clock further ahead than the margin is out of what the look-up promises: nothing is found.
    expect(await findPosted(client, CHANNEL, { ...identity, since: new Date(Date.now() + CLOCK_SKEW_TOLERANCE_MS + 60_000) })).toBeUndefined();
  });
});
