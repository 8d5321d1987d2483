import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { FeedbackBallot, FeedbackPoll, FeedbackSurvey, OutboxMessage, Setting } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { TEST_POLL_SECRET } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const DAY = 86_400_000;

describe('feedback on PostgreSQL with two replicas', () => {
  const stores: Store[] = [];
  const replicas: Services[] = [];
  const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    for (let i = 0; i < 2; i++) {
      const store = new Store(await openDatabase(POSTGRES_URL, { schema: created.schema }), POSTGRES_URL);
      stores.push(store);
      replicas.push(
        createServices({
          store,
          clock,
          timeZone: 'UTC',
          defaultLocale: 'en',
          bootstrapAdmins: ['shell:admin'],
          channelDefaults: { fault_channel: 'slack:CFAULTS', feedback_channel: 'slack:CFEEDBACK' },
          // Replicas share the poll key through the environment (POLL_SECRET).
          pollSecret: TEST_POLL_SECRET,
        }),
      );
    }
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await drop?.();
  });

  const [a, b] = [() => replicas[0] as Services, () => replicas[1] as Services];
  const actor = (services: Services, name: string) => services.people.resolve({ platform: 'shell', userId: name, displayName: name });

  it('opens one survey per fault when both replicas resolve it at once', async () => {
    const admin = await actor(a(), 'admin');
    for (const name of ['li.wei', 'sam']) await a().people.grant(admin, { platform: 'shell', userId: name }, 'engineer');
    const fault = await a().faults.report(await actor(a(), 'anna'), { title: 'VPN down', description: 'x', category: 'network', impact: 2, urgency: 1 });
    const fix = { rootCause: 'x', resolutionSteps: 'y' };
    const results = await Promise.allSettled([a().faults.resolve(await actor(a(), 'li.wei'), fault.id, fix), b().faults.resolve(await actor(b(), 'sam'), fault.id, fix)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await stores[0]?.manager.count(FeedbackSurvey, { where: { recordId: fault.id } })).toBe(1);
    expect(await stores[0]?.manager.count(OutboxMessage, { where: { messageKey: 'survey:1' } })).toBe(1);
  });

  it('counts one ballot per person when the same person votes on both replicas at once, and closes once', async () => {
    const poll = await a().feedback.polls.post(await actor(a(), 'admin'));
    await Promise.all([
      a().feedback.polls.vote(await actor(a(), 'v1'), poll.id, 2),
      b().feedback.polls.vote(await actor(b(), 'v1'), poll.id, 4),
      b().feedback.polls.vote(await actor(b(), 'v2'), poll.id, 5),
      a().feedback.polls.vote(await actor(a(), 'v3'), poll.id, 3),
    ]);
    await b().feedback.polls.vote(await actor(b(), 'v3'), poll.id, 4);
    expect(JSON.stringify(await stores[0]?.manager.find(Setting))).not.toContain(TEST_POLL_SECRET);
    expect(await stores[0]?.manager.count(FeedbackBallot, { where: { pollId: poll.id } })).toBe(3);

    clock.advance(3 * DAY);
    const closed = await Promise.all([a().feedback.polls.closeDue(clock.now()), b().feedback.polls.closeDue(clock.now())]);
    expect(closed.reduce((x, y) => x + y, 0)).toBe(1);
    const result = await stores[0]?.manager.findOneByOrFail(FeedbackPoll, { id: poll.id });
    // v1's two simultaneous clicks leave one of them (2 or 4); v2 voted 5; v3 changed 3 to 4.
    expect([result?.votes1, result?.votes3, result?.votes5]).toEqual([0, 0, 1]);
    expect([
      [1, 1],
      [0, 2],
    ]).toContainEqual([result?.votes2, result?.votes4]);
    expect(await stores[0]?.manager.count(FeedbackBallot)).toBe(0);
    expect(await stores[0]?.manager.count(OutboxMessage, { where: { targetId: 'CFEEDBACK' } })).toBe(3);
  });
});
