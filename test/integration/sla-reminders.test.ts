import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.js';
import type { ChatMessage } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { ConflictError, ForbiddenError } from '../../src/errors.js';
import { AuditEntry, Fault, OutboxMessage, SlaNotice } from '../../src/store/entities/index.js';
import { openTestWorld, freshTestDatabase, type TestWorld } from '../helpers/db.js';

const MIN = 60_000;
const T0 = '2026-11-23T09:00:00.000Z'; // Monday, 10:00 in Berlin
const P1 = { title: 'Mail server down', description: 'Nobody can send mail', category: 'network' as const, impact: 1 as const, urgency: 1 as const };
const P2 = { ...P1, title: 'Printer queue stuck', impact: 1 as const, urgency: 2 as const };

const worlds: TestWorld[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.store.close();
});

async function world(options: { url?: string; at?: string } = {}): Promise<TestWorld> {
  const created = await openTestWorld({ ...(options.url ? { url: options.url } : {}), clock: new ManualClock(new Date(options.at ?? T0)) });
  worlds.push(created);
  return created;
}

/** Engineers li.wei and sam on the primary rotation (li.wei first), mia the manager. */
async function staff(w: TestWorld): Promise<void> {
  const admin = await w.actor('admin');
  for (const [name, role] of [
    ['li.wei', 'engineer'],
    ['sam', 'engineer'],
    ['mia', 'manager'],
  ] as const) {
    await w.services.people.grant(admin, { platform: 'shell', userId: name }, role);
  }
  await w.services.oncall.setRotation(admin, 'primary', [{ platform: 'shell', userId: 'li.wei' }, { platform: 'shell', userId: 'sam' }], { weekday: 1, minute: 9 * 60 }, 7);
}

const payload = (row: OutboxMessage): ChatMessage => JSON.parse(row.payload) as ChatMessage;

/** SLA notices sent so far as `kind target#step -> recipient @HH:MM(late)`. */
async function notices(w: TestWorld): Promise<string[]> {
  const rows = await w.store.manager.find(SlaNotice, { order: { id: 'ASC' } });
  return rows.map((n) => `${n.kind} ${n.target}#${n.step} -> ${n.recipient} @${n.sentAt.toISOString().slice(11, 16)}${n.late ? ' late' : ''}`);
}

/** The direct messages the SLA machinery queued (reminders, breach notices, escalations). */
async function slaDms(w: TestWorld): Promise<{ to: string; text: string; buttons: string[]; context: string[] }[]> {
  const rows = await w.store.manager.find(OutboxMessage, { where: { targetKind: 'dm' }, order: { id: 'ASC' } });
  return rows
    .map((row) => ({ row, message: payload(row) }))
    .filter(({ message }) => /^(⏰|⚠️|🚨)/.test(message.body ?? ''))
    .map(({ row, message }) => ({ to: row.targetId, text: message.body ?? '', buttons: (message.buttons ?? []).map((b) => b.actionId), context: message.context ?? [] }));
}

async function personId(w: TestWorld, name: string): Promise<number> {
  return (await w.actor(name)).personId;
}

/** Runs the sweep at every minute from the clock's time until `until` (as the job would). */
async function sweepEachMinute(w: TestWorld, until: string): Promise<void> {
  const end = new Date(until).getTime();
  while (w.clock.now().getTime() < end) {
    w.clock.advance(MIN);
    await w.services.slaSweep.run();
  }
}

describe('SLA reminders and escalations', () => {
  it('reminds the on-call engineer at 50/75/90 % of a P1 response, records the breach and escalates, each exactly once', async () => {
    const w = await world();
    await staff(w);
    const anna = await w.actor('anna');
    const fault = await w.services.faults.report(anna, P1);
    expect(fault.responseDueAt?.toISOString()).toBe('2026-11-23T09:15:00.000Z');
    expect(fault.resolveDueAt?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    expect(fault.nextReminderAt?.toISOString()).toBe('2026-11-23T09:07:30.000Z');
    const [li, sam, mia] = [await personId(w, 'li.wei'), await personId(w, 'sam'), await personId(w, 'mia')];

    await w.services.slaSweep.run(); // 09:00: nothing is due
    await sweepEachMinute(w, '2026-11-23T09:50:00Z');
    await w.services.slaSweep.run(); // and once more at the same minute: nothing new

    expect(await notices(w)).toEqual([
      `remind response#0 -> person:${li} @09:08`,
      `remind response#1 -> person:${li} @09:12`,
      `remind response#2 -> person:${li} @09:14`,
      `breach response#3 -> person:${li} @09:15`,
      `escalate response#4 -> person:${sam} @09:15`,
      `escalate response#5 -> person:${mia} @09:45`,
    ]);
    const dms = await slaDms(w);
    expect(dms.map((d) => d.to)).toEqual(['li.wei', 'li.wei', 'li.wei', 'li.wei', 'sam', 'mia']);
    expect(dms[0]?.text).toBe('⏰ INC-1 (P1): the response is due by 10:15, 7 min left (50% of the time used).');
    expect(dms[0]?.buttons).toEqual(['fault.ack', 'sla.snooze15', 'sla.snooze60']);
    expect(dms[2]?.text).toContain('(90% of the time used)');
    expect(dms[3]?.text).toBe('⚠️ INC-1 (P1): the response is overdue by 1 min (it was due at 10:15).');
    expect(dms[3]?.buttons).toEqual(['fault.ack']);
    expect(dms[4]?.text).toContain('Escalation to you as Secondary: INC-1 (P1)');
    expect(dms[4]?.text).toContain('Responsible: @li.wei. Reminded before: @li.wei at 10:08, @li.wei at 10:12, @li.wei at 10:14, @li.wei at 10:15.');
    expect(dms[5]?.text).toContain('Escalation to you as Manager');

    const stored = await w.store.manager.findOneByOrFail(Fault, { id: fault.id });
    expect(stored.responseBreachedAt?.toISOString()).toBe('2026-11-23T09:15:00.000Z');
    expect(stored.slaResponseStep).toBe(6);
    expect(stored.version).toBe(fault.version); // the sweep never bumps the optimistic version
    const breach = await w.store.manager.find(AuditEntry, { where: { action: 'sla.breach.response' } });
    expect(breach.map((a) => a.recordId)).toEqual(['INC-1']);
    expect(await verifyChain(w.store.manager)).toMatchObject({ ok: true });

    // The channel card was edited in place to show the breach.
    const cards = await w.store.manager.find(OutboxMessage, { where: { messageKey: 'fault:1:announcement' }, order: { id: 'ASC' } });
    const last = cards[cards.length - 1];
    expect(last && payload(last).fields?.find((f) => f.label === 'SLA')?.value).toContain('⚠ response overdue by');
  });

  it('stops response reminders once acknowledged and sends resolution reminders to the assignee; waiting on the user pauses them', async () => {
    const w = await world();
    await staff(w);
    const [anna, sam] = [await w.actor('anna'), await w.actor('sam')];
    const fault = await w.services.faults.report(anna, P1);
    await sweepEachMinute(w, '2026-11-23T09:09:00Z');
    const acked = await w.services.faults.acknowledge(sam, fault.id);
    expect(acked.nextReminderAt?.toISOString()).toBe('2026-11-23T11:00:00.000Z'); // 50 % of 4 h
    expect(acked.responseBreachedAt).toBeNull();

    w.clock.set(new Date('2026-11-23T10:00:00Z'));
    const waiting = await w.services.faults.waitOnUser(sam, fault.id);
    expect(waiting.resolveDueAt).toBeNull();
    expect(waiting.nextReminderAt).toBeNull();
    w.clock.set(new Date('2026-11-23T12:00:00Z'));
    await w.services.slaSweep.run();
    const resumed = await w.services.faults.resume(sam, fault.id);
    expect(resumed.resolveDueAt?.toISOString()).toBe('2026-11-23T15:00:00.000Z'); // 13:00 + the 2 h wait
    expect(resumed.nextReminderAt?.toISOString()).toBe('2026-11-23T13:00:00.000Z');

    await sweepEachMinute(w, '2026-11-23T13:01:00Z');
    const samId = await personId(w, 'sam');
    const liId = await personId(w, 'li.wei');
    expect(await notices(w)).toEqual([`remind response#0 -> person:${liId} @09:08`, `remind resolve#0 -> person:${samId} @13:00`]);
    const last = (await slaDms(w)).at(-1);
    expect(last?.buttons).toEqual(['fault.resolve', 'sla.snooze15', 'sla.snooze60']);
  });

  it('snooze delays the next reminder but never the breach', async () => {
    const w = await world();
    await staff(w);
    const [anna, sam] = [await w.actor('anna'), await w.actor('sam')];
    const fault = await w.services.faults.report(anna, P1);
    await w.services.faults.acknowledge(sam, fault.id);
    w.clock.set(new Date('2026-11-23T11:00:00Z'));
    await w.services.slaSweep.run(); // 50 % of the resolution
    w.clock.advance(10 * MIN);
    await expect(w.services.sla.snooze(anna, 'INC-1', 60)).rejects.toBeInstanceOf(ForbiddenError);
    const snoozed = await w.services.sla.snooze(sam, 'INC-1', 60);
    expect(snoozed.until.toISOString()).toBe('2026-11-23T12:10:00.000Z');
    expect(snoozed.next?.toISOString()).toBe('2026-11-23T12:10:00.000Z'); // 75 % was due at 12:00

    await sweepEachMinute(w, '2026-11-23T12:09:00Z');
    expect((await notices(w)).filter((n) => n.startsWith('remind resolve'))).toHaveLength(1);
    await sweepEachMinute(w, '2026-11-23T12:10:00Z');
    expect((await notices(w)).filter((n) => n.startsWith('remind resolve'))).toHaveLength(2);

    // A long snooze: the 90 % reminder is overtaken, the breach still comes at 13:00.
    await w.services.sla.snooze(sam, 'INC-1', 60);
    await sweepEachMinute(w, '2026-11-23T13:00:00Z');
    const resolve = (await notices(w)).filter((n) => n.includes(' resolve#'));
    expect(resolve.map((n) => n.split(' -> ')[0])).toEqual(['remind resolve#0', 'remind resolve#1', 'breach resolve#3', 'escalate resolve#4']);
    await expect(w.services.sla.snooze(sam, 'INC-9', 15)).rejects.toThrow();
  });

  it('sends nothing twice across a restart between two sweeps (a new process on the same file)', async () => {
    const url = await freshTestDatabase();
    const first = await world({ url });
    await staff(first);
    await first.services.faults.report(await first.actor('anna'), P1);
    first.clock.set(new Date('2026-11-23T09:08:00Z'));
    await first.services.slaSweep.run();
    await first.store.close();
    worlds.splice(worlds.indexOf(first), 1);

    const second = await world({ url, at: '2026-11-23T09:08:30Z' });
    await second.services.slaSweep.run();
    const li = await personId(second, 'li.wei');
    expect(await notices(second)).toEqual([`remind response#0 -> person:${li} @09:08`]);
    second.clock.set(new Date('2026-11-23T09:12:00Z'));
    await second.services.slaSweep.run();
    await second.services.slaSweep.run();
    expect(await notices(second)).toEqual([`remind response#0 -> person:${li} @09:08`, `remind response#1 -> person:${li} @09:12`]);
    expect((await slaDms(second)).length).toBe(2);
  });

  it('sends a reminder that fell due during downtime once at start-up, marked late, and skips the ones it overtook', async () => {
    const url = await freshTestDatabase();
    const before = await world({ url });
    await staff(before);
    await before.services.faults.report(await before.actor('anna'), P2); // response due 09:30
    before.clock.set(new Date('2026-11-23T09:05:00Z'));
    await before.services.slaSweep.run();
    await before.store.close();
    worlds.splice(worlds.indexOf(before), 1);

    // Down from 09:05 to 09:25: the 50 % (09:15) and 75 % (09:22:30) reminders fell due meanwhile.
    const after = await world({ url, at: '2026-11-23T09:25:00Z' });
    await after.services.slaSweep.run();
    await after.services.slaSweep.run();
    const li = await personId(after, 'li.wei');
    expect(await notices(after)).toEqual([`remind response#1 -> person:${li} @09:25 late`]);
    const [late] = await slaDms(after);
    expect(late?.context).toEqual(['Late: this fell due at 10:22 while opsdesk was not running.']);
    expect(late?.text).toContain('5 min left (75% of the time used)');

    after.clock.set(new Date('2026-11-23T09:27:00Z'));
    await after.services.slaSweep.run();
    expect((await notices(after)).at(-1)).toBe(`remind response#2 -> person:${li} @09:27`);
  });

  it('with two processes on one database, sends each reminder exactly once', async () => {
    const url = await freshTestDatabase();
    const a = await world({ url });
    const b = await world({ url });
    for (const w of [a, b]) if (w.store.kind === 'sqlite') await w.store.dataSource.query('PRAGMA busy_timeout = 0'); // see jobs-scheduler.test.ts
    await staff(a);
    const anna = await a.actor('anna');
    for (let i = 0; i < 4; i++) await a.services.faults.report(anna, { ...P1, title: `Outage ${i}` });
    for (const minute of [1, 8, 9, 12, 14, 15, 16, 45, 46]) {
      const now = new Date(new Date(T0).getTime() + minute * MIN);
      a.clock.set(now);
      b.clock.set(now);
      await Promise.all([a.services.slaSweep.run(), b.services.slaSweep.run()]);
    }
    const sent = await notices(a);
    expect(sent).toHaveLength(4 * 6);
    const rows = await a.store.manager.find(SlaNotice);
    expect(new Set(rows.map((n) => `${n.recordId}/${n.target}/${n.step}/${n.recipient}`)).size).toBe(24);
    expect(new Set(rows.map((n) => n.recordId))).toEqual(new Set([1, 2, 3, 4]));
    expect(await slaDms(a)).toHaveLength(24);
  });

  it('runs the same clocks for service requests: Take on the response reminder, Fulfil on the fulfilment reminder', async () => {
    const w = await world();
    await staff(w);
    await w.services.requests.submit(await w.actor('anna'), { title: 'VPN access', requestType: 'access', importance: 1, urgency: 2 }); // P2
    w.clock.set(new Date('2026-11-23T09:15:00Z'));
    await w.services.slaSweep.run();
    const [remind] = await slaDms(w);
    expect(remind).toEqual({
      to: 'li.wei',
      text: '⏰ REQ-1 (P2): the response is due by 10:30, 15 min left (50% of the time used).',
      buttons: ['request.take', 'sla.snooze15', 'sla.snooze60'],
      context: [],
    });
    w.clock.set(new Date('2026-11-23T09:20:00Z'));
    await w.services.requests.take(await w.actor('sam'), 1);
    w.clock.set(new Date('2026-11-23T13:00:00Z'));
    await w.services.slaSweep.run();
    const fulfil = (await slaDms(w)).at(-1);
    expect(fulfil?.to).toBe('sam');
    expect(fulfil?.text).toBe('⏰ REQ-1 (P2): the fulfilment is due by 18:00, 4 h left (50% of the time used).');
    expect(fulfil?.buttons[0]).toBe('request.fulfil');
  });

  it('posts to the fault channel when nobody is assigned or on call', async () => {
    const w = await world();
    const fault = await w.services.faults.report(await w.actor('anna'), P1);
    w.clock.set(new Date('2026-11-23T09:08:00Z'));
    await w.services.slaSweep.run();
    const rows = await w.store.manager.find(OutboxMessage, { where: { targetKind: 'channel' }, order: { id: 'ASC' } });
    const reminder = rows.map(payload).find((m) => m.body?.startsWith('⏰'));
    expect(reminder?.context?.[0]).toContain('Nobody is assigned or on call');
    expect(await notices(w)).toEqual(['remind response#0 -> channel:slack:CFAULTS @09:08']);
    expect(fault.id).toBe(1);
  });

  it('records a late acknowledgement as a response breach without a sweep', async () => {
    const w = await world();
    await staff(w);
    const fault = await w.services.faults.report(await w.actor('anna'), P1);
    w.clock.set(new Date('2026-11-23T09:20:00Z'));
    const acked = await w.services.faults.acknowledge(await w.actor('sam'), fault.id);
    expect(acked.responseBreachedAt?.toISOString()).toBe('2026-11-23T09:15:00.000Z');
    const audit = await w.store.manager.find(AuditEntry, { where: { recordType: 'fault' }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual(['fault.reported', 'sla.breach.response', 'fault.acknowledge']);
    await expect(w.services.sla.snooze(await w.actor('sam'), 'INC-1', 15)).resolves.toMatchObject({ id: 'INC-1' });
    await w.services.faults.resolve(await w.actor('sam'), fault.id, { rootCause: 'x', resolutionSteps: 'y' });
    await expect(w.services.sla.snooze(await w.actor('sam'), 'INC-1', 15)).rejects.toBeInstanceOf(ConflictError);
  });
});
