import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/chat/model.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../src/errors.js';
import { AuditEntry, FeedbackSurvey, OutboxMessage, RecordEvent } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const payload = (row: OutboxMessage | null | undefined): ChatMessage => JSON.parse(row?.payload ?? '{}') as ChatMessage;
const laptop = { title: 'Laptop for the new designer', details: 'MacBook, 32 GB', requestType: 'hardware', forWhom: 'bo', importance: 2 as const, urgency: 1 as const };

describe('service requests on SQLite with the real migrations', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await openTestWorld();
    const admin = await world.actor('admin');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'li.wei' }, 'engineer');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'sam' }, 'engineer');
  });
  afterEach(async () => world.store.close());

  async function dmsTo(userId: string): Promise<string[]> {
    const rows = await world.store.manager.find(OutboxMessage, { where: { targetKind: 'dm', targetId: userId }, order: { id: 'ASC' } });
    return rows.map((r) => payload(r).fallback);
  }

  it('runs submitted -> assigned (Take) -> fulfilled -> closed, telling the requester at each step', async () => {
    const { services, clock } = world;
    const anna = await world.actor('anna');
    const li = await world.actor('li.wei');
    const request = await services.requests.submit(anna, laptop);
    expect(request).toMatchObject({ id: 1, priority: 'P2', state: 'submitted', requestType: 'hardware' });
    expect(request.beneficiaryId).toBe((await world.actor('bo')).personId);
    expect(request.responseDueAt?.toISOString()).toBe('2026-11-23T09:30:00.000Z');
    const card = await world.store.manager.findOne(OutboxMessage, { where: { messageKey: 'request:1:announcement' } });
    expect(card?.targetId).toBe('CFAULTS'); // no request channel: the fault channel
    expect((payload(card).buttons ?? []).map((b) => b.actionId)).toEqual(['request.take', 'request.assign']);
    expect(payload(card).fields?.find((f) => f.label === 'SLA')?.value).toBe('Respond by 10:30 (in 30 min)\nFulfil by 18:00 (in 8 h)');

    clock.advance(5 * 60_000);
    const taken = await services.requests.take(li, 1);
    expect(taken).toMatchObject({ state: 'assigned', assigneeId: li.personId });
    expect(taken.assignedAt?.toISOString()).toBe('2026-11-23T09:05:00.000Z');
    await expect(services.requests.take(await world.actor('sam'), 1)).rejects.toThrow(ConflictError);
    await expect(services.requests.take(await world.actor('sam'), 1)).rejects.toMatchObject({ messageKey: 'requests.error.alreadyTaken' });

    const fulfilled = await services.requests.fulfil(li, 1, 'Laptop set up and handed over');
    expect(fulfilled.state).toBe('fulfilled');
    expect(fulfilled.nextReminderAt).toBeNull();
    expect(fulfilled.resolveBreachedAt).toBeNull();
    await expect(services.requests.close(await world.actor('bo'), 1)).rejects.toBeInstanceOf(ForbiddenError);
    const closed = await services.requests.close(anna, 1);
    expect(closed.state).toBe('closed');

    expect(await dmsTo('anna')).toEqual([
      'We received your request REQ-1 (P2). You will hear from us here at each step.',
      '@li.wei took REQ-1 and is working on it.',
      '@li.wei fulfilled REQ-1. If everything is in order, confirm; if not, say it is not done.',
      'How satisfied are you with how REQ-1 was handled?',
    ]);
    const survey = await world.store.manager.findOneOrFail(FeedbackSurvey, { where: { recordType: 'request', recordId: 1 } });
    expect([survey.respondentId, survey.resolverId]).toEqual([anna.personId, li.personId]);
    const events = await world.store.manager.find(RecordEvent, { where: { recordKind: 'request', recordId: 1 }, order: { id: 'ASC' } });
    expect(events.map((e) => `${e.kind}:${e.toState}`)).toEqual(['submitted:submitted', 'take:assigned', 'fulfil:fulfilled', 'close:closed']);
    const audit = await world.store.manager.find(AuditEntry, { where: { recordType: 'request' }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual(['request.submitted', 'request.take', 'request.fulfil', 'request.close']);
  });

  it('lets engineers assign to engineers only, and the requester reopen', async () => {
    const { services } = world;
    const anna = await world.actor('anna');
    const sam = await world.actor('sam');
    await services.requests.submit(anna, { ...laptop, forWhom: undefined });
    await expect(services.requests.take(anna, 1)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.requests.assign(sam, 1, { platform: 'shell', userId: 'anna' })).rejects.toBeInstanceOf(InvalidInputError);
    const assigned = await services.requests.assign(sam, 1, { platform: 'shell', userId: 'li.wei' });
    expect(assigned.assigneeId).toBe((await world.actor('li.wei')).personId);
    expect((await dmsTo('li.wei')).at(-1)).toContain('@sam assigned REQ-1 to you.');
    expect((await dmsTo('anna')).at(-1)).toBe('REQ-1 is now handled by @li.wei (assigned by @sam).');
    await services.requests.fulfil(sam, 1, 'Done');
    const reopened = await services.requests.reopen(anna, 1);
    expect(reopened.state).toBe('assigned');
    expect(reopened.nextReminderAt).not.toBeNull(); // the fulfilment clock runs again
    await expect(services.requests.submit(anna, { ...laptop, requestType: 'pony' })).rejects.toMatchObject({ field: 'requestType' });
  });

  it('lists and shows requests to whom they concern, and auto-closes unconfirmed ones', async () => {
    const { services, clock } = world;
    const anna = await world.actor('anna');
    const bo = await world.actor('bo');
    const li = await world.actor('li.wei');
    await services.requests.submit(anna, laptop);
    await services.requests.submit(await world.actor('carl'), { ...laptop, forWhom: undefined, title: 'VPN access' });
    expect((await services.requestQueries.list(anna, 'mine')).requests.map((r) => r.id)).toEqual([1]);
    expect((await services.requestQueries.list(bo, 'mine')).requests.map((r) => r.id)).toEqual([1]);
    await expect(services.requestQueries.list(anna, 'open')).rejects.toBeInstanceOf(ForbiddenError);
    expect((await services.requestQueries.list(li, 'open')).total).toBe(2);
    await expect(services.requestQueries.detail(anna, 2)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await services.requestQueries.detail(li, 2)).request.title).toBe('VPN access');

    await services.requests.take(li, 1);
    await services.requests.fulfil(li, 1, 'Done');
    clock.advance(8 * 86_400_000);
    expect(await services.requests.closeStale(7)).toBe(1);
    expect((await services.requests.get(1)).state).toBe('closed');
  });
});
