import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { ChatMessage } from '../../src/chat/model.js';
import { ConflictError, ForbiddenError } from '../../src/errors.js';
import { createServices } from '../../src/services.js';
import { AuditEntry, FeedbackSurvey, OutboxMessage } from '../../src/store/entities/index.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore, openTestWorld, freshTestDatabase, type TestWorld } from '../helpers/db.js';

const DAY = 86_400_000;
const report = { title: 'Mail server unreachable', description: 'Nobody on floor 3 can send mail.', category: 'network' as const, impact: 1 as const, urgency: 2 as const };
const fix = { rootCause: 'Expired TLS certificate', resolutionSteps: 'Renewed it' };
const payload = (row: OutboxMessage | undefined): ChatMessage => JSON.parse(row?.payload ?? '{}') as ChatMessage;

describe('satisfaction surveys after resolved faults', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await openTestWorld();
    const admin = await world.actor('admin');
    for (const engineer of ['li.wei', 'sam']) await world.services.people.grant(admin, { platform: 'shell', userId: engineer }, 'engineer');
  });
  afterEach(async () => world.store.close());

  const surveyDms = async (id = 1) => world.store.manager.find(OutboxMessage, { where: { messageKey: `survey:${id}` }, order: { id: 'ASC' } });
  const surveys = () => world.store.manager.find(FeedbackSurvey, { order: { id: 'ASC' } });

  it('asks the reporter once per fault, also after reopening and resolving again by someone else', async () => {
    const { services } = world;
    const anna = await world.actor('anna');
    const liWei = await world.actor('li.wei');
    const sam = await world.actor('sam');
    await services.faults.report(anna, report);
    await services.faults.acknowledge(liWei, 1);
    await services.faults.resolve(liWei, 1, fix);

    let rows = await surveys();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ recordType: 'fault', recordId: 1, recordTitle: 'Mail server unreachable', respondentId: anna.personId, resolverId: liWei.personId, rating: null, closedAt: null });
    expect(rows[0]?.closesAt.toISOString()).toBe(new Date(world.clock.now().getTime() + 7 * DAY).toISOString());
    const dms = await surveyDms();
    expect(dms.map((m) => [m.platform, m.targetKind, m.targetId])).toEqual([['shell', 'dm', 'anna']]);
    const dm = payload(dms[0]);
    expect(dm.body).toBe('How satisfied are you with how INC-1 was handled?');
    expect(dm.buttons?.map((b) => b.label)).toEqual(['😞 1', '🙁 2', '😐 3', '🙂 4', '😄 5', '💬 Add a comment']);

    await services.faults.reopen(anna, 1);
    await services.faults.resolve(sam, 1, { ...fix, rootCause: 'The intermediate expired too' });
    await services.faults.reopen(anna, 1);
    await services.faults.resolve(sam, 1, fix);
    rows = await surveys();
    expect(rows).toHaveLength(1);
    // The survey (and so the rating) stays with the first resolution, the one the reporter was asked about.
    expect(rows[0]?.resolverId).toBe(liWei.personId);
    expect(await surveyDms()).toHaveLength(1);
    const audit = await world.store.manager.find(AuditEntry, { where: { action: 'feedback.survey.sent' } });
    expect(audit.map((a) => a.recordId)).toEqual(['INC-1']);
  });

  it('does not ask someone who resolved their own report', async () => {
    const liWei = await world.actor('li.wei');
    await world.services.faults.report(liWei, report);
    await world.services.faults.resolve(liWei, 1, fix);
    expect(await surveys()).toHaveLength(0);
  });

  it('takes a rating, changes it on a second click, keeps a comment, and edits the DM each time', async () => {
    const { services } = world;
    const anna = await world.actor('anna');
    const liWei = await world.actor('li.wei');
    const bob = await world.actor('bob');
    await services.faults.report(anna, report);
    await services.faults.resolve(liWei, 1, fix);
    const [survey] = await surveys();
    if (!survey) throw new Error('no survey');

    const first = await services.feedback.surveys.rate(anna, survey.id, 4);
    expect(first.first).toBe(true);
    expect(first.survey.rating).toBe(4);
    const second = await services.feedback.surveys.rate(anna, survey.id, 2);
    expect(second.first).toBe(false);
    await services.feedback.surveys.comment(anna, survey.id, 'Took two days to hear anything.');
    await expect(services.feedback.surveys.rate(bob, survey.id, 5)).rejects.toBeInstanceOf(ForbiddenError);

    const [stored] = await surveys();
    expect(stored).toMatchObject({ rating: 2, comment: 'Took two days to hear anything.' });
    expect(stored?.ratedAt?.toISOString()).toBe(world.clock.now().toISOString());
    const dms = await surveyDms(survey.id);
    expect(dms).toHaveLength(4);
    const last = payload(dms.at(-1));
    expect(last.fields).toEqual([
      { label: 'Your rating', value: '🙁 2 · Dissatisfied' },
      { label: 'Your comment', value: 'Took two days to hear anything.' },
    ]);
    expect(last.buttons?.filter((b) => b.style === 'primary').map((b) => b.label)).toEqual(['🙁 2']);
    const actions = (await world.store.manager.find(AuditEntry, { where: { recordType: 'feedback_survey' }, order: { id: 'ASC' } })).map((a) => a.action);
    expect(actions).toEqual(['feedback.survey.sent', 'feedback.survey.rated', 'feedback.survey.rated', 'feedback.survey.commented']);
  });

  it('closes after 7 days: no more changes, the DM loses its buttons, and the rating counts for the resolver', async () => {
    const { services, clock } = world;
    const anna = await world.actor('anna');
    const carl = await world.actor('carl');
    const liWei = await world.actor('li.wei');
    const sam = await world.actor('sam');
    await services.faults.report(anna, report);
    await services.faults.report(carl, { ...report, title: 'Printer jammed' });
    await services.faults.report(anna, { ...report, title: 'VPN drops' });
    await services.faults.resolve(liWei, 1, fix);
    await services.faults.resolve(sam, 2, fix);
    await services.faults.resolve(liWei, 3, fix);
    const rows = await surveys();
    await services.feedback.surveys.rate(anna, rows[0]?.id ?? 0, 5);
    await services.feedback.surveys.rate(carl, rows[1]?.id ?? 0, 2);
    await services.feedback.surveys.rate(anna, rows[2]?.id ?? 0, 4);

    clock.advance(7 * DAY - 60_000);
    expect(await services.feedback.surveys.closeDue(clock.now())).toBe(0);
    clock.advance(60_000);
    const late = services.feedback.surveys.rate(anna, rows[0]?.id ?? 0, 1);
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    await expect(late).rejects.toMatchObject({ messageKey: 'feedback.error.surveyClosed' });
    expect(await services.feedback.surveys.closeDue(clock.now())).toBe(3);
    expect(await services.feedback.surveys.closeDue(clock.now())).toBe(0);
    const closedDm = payload((await surveyDms(rows[0]?.id)).at(-1));
    expect(closedDm.buttons).toEqual([]);
    expect(closedDm.context).toEqual(['Thank you for your answer. This survey is closed.']);
    expect((await surveys()).map((s) => s.rating)).toEqual([5, 2, 4]);

    const scores = await services.feedback.surveys.engineerScores({ from: new Date(0), to: clock.now() });
    expect(scores).toEqual([
      { resolverId: liWei.personId, total: 2, average: 4.5, satisfied: 1 },
      { resolverId: sam.personId, total: 1, average: 2, satisfied: 0 },
    ]);
  });
});

describe('satisfaction surveys across processes', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('sends one survey when two processes race to resolve the same fault, and none after a restart', async () => {
    const url = await freshTestDatabase();
    const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
    const process = async () => {
      const store = await openTestStore(url);
      // Like separate processes: a lock held by the other connection fails at once and Store retries.
      if (store.kind === 'sqlite') await store.dataSource.query('PRAGMA busy_timeout = 0');
      stores.push(store);
      return createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: { fault_channel: 'slack:CFAULTS' } });
    };
    const a = await process();
    const b = await process();
    const actor = (services: typeof a, name: string) => services.people.resolve({ platform: 'shell', userId: name, displayName: name });
    const admin = await actor(a, 'admin');
    await a.people.grant(admin, { platform: 'shell', userId: 'li.wei' }, 'engineer');
    await a.people.grant(admin, { platform: 'shell', userId: 'sam' }, 'engineer');
    await a.faults.report(await actor(a, 'anna'), report);

    const results = await Promise.allSettled([a.faults.resolve(await actor(a, 'li.wei'), 1, fix), b.faults.resolve(await actor(b, 'sam'), 1, fix)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);

    const c = await process();
    await c.faults.reopen(await actor(c, 'anna'), 1);
    await c.faults.resolve(await actor(c, 'sam'), 1, fix);
    const manager = stores[0]?.manager;
    expect(await manager?.count(FeedbackSurvey)).toBe(1);
    expect(await manager?.count(OutboxMessage, { where: { messageKey: 'survey:1' } })).toBe(1);
  });
});
