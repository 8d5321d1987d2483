import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.js';
import type { ChangeRequest } from '../../src/changes/service.js';
import type { ChatMessage } from '../../src/chat/model.js';
import { ConflictError, FieldErrors, ForbiddenError, InvalidInputError, type UserError } from '../../src/errors.js';
import type { Actor } from '../../src/people/actor.js';
import { AuditEntry, ChangeApproval, OutboxMessage, RecordEvent } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const payload = (row: OutboxMessage | undefined): ChatMessage => JSON.parse(row?.payload ?? '{}') as ChatMessage;
const actionIds = (row: OutboxMessage | undefined) => (payload(row).buttons ?? []).map((b) => b.actionId);
const textOf = (row: OutboxMessage | undefined) => JSON.stringify(payload(row));

/** A window two days ahead of the world's clock (2026-11-23 09:00 UTC), 22:00-00:00 Berlin time. */
const WINDOW = { start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T23:00:00Z') };

function request(overrides: Partial<ChangeRequest> = {}): ChangeRequest {
  return {
    title: 'Upgrade PostgreSQL on db-01',
    content: 'pg_upgrade from 15 to 16 with link mode',
    reason: 'Version 15 support ends',
    expectedImpact: 'Billing read-only for 15 minutes',
    risk: 'medium',
    type: 'normal',
    testPlan: 'Rehearsed on staging; smoke tests',
    rollbackPlan: 'Restore the snapshot taken before',
    window: WINDOW,
    configItems: ['db-01'],
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof ForbiddenError || error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('change approvals on SQLite with the real migrations', () => {
  let world: TestWorld;
  let admin: Actor;
  let rita: Actor;

  beforeEach(async () => {
    world = await openTestWorld();
    admin = await world.actor('admin');
    for (const [name, role] of [['ann', 'approver'], ['bob', 'approver'], ['cy', 'approver'], ['mia', 'manager'], ['eve', 'engineer'], ['rita', 'approver']] as const) {
      await world.services.people.grant(admin, { platform: 'shell', userId: name }, role);
    }
    await world.services.settings.set(admin, 'change_channel', 'slack:CCHANGES');
    rita = await world.actor('rita');
  });
  afterEach(async () => world.store.close());

  const outbox = () => world.store.manager.find(OutboxMessage, { order: { id: 'ASC' } });
  const latest = async (key: string) => (await outbox()).filter((m) => m.messageKey === key).at(-1);
  const person = async (name: string) => (await world.actor(name)).personId;

  it('posts the request to the channel, DMs each eligible approver (never the requester) and tells the requester', async () => {
    const change = await world.services.changes.request(rita, request());
    expect([change.id, change.state, change.approvalsRequired, change.managerRequired, change.implementerId]).toEqual([1, 'submitted', 2, 0, rita.personId]);
    const rows = await outbox();
    const keys = rows.map((m) => `${m.platform}:${m.targetKind}:${m.targetId}:${m.messageKey ?? '-'}`);
    expect(keys).toContain('slack:channel:CCHANGES:change:1:announcement');
    for (const name of ['admin', 'ann', 'bob', 'cy', 'mia']) {
      expect(keys).toContain(`shell:dm:${name}:change:1:approval:${await person(name)}`);
    }
    expect(keys.filter((k) => k.includes(`approval:${rita.personId}`))).toEqual([]);
    expect(keys).toContain('shell:dm:rita:-');
    expect(keys.some((k) => k.includes(':eve:'))).toBe(false);
    const annCopy = await latest(`change:1:approval:${await person('ann')}`);
    expect(actionIds(annCopy)).toEqual(['change.approve', 'change.approveWithComment', 'change.reject', 'change.details']);
    expect(payload(annCopy).title).toBe('⏳ CHG-1 · Medium risk · Upgrade PostgreSQL on db-01');
    expect(textOf(annCopy)).toContain('0 of 2 approvals');
    expect(textOf(annCopy)).toContain('Restore the snapshot taken before');
    const audit = await world.store.manager.find(AuditEntry, { where: { recordType: 'change' } });
    expect(audit.map((a) => a.action)).toEqual(['change.submitted']);
  });

  it('refuses a normal or emergency change without a test plan or rollback plan, and windows that are over, with field errors', async () => {
    for (const type of ['normal', 'emergency'] as const) {
      const error = await world.services.changes.request(rita, request({ type, testPlan: undefined, rollbackPlan: undefined })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FieldErrors);
      expect(Object.keys((error as FieldErrors).errors).sort()).toEqual(['rollbackPlan', 'testPlan']);
    }
    const late = await world.services.changes.request(rita, request({ window: { start: new Date('2026-11-22T09:00:00Z'), end: new Date('2026-11-22T10:00:00Z') } })).catch((e: unknown) => e);
    expect((late as FieldErrors).errors.windowEnd?.key).toBe('changes.error.window.ended');
    expect(await world.services.changeQueries.list('all')).toEqual({ changes: [], total: 0 });
    const standard = await world.services.changes.request(rita, request({ type: 'standard', testPlan: undefined, rollbackPlan: undefined }));
    expect(standard.state).toBe('scheduled');
  });

  it('counts exactly the distinct approvers when many approve in parallel, each clicking several times', async () => {
    await world.services.settings.set(admin, 'approvals_medium', '10');
    const names = ['ann', 'bob', 'cy', 'mia', 'admin'];
    for (const extra of ['dan', 'fay', 'gus']) {
      await world.services.people.grant(admin, { platform: 'shell', userId: extra }, 'approver');
      names.push(extra);
    }
    const approvers = await Promise.all(names.map((n) => world.actor(n)));
    await world.services.changes.request(rita, request());
    const calls = approvers.flatMap((a) => [a, a, a]).map((a) => world.services.changes.approve(a, 1));
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(names.length);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r): unknown => r.reason);
    expect(refused).toHaveLength(names.length * 2);
    for (const reason of refused) expect((reason as ConflictError).messageKey).toBe('changes.error.youApproved');
    expect(await world.store.manager.count(ChangeApproval, { where: { changeId: 1 } })).toBe(names.length);
    expect(await world.store.manager.count(AuditEntry, { where: { action: 'change.approve' } })).toBe(names.length);
    expect((await world.services.changes.get(1)).state).toBe('submitted');
    expect(textOf(await latest('change:1:announcement'))).toContain(`${names.length} of 10 approvals`);
  });

  it('stops at the policy: with five parallel approvers of a medium change exactly two approvals count, the rest hear who approved', async () => {
    await world.services.changes.request(rita, request());
    const approvers = await Promise.all(['ann', 'bob', 'cy', 'mia', 'admin'].map((n) => world.actor(n)));
    const results = await Promise.allSettled(approvers.map((a) => world.services.changes.approve(a, 1)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const change = await world.services.changes.get(1);
    expect(change.state).toBe('scheduled');
    const approvals = await world.store.manager.find(ChangeApproval, { where: { changeId: 1 }, order: { id: 'ASC' } });
    expect(approvals).toHaveLength(2);
    const firstTwo = approvers.filter((a) => approvals.some((row) => row.approverId === a.personId)).map((a) => a.displayName);
    for (const result of results) {
      if (result.status === 'fulfilled') continue;
      const error = result.reason as ConflictError;
      expect(error.messageKey).toBe('changes.error.alreadyApproved');
      expect(typeof error.params.person === 'string' ? error.params.person.split(', ').sort() : []).toEqual([...firstTwo].sort());
      expect(error.params.time).toBe('2026-11-23 10:00');
    }
    const events = await world.store.manager.find(RecordEvent, { where: { recordKind: 'change', recordId: 1 }, order: { id: 'ASC' } });
    expect(events.map((e) => e.kind)).toEqual(['submitted', 'approve', 'approve', 'approved', 'scheduled']);
  });

  it('updates every copy in place as decisions come in, takes the buttons away once decided, and tells the requester', async () => {
    await world.services.changes.request(rita, request());
    const ann = await world.actor('ann');
    const bob = await world.actor('bob');
    world.clock.advance(10 * 60_000);
    await world.services.changes.approve(ann, 1, 'Fine after the backup check');
    const annCopy = await latest(`change:1:approval:${ann.personId}`);
    const bobCopy = await latest(`change:1:approval:${bob.personId}`);
    expect(actionIds(annCopy)).toEqual([]);
    expect(textOf(annCopy)).toContain('You approved CHG-1 at 2026-11-23 10:10');
    expect(actionIds(bobCopy)).toContain('change.approve');
    expect(textOf(bobCopy)).toContain('1 of 2 approvals: approved by @ann');
    expect(textOf(await latest('change:1:announcement'))).toContain('Fine after the backup check');

    const again = await refusal(world.services.changes.approve(ann, 1));
    expect([again.messageKey, again.params.time]).toEqual(['changes.error.youApproved', '2026-11-23 10:10']);

    await world.services.changes.approve(bob, 1);
    for (const name of ['admin', 'ann', 'bob', 'cy', 'mia']) {
      const copy = await latest(`change:1:approval:${await person(name)}`);
      expect([name, actionIds(copy)]).toEqual([name, []]);
      expect(textOf(copy)).toContain('Approved (2): @ann, @bob');
    }
    const card = await latest('change:1:announcement');
    expect(payload(card).title).toContain('📅 CHG-1');
    expect(actionIds(card)).toEqual([]);
    const ritaDms = (await outbox()).filter((m) => m.targetId === 'rita' && m.messageKey === null);
    expect(textOf(ritaDms.at(-1))).toContain('Your change CHG-1 is approved and scheduled for 2026-11-25 22:00 – 2026-11-26 00:00 (Europe/Berlin)');

    const audit = await world.store.manager.find(AuditEntry, { where: { recordType: 'change' }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual(['change.submitted', 'change.approve', 'change.approve', 'change.approved', 'change.scheduled']);
    expect(JSON.parse(audit[1]?.after ?? '{}')).toMatchObject({ decision: 'approved', approver: 'ann', comment: 'Fine after the backup check', approvals: 1 });
    expect([audit[1]?.actorLabel, audit[1]?.createdAt.toISOString()]).toEqual(['ann', '2026-11-23T09:10:00.000Z']);
    expect((await verifyChain(world.store.manager)).ok).toBe(true);
  });

  it('never lets the requester approve their own change, and refuses non-approvers', async () => {
    await world.services.changes.request(rita, request());
    const own = await refusal(world.services.changes.approve(rita, 1));
    expect([own.kind, own.messageKey]).toEqual(['forbidden', 'changes.error.ownChange']);
    const eve = await refusal(world.services.changes.approve(await world.actor('eve'), 1));
    expect(eve.messageKey).toBe('changes.error.approverOnly');
    expect(await world.store.manager.count(ChangeApproval)).toBe(0);
  });

  it('rejects on one rejection, which needs a reason; the requester hears why and later clicks are told', async () => {
    await world.services.changes.request(rita, request());
    const ann = await world.actor('ann');
    const bob = await world.actor('bob');
    await world.services.changes.approve(ann, 1);
    const empty = await refusal(world.services.changes.reject(bob, 1, '   '));
    expect([empty.messageKey, empty.field]).toEqual(['changes.error.reasonRequired', 'reason']);
    await world.services.changes.reject(bob, 1, 'No rollback rehearsal on production-size data');
    expect((await world.services.changes.get(1)).state).toBe('rejected');
    const ritaDm = (await outbox()).filter((m) => m.targetId === 'rita' && m.messageKey === null).at(-1);
    expect(textOf(ritaDm)).toContain('rejected by @bob: No rollback rehearsal on production-size data');
    const late = await refusal(world.services.changes.approve(await world.actor('cy'), 1));
    expect([late.messageKey, late.params.person]).toEqual(['changes.error.alreadyRejected', 'bob']);
    const entry = await world.store.manager.findOneOrFail(AuditEntry, { where: { action: 'change.reject' } });
    expect(JSON.parse(entry.after ?? '{}')).toMatchObject({ decision: 'rejected', approver: 'bob', comment: 'No rollback rehearsal on production-size data' });
  });

  it('needs a manager among the approvers of a high-risk change', async () => {
    await world.services.changes.request(rita, request({ risk: 'high' }));
    await world.services.changes.approve(await world.actor('ann'), 1);
    await world.services.changes.approve(await world.actor('bob'), 1);
    expect((await world.services.changes.get(1)).state).toBe('submitted');
    expect(textOf(await latest('change:1:announcement'))).toContain('A manager must be among the approvers.');
    await world.services.changes.approve(await world.actor('mia'), 1);
    expect((await world.services.changes.get(1)).state).toBe('scheduled');
  });

  it('runs an emergency change: a manager approves, it may start at once, a failure says what happened, and a manager reviews it', async () => {
    const change = await world.services.changes.request(rita, request({ type: 'emergency', risk: 'high', window: { start: new Date('2026-11-23T09:00:00Z'), end: new Date('2026-11-23T12:00:00Z') } }));
    expect(change.managerRequired).toBe(1);
    const asked = (await outbox()).filter((m) => m.messageKey?.startsWith('change:1:approval:')).map((m) => m.targetId).sort();
    expect(asked).toEqual(['admin', 'mia']);
    const notManager = await refusal(world.services.changes.approve(await world.actor('ann'), 1));
    expect(notManager.messageKey).toBe('changes.error.emergencyManagerOnly');
    const mia = await world.actor('mia');
    await world.services.changes.approve(mia, 1);
    const prompt = await latest(`change:1:implement:${rita.personId}`);
    expect(actionIds(prompt)).toEqual(['change.start', 'change.handOver', 'change.details']);

    await world.services.changes.start(rita, 1);
    const noNote = await refusal(world.services.changes.finish(rita, 1, 'failed', ' '));
    expect([noNote.messageKey, noNote.field]).toEqual(['changes.error.whatHappenedRequired', 'note']);
    await world.services.changes.finish(rita, 1, 'failed', 'Replica lagged; restored from snapshot');
    const failed = await world.services.changes.get(1);
    expect([failed.state, failed.outcomeNote]).toEqual(['failed', 'Replica lagged; restored from snapshot']);
    const reviewTask = await latest(`change:1:review:${mia.personId}`);
    expect(actionIds(reviewTask)).toEqual(['change.review', 'change.details']);
    expect(actionIds(await latest('change:1:announcement'))).toEqual(['change.review', 'change.details']);

    const notAllowed = await refusal(world.services.changes.review(await world.actor('ann'), 1, 'ok'));
    expect(notAllowed.messageKey).toBe('changes.error.reviewManagerOnly');
    await world.services.changes.review(mia, 1, 'Justified; add a replica-lag check to the runbook');
    expect((await world.services.changes.get(1)).state).toBe('reviewed');
    expect(actionIds(await latest(`change:1:review:${mia.personId}`))).toEqual([]);
    expect(actionIds(await latest('change:1:announcement'))).toEqual([]);
    const twice = await refusal(world.services.changes.review(mia, 1, 'again'));
    expect([twice.messageKey, twice.params.person]).toEqual(['changes.error.alreadyReviewed', 'mia']);
  });

  it('schedules a standard change as pre-approved, without asking anyone', async () => {
    await world.services.changes.request(rita, request({ type: 'standard', risk: 'low' }));
    const change = await world.services.changes.get(1);
    expect([change.state, change.approvalsRequired]).toEqual(['scheduled', 0]);
    expect((await outbox()).filter((m) => m.messageKey?.includes(':approval:'))).toEqual([]);
    const preApproved = await refusal(world.services.changes.approve(await world.actor('ann'), 1));
    expect(preApproved.messageKey).toBe('changes.error.preApproved');
    const approved = await world.store.manager.findOneOrFail(AuditEntry, { where: { action: 'change.approved' } });
    expect([approved.actorId, approved.actorLabel]).toEqual([null, 'opsdesk']);
  });

  it('warns about freezes and overlapping approved windows on the same item; in a freeze only emergencies are scheduled', async () => {
    await world.services.changes.request(rita, request({ type: 'standard', configItems: ['db-01', 'billing-api'] }));
    await world.services.settings.set(admin, 'change_freeze', '2026-11-25..2026-11-25');
    await world.services.changes.request(rita, request({ title: 'Rotate DB certificates', configItems: ['DB-01'] }));
    const copy = textOf(await latest(`change:2:approval:${await person('ann')}`));
    expect(copy).toContain('⚠ Overlaps CHG-1 on db-01 (2026-11-25 22:00 – 2026-11-26 00:00 (Europe/Berlin))');
    expect(copy).toContain('⚠ The window falls in the change freeze 2026-11-25..2026-11-25');

    await world.services.changes.approve(await world.actor('ann'), 2);
    await world.services.changes.approve(await world.actor('bob'), 2);
    expect((await world.services.changes.get(2)).state).toBe('approved');
    const told = (await outbox()).filter((m) => m.targetId === 'rita' && m.messageKey === null).at(-1);
    expect(textOf(told)).toContain('approved but not scheduled: its window falls in the change freeze 2026-11-25..2026-11-25');
    expect(actionIds(told)).toEqual(['change.reschedule', 'change.details']);

    const frozen = await refusal(world.services.changes.reschedule(rita, 2, { start: new Date('2026-11-25T10:00:00Z'), end: new Date('2026-11-25T11:00:00Z') }));
    expect([frozen.messageKey, frozen.field]).toEqual(['changes.error.inFreeze', 'windowStart']);
    const rescheduled = await world.services.changes.reschedule(rita, 2, { start: new Date('2026-11-26T21:00:00Z'), end: new Date('2026-11-26T22:00:00Z') });
    expect(rescheduled.state).toBe('scheduled');

    const emergency = await world.services.changes.request(rita, request({ type: 'emergency', title: 'Patch OpenSSL', configItems: ['web'] }));
    await world.services.changes.approve(await world.actor('mia'), emergency.id);
    expect((await world.services.changes.get(emergency.id)).state).toBe('scheduled');
  });

  it('refuses starting before approval or outside the window and records each attempt as a compliance finding', async () => {
    await world.services.changes.request(rita, request());
    const early = await refusal(world.services.changes.start(rita, 1));
    expect(early.messageKey).toBe('changes.error.start.not_approved');
    await world.services.changes.approve(await world.actor('ann'), 1);
    await world.services.changes.approve(await world.actor('bob'), 1);
    const beforeWindow = await refusal(world.services.changes.start(rita, 1));
    expect(beforeWindow.messageKey).toBe('changes.error.start.before_window');
    const outsider = await refusal(world.services.changes.start(await world.actor('cy'), 1));
    expect(outsider.messageKey).toBe('changes.error.implementerOnly');

    const findings = await world.store.manager.find(AuditEntry, { where: { action: 'change.compliance_violation' }, order: { id: 'ASC' } });
    expect(findings.map((f) => [f.actorLabel, (JSON.parse(f.after ?? '{}') as { reason: string }).reason])).toEqual([
      ['rita', 'not_approved'],
      ['rita', 'before_window'],
    ]);
    expect(await world.store.manager.count(RecordEvent, { where: { recordKind: 'change', recordId: 1, kind: 'compliance_violation' } })).toBe(2);
    expect((await world.services.changes.get(1)).state).toBe('scheduled');

    world.clock.set(new Date('2026-11-25T21:05:00Z'));
    await world.services.changes.start(rita, 1);
    const twice = await refusal(world.services.changes.start(rita, 1));
    expect([twice.messageKey, twice.params.person]).toEqual(['changes.error.alreadyStarted', 'rita']);
    await world.services.changes.finish(rita, 1, 'completed');
    expect((await world.services.changes.get(1)).state).toBe('completed');
    expect(await world.store.manager.count(AuditEntry, { where: { action: 'change.compliance_violation' } })).toBe(2);
  });

  it('hands implementation over to an engineer only', async () => {
    await world.services.changes.request(rita, request());
    const notEngineer = await refusal(world.services.changes.handOver(rita, 1, { platform: 'shell', userId: 'ann' }));
    expect([notEngineer.messageKey, notEngineer.field]).toEqual(['changes.error.implementerNotEngineer', 'implementer']);
    const handed = await world.services.changes.handOver(rita, 1, { platform: 'shell', userId: 'eve' });
    expect(handed.implementerId).toBe(await person('eve'));
    await world.services.changes.approve(await world.actor('ann'), 1);
    await world.services.changes.approve(await world.actor('bob'), 1);
    world.clock.set(new Date('2026-11-25T21:00:00Z'));
    expect(await world.services.changes.promptOpenWindows()).toBe(1);
    expect(actionIds(await latest(`change:1:implement:${await person('eve')}`))).toContain('change.start');
    const ritaNow = await refusal(world.services.changes.start(rita, 1));
    expect(ritaNow.messageKey).toBe('changes.error.implementerOnly');
    await world.services.changes.start(await world.actor('eve'), 1);
  });
});

describe('approval reminders and window prompts', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await openTestWorld();
    const admin = await world.actor('admin');
    for (const name of ['ann', 'bob']) await world.services.people.grant(admin, { platform: 'shell', userId: name }, 'approver');
  });
  afterEach(async () => world.store.close());

  it('reminds each waiting approver once per interval, from stored state, and not after they decided', async () => {
    const rita = await world.actor('rita');
    await world.services.changes.request(rita, request());
    world.clock.advance(4 * 3_600_000 - 60_000);
    expect(await world.services.changes.remindApprovers()).toBe(0);
    world.clock.advance(60_000);
    expect(await world.services.changes.remindApprovers()).toBe(3);
    expect(await world.services.changes.remindApprovers()).toBe(0);

    const annId = (await world.actor('ann')).personId;
    const rows = await world.store.manager.find(OutboxMessage, { order: { id: 'ASC' } });
    const first = rows.filter((m) => m.messageKey === `change:1:reminder:${annId}:1`);
    expect(first).toHaveLength(1);
    expect(JSON.stringify(payload(first[0]))).toContain('⏰ Reminder: CHG-1 has been waiting for your decision since 2026-11-23 10:00.');
    expect(actionIds(first[0])).toContain('change.approve');

    // A restarted process (new services over the same database) sends nothing twice.
    const { createServices } = await import('../../src/services.js');
    const again = createServices({ store: world.store, clock: world.clock, timeZone: 'Europe/Berlin', defaultLocale: 'en', bootstrapAdmins: [], channelDefaults: {} });
    expect(await again.changes.remindApprovers()).toBe(0);

    await world.services.changes.approve(await world.actor('ann'), 1);
    world.clock.advance(4 * 3_600_000);
    expect(await world.services.changes.remindApprovers()).toBe(2);
    const after = await world.store.manager.find(OutboxMessage, { order: { id: 'ASC' } });
    expect(after.filter((m) => m.messageKey === `change:1:reminder:${annId}:2`)).toEqual([]);
    const bobId = (await world.actor('bob')).personId;
    const superseded = after.filter((m) => m.messageKey === `change:1:reminder:${bobId}:1`).at(-1);
    expect(actionIds(superseded)).toEqual([]);
    expect(actionIds(after.filter((m) => m.messageKey === `change:1:reminder:${bobId}:2`).at(-1))).toContain('change.approve');
  });

  it('sends the request to someone who became an approver while it waits', async () => {
    const rita = await world.actor('rita');
    await world.services.changes.request(rita, request());
    const admin = await world.actor('admin');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'nia' }, 'approver');
    expect(await world.services.changes.remindApprovers()).toBe(0);
    const nia = await world.actor('nia');
    const rows = await world.store.manager.find(OutboxMessage, { where: { messageKey: `change:1:approval:${nia.personId}` } });
    expect(rows).toHaveLength(1);
  });

  it('prompts the implementer once when the window opens', async () => {
    const rita = await world.actor('rita');
    await world.services.changes.request(rita, request({ type: 'standard' }));
    expect(await world.services.changes.promptOpenWindows()).toBe(0);
    world.clock.set(new Date('2026-11-25T21:00:00Z'));
    expect(await world.services.changes.promptOpenWindows()).toBe(1);
    expect(await world.services.changes.promptOpenWindows()).toBe(0);
    const prompt = await world.store.manager.find(OutboxMessage, { where: { messageKey: `change:1:implement:${rita.personId}` } });
    expect(prompt).toHaveLength(1);
    expect(JSON.stringify(payload(prompt[0]))).toContain('The window of CHG-1 is open');
  });
});

describe('change lists, details and the calendar', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await openTestWorld();
    const admin = await world.actor('admin');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'ann' }, 'approver');
  });
  afterEach(async () => world.store.close());

  it('lists pending and scheduled changes, shows the timeline with compliance findings, and lays out two weeks of windows by day in TZ_NAME', async () => {
    const { changeListMessage, changeDetailMessage, calendarMessage } = await import('../../src/changes/views.js');
    const { translator } = await import('../../src/chat/i18n/catalog.js');
    const t = translator('en');
    const rita = await world.actor('rita');
    await world.services.changes.request(rita, request({ type: 'standard', title: 'Late window', window: { start: new Date('2026-11-26T22:30:00Z'), end: new Date('2026-11-27T00:30:00Z') } }));
    await world.services.changes.request(rita, request({ type: 'standard', title: 'Early window' }));
    await world.services.changes.request(rita, request({ title: 'Waiting one', risk: 'low' }));
    await world.services.changes.request(rita, request({ type: 'standard', title: 'Far away', window: { start: new Date('2026-12-20T10:00:00Z'), end: new Date('2026-12-20T11:00:00Z') } }));
    await world.services.changes.start(rita, 3).catch(() => undefined);

    const pending = await world.services.changeQueries.list('pending');
    expect(pending.changes.map((c) => c.title)).toEqual(['Waiting one']);
    const scheduled = await world.services.changeQueries.list('scheduled');
    expect(scheduled.changes.map((c) => c.title)).toEqual(['Early window', 'Late window', 'Far away']);
    expect(changeListMessage(scheduled, 'x', 'Europe/Berlin', t).body?.split('\n')[0]).toBe('CHG-2 · Scheduled · Medium risk · Standard · 2026-11-25 22:00 · Early window');
    expect((await world.services.changeQueries.list('all')).total).toBe(4);

    const detail = await world.services.changeQueries.detail(3);
    const shown = changeDetailMessage(detail.snapshot, detail.timeline, { t, platform: 'shell', timeZone: 'Europe/Berlin', people: detail.people });
    expect(shown.body).toContain('2026-11-23 10:00 · rita: submitted');
    expect(shown.body).toContain('2026-11-23 10:00 · rita: ⚠ compliance finding: start refused (not_approved)');

    const calendar = calendarMessage(await world.services.changeQueries.calendar(world.clock.now()), 'Europe/Berlin', 'en', t);
    expect(calendar.body?.split('\n')).toEqual([
      '*2026-11-25 Wed*',
      '22:00 – 2026-11-26 00:00 · CHG-2 · Early window · db-01 · Scheduled',
      '*2026-11-26 Thu*',
      '23:30 – 2026-11-27 01:30 · CHG-1 · Late window · db-01 · Scheduled',
    ]);
    const zh = calendarMessage([], 'Europe/Berlin', 'zh-CN', translator('zh-CN'));
    expect(zh.body).toBe('未来 14 天没有已批准的变更窗口。');
  });
});
