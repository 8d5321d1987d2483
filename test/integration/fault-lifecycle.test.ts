import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../src/errors.js';
import type { ChatMessage } from '../../src/chat/model.js';
import { AuditEntry, OutboxMessage, RecordEvent } from '../../src/store/entities/index.js';

const payload = (row: OutboxMessage | undefined): ChatMessage => JSON.parse(row?.payload ?? '{}') as ChatMessage;
const actionIds = (row: OutboxMessage | undefined) => (payload(row).buttons ?? []).map((b) => b.actionId);
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { faultDetailMessage } from '../../src/faults/views.js';
import { translator } from '../../src/chat/i18n/catalog.js';

const report = {
  title: 'Mail server unreachable',
  description: 'Since 08:50 nobody on floor 3 can send mail.',
  category: 'network' as const,
  impact: 1 as const,
  urgency: 2 as const,
  affectedSystem: 'mail-01',
};

describe('fault lifecycle on SQLite with the real migrations', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await openTestWorld();
    const admin = await world.actor('admin');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'li.wei' }, 'engineer');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'sam' }, 'engineer');
  });
  afterEach(async () => world.store.close());

  async function outbox() {
    return world.store.manager.find(OutboxMessage, { order: { id: 'ASC' } });
  }

  it('runs report -> acknowledge -> start -> resolve -> reopen -> resolve -> close with timeline, audit and messages', async () => {
    const { services, clock } = world;
    const anna = await world.actor('anna');
    const engineer = await world.actor('li.wei');

    const fault = await services.faults.report(anna, report);
    expect(fault.id).toBe(1);
    expect(fault.priority).toBe('P2');
    expect(fault.state).toBe('reported');
    let messages = await outbox();
    expect(messages.map((m) => [m.platform, m.targetKind, m.targetId, m.messageKey])).toEqual([
      ['slack', 'channel', 'CFAULTS', 'fault:1:announcement'],
      ['shell', 'dm', 'anna', null],
    ]);

    clock.advance(5 * 60_000);
    const acked = await services.faults.acknowledge(engineer, 1);
    expect(acked.state).toBe('acknowledged');
    expect(acked.assigneeId).toBe(engineer.personId);
    expect(acked.acknowledgedAt?.toISOString()).toBe('2026-11-23T09:05:00.000Z');

    await services.faults.start(engineer, 1);
    const resolved = await services.faults.resolve(engineer, 1, { rootCause: 'Expired TLS certificate', resolutionSteps: 'Renewed and reloaded' });
    expect(resolved.state).toBe('resolved');
    expect(resolved.rootCause).toBe('Expired TLS certificate');

    const reopened = await services.faults.reopen(anna, 1);
    expect(reopened.state).toBe('in_progress');
    expect(reopened.resolvedAt).toBeNull();
    await services.faults.resolve(engineer, 1, { rootCause: 'Second certificate expired too', resolutionSteps: 'Renewed the intermediate' });
    const closed = await services.faults.close(anna, 1);
    expect(closed.state).toBe('closed');

    const events = await world.store.manager.find(RecordEvent, { where: { recordKind: 'fault', recordId: 1 }, order: { id: 'ASC' } });
    expect(events.map((e) => e.kind)).toEqual(['reported', 'acknowledge', 'start', 'resolve', 'reopen', 'resolve', 'close']);
    expect(events.map((e) => e.toState)).toEqual(['reported', 'acknowledged', 'in_progress', 'resolved', 'in_progress', 'resolved', 'closed']);

    const audit = await world.store.manager.find(AuditEntry, { where: { recordType: 'fault' }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual([
      'fault.reported',
      'fault.acknowledge',
      'fault.start',
      'fault.resolve',
      'fault.reopen',
      'fault.resolve',
      'fault.close',
    ]);
    expect(JSON.parse(audit[1]?.before ?? '{}')).toMatchObject({ state: 'reported' });
    expect(JSON.parse(audit[1]?.after ?? '{}')).toMatchObject({ state: 'acknowledged', assigneeId: engineer.personId });

    // Every change re-renders the channel card and DMs the reporter, except what the reporter did.
    messages = await outbox();
    const cardUpdates = messages.filter((m) => m.messageKey === 'fault:1:announcement');
    // Status DMs are unkeyed; the keyed `survey:N` DM is the satisfaction survey (test/integration/feedback-surveys.test.ts).
    const reporterDms = messages.filter((m) => m.targetKind === 'dm' && m.targetId === 'anna' && m.messageKey === null);
    expect(cardUpdates).toHaveLength(7);
    expect(reporterDms).toHaveLength(5);
    const lastCard = payload(cardUpdates.at(-1));
    expect(lastCard.title).toContain('✅ INC-1 · P2 · Mail server unreachable');
    expect(lastCard.buttons).toEqual([]);
    expect(actionIds(reporterDms[3])).toEqual(['fault.close', 'fault.reopen']);
  });

  it('lets only engineers acknowledge, resolve and reassign; a requester changes nothing', async () => {
    const anna = await world.actor('anna');
    const bob = await world.actor('bob');
    await world.services.faults.report(anna, report);
    const before = await outbox();
    await expect(world.services.faults.acknowledge(bob, 1)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(world.services.faults.resolve(anna, 1, { rootCause: 'x', resolutionSteps: 'y' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(world.services.faults.reassign(anna, 1, { platform: 'shell', userId: 'li.wei' })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await world.services.faults.get(1)).state).toBe('reported');
    expect(await outbox()).toHaveLength(before.length);
  });

  it('acknowledges once when clicked twice, and says who was first', async () => {
    const anna = await world.actor('anna');
    const liWei = await world.actor('li.wei');
    const sam = await world.actor('sam');
    await world.services.faults.report(anna, report);
    const results = await Promise.allSettled([world.services.faults.acknowledge(liWei, 1), world.services.faults.acknowledge(sam, 1), world.services.faults.acknowledge(liWei, 1)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // The clicks race (on PostgreSQL any of them may commit first): the refusals name whoever won.
    const first = results[1]?.status === 'fulfilled' ? 'sam' : 'li.wei';
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r): unknown => r.reason);
    expect(refused).toHaveLength(2);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(ConflictError);
      expect((reason as ConflictError).messageKey).toBe('faults.error.alreadyAcknowledged');
      expect((reason as ConflictError).params.person).toBe(first);
    }
    const fault = await world.services.faults.get(1);
    expect(fault.assigneeId).toBe(first === 'sam' ? sam.personId : liWei.personId);
    const acks = await world.store.manager.count(RecordEvent, { where: { recordKind: 'fault', recordId: 1, kind: 'acknowledge' } });
    expect(acks).toBe(1);
  });

  it('reassigns only to engineers and DMs the new assignee', async () => {
    const anna = await world.actor('anna');
    const liWei = await world.actor('li.wei');
    await world.services.faults.report(anna, report);
    await world.services.faults.acknowledge(liWei, 1);
    await expect(world.services.faults.reassign(liWei, 1, { platform: 'shell', userId: 'anna' })).rejects.toBeInstanceOf(InvalidInputError);
    const fault = await world.services.faults.reassign(liWei, 1, { platform: 'shell', userId: 'sam' });
    const sam = await world.actor('sam');
    expect(fault.assigneeId).toBe(sam.personId);
    const dms = (await outbox()).filter((m) => m.targetKind === 'dm' && m.targetId === 'sam');
    expect(dms).toHaveLength(1);
    expect(actionIds(dms[0])).toContain('fault.resolve');
    // The cards name who acknowledged (li.wei), not the assignee now (sam).
    const acknowledged = (row: OutboxMessage | undefined) => (payload(row).context ?? []).find((c) => c.startsWith('Acknowledged by'));
    const cards = (await outbox()).filter((m) => m.targetKind === 'channel');
    expect(acknowledged(cards[cards.length - 1])).toMatch(/^Acknowledged by .*li\.wei/);
    expect(acknowledged(dms[0])).toMatch(/^Acknowledged by .*li\.wei/);
    const detail = await world.services.faultQueries.detail(1);
    const shown = faultDetailMessage(detail.fault, detail.timeline, { t: translator('en'), platform: 'shell', timeZone: 'UTC', people: detail.people, now: world.clock.now() });
    expect(shown.context?.find((c) => c.startsWith('Acknowledged by'))).toMatch(/li\.wei/);
  });

  it('refuses reopening by someone who is neither reporter nor engineer', async () => {
    const anna = await world.actor('anna');
    const bob = await world.actor('bob');
    const liWei = await world.actor('li.wei');
    await world.services.faults.report(anna, report);
    await world.services.faults.resolve(liWei, 1, { rootCause: 'a', resolutionSteps: 'b' });
    await expect(world.services.faults.reopen(bob, 1)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await world.services.faults.get(1)).state).toBe('resolved');
  });

  it('keeps an audit chain that verifies, and detects an edited row', async () => {
    const anna = await world.actor('anna');
    const liWei = await world.actor('li.wei');
    await world.services.faults.report(anna, report);
    await world.services.faults.acknowledge(liWei, 1);
    const verdict = await verifyChain(world.store.manager);
    expect(verdict.ok).toBe(true);
    expect(verdict.entries).toBeGreaterThanOrEqual(4);

    const target = await world.store.manager.findOneOrFail(AuditEntry, { where: { action: 'fault.reported' } });
    const edit = world.store.kind === 'postgres' ? 'UPDATE audit_log SET "after" = $1 WHERE id = $2' : 'UPDATE audit_log SET "after" = ? WHERE id = ?';
    await world.store.manager.query(edit, ['{"state":"closed"}', target.id]);
    expect(await verifyChain(world.store.manager)).toMatchObject({ ok: false, entries: target.id - 1, brokenAt: target.id });
  });
});

describe('auto-close job', () => {
  it('closes faults resolved over 7 days ago as opsdesk, and leaves newer and reopened ones', async () => {
    const world = await openTestWorld();
    try {
      const admin = await world.actor('admin');
      await world.services.people.grant(admin, { platform: 'shell', userId: 'li.wei' }, 'engineer');
      const anna = await world.actor('anna');
      const liWei = await world.actor('li.wei');
      for (let i = 0; i < 3; i++) await world.services.faults.report(anna, report);
      await world.services.faults.resolve(liWei, 1, { rootCause: 'a', resolutionSteps: 'b' });
      await world.services.faults.resolve(liWei, 2, { rootCause: 'a', resolutionSteps: 'b' });
      await world.services.faults.reopen(anna, 2);
      world.clock.advance(6 * 86_400_000);
      await world.services.faults.resolve(liWei, 3, { rootCause: 'a', resolutionSteps: 'b' });
      world.clock.advance(1 * 86_400_000 + 1);

      expect(await world.services.faults.closeStale(7)).toBe(1);
      expect((await world.services.faults.get(1)).state).toBe('closed');
      expect((await world.services.faults.get(2)).state).toBe('in_progress');
      expect((await world.services.faults.get(3)).state).toBe('resolved');
      const entry = await world.store.manager.findOneOrFail(AuditEntry, { where: { action: 'fault.close' } });
      expect([entry.actorId, entry.actorLabel, entry.recordId]).toEqual([null, 'opsdesk', 'INC-1']);
      expect(await world.services.faults.closeStale(7)).toBe(0);
    } finally {
      await world.store.close();
    }
  });
});
