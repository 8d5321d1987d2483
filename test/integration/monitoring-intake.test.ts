import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { CARD_BODY_MAX } from '../../src/chat/format.js';
import { renderMessage } from '../../src/platforms/slack/render.js';
import { parseAlertmanager, parseGeneric, parseGrafana, type Notification } from '../../src/monitoring/normalize.js';
import { IntakeSql } from '../../src/monitoring/sql.js';
import { Alert, AlertGroup, Fault, OutboxMessage, RecordEvent } from '../../src/store/entities/index.js';
import { openTestWorld, tempSqliteUrl, type TestWorld } from '../helpers/db.js';
import { amBody, grafanaBody, type AlertSpec } from '../helpers/alerts.js';
import { periodOrThrow } from '../../src/reports/period.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.store.close();
});

async function world(): Promise<TestWorld> {
  const w = await openTestWorld({ clock: new ManualClock(new Date('2026-11-23T09:00:00Z')) });
  worlds.push(w);
  return w;
}

function am(groupKey: string, alerts: AlertSpec[], extra: Record<string, unknown> = {}): Notification {
  const parsed = parseAlertmanager(JSON.parse(JSON.stringify(amBody(groupKey, alerts, extra))));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.notification;
}

async function outbox(w: TestWorld): Promise<{ row: OutboxMessage; message: ChatMessage }[]> {
  const rows = await w.store.manager.find(OutboxMessage, { order: { id: 'ASC' } });
  return rows.map((row) => ({ row, message: JSON.parse(row.payload) as ChatMessage }));
}

async function onCall(w: TestWorld, userId: string): Promise<void> {
  const admin = await w.actor('admin');
  await w.services.people.grant(admin, { platform: 'shell', userId }, 'engineer');
  await w.services.oncall.setRotation(admin, 'primary', [{ platform: 'shell', userId }], { weekday: 1, minute: 0 }, 7);
}

describe('monitoring intake', () => {
  it('opens one fault per group with priority from severity, lists the alerts, announces it and pages the on-call primary', async () => {
    const w = await world();
    await onCall(w, 'li.wei');
    const before = (await outbox(w)).length;
    const result = await w.services.alerts.ingest(am('{}:{alertname="DiskFull"}', [
      { name: 'DiskFull', fingerprint: 'aaaaaaaaaaaaaaa1', severity: 'warning' },
      { name: 'DiskFull', fingerprint: 'aaaaaaaaaaaaaaa2', severity: 'critical', instance: 'db2:9100' },
    ]));
    expect(result).toMatchObject({ created: true, changed: 2, deduplicated: 0 });
    const fault = await w.store.manager.findOneOrFail(Fault, { where: { id: result.faultId ?? -1 } });
    // The configuration item is the first alert's `instance` without its port (alert_ci_labels).
    expect(fault).toMatchObject({ priority: 'P1', source: 'alert', state: 'reported', affectedSystem: 'db1' });
    // Arrival (09:00) is later than startsAt (08:59), so the SLA clock starts at arrival: P1 responds in 15 min.
    expect(fault.createdAt.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(fault.responseDueAt?.toISOString()).toBe('2026-11-23T09:15:00.000Z');
    const sent = (await outbox(w)).slice(before);
    const card = sent.find((s) => s.row.targetKind === 'channel');
    expect(card?.row.targetId).toBe('CFAULTS');
    expect(card?.message.body).toContain('Alerts: 2 firing, 0 resolved');
    expect(card?.message.body).toContain('aaaaaaaaaaaaaaa2');
    const page = sent.find((s) => s.row.targetKind === 'dm' && s.row.targetId === 'li.wei');
    expect(page?.message.fallback).toMatch(/You are on call: INC-\d+ \(P1\)/);
    expect(page?.message.buttons?.map((b) => b.actionId)).toContain('fault.ack');
    const events = await w.store.manager.find(RecordEvent, { where: { recordKind: 'fault', recordId: fault.id } });
    expect(events.map((e) => e.kind)).toEqual(['reported', 'alert_firing', 'alert_firing']);
    // Alert lines are opsdesk's own, leave the state alone, and name the alert in their details.
    const alertLines = events.filter((e) => e.kind === 'alert_firing');
    expect(alertLines.map((e) => [e.actorId, e.toState, e.note])).toEqual([[null, null, 'DiskFull'], [null, null, 'DiskFull']]);
    expect(alertLines.map((e) => e.details)).toEqual([
      { source: 'alertmanager', fingerprint: 'aaaaaaaaaaaaaaa1' },
      { source: 'alertmanager', fingerprint: 'aaaaaaaaaaaaaaa2' },
    ]);
  });

  it('changes nothing on redelivery and answers with the same fault; a new alert in the group joins the fault', async () => {
    const w = await world();
    const n = am('g1', [{ name: 'Down', fingerprint: 'b000000000000001' }]);
    const first = await w.services.alerts.ingest(n);
    const rows = (await outbox(w)).length;
    const events = await w.store.manager.count(RecordEvent);
    const again = await w.services.alerts.ingest(n);
    expect(again).toEqual({ faultId: first.faultId, created: false, changed: 0, deduplicated: 1, ignored: 0, received: { firing: 1, resolved: 0 } });
    expect((await outbox(w)).length).toBe(rows);
    expect(await w.store.manager.count(RecordEvent)).toBe(events);

    w.clock.advance(1_000);
    const more = await w.services.alerts.ingest(am('g1', [{ name: 'Down', fingerprint: 'b000000000000001' }, { name: 'Down', fingerprint: 'b000000000000002' }]));
    expect(more).toMatchObject({ faultId: first.faultId, created: false, changed: 1, deduplicated: 1 });
    expect(await w.store.manager.count(Fault)).toBe(1);
    expect(await w.store.manager.count(Alert, { where: { faultId: first.faultId ?? -1 } })).toBe(2);
    // The card edit waits 10 s after the announcement (coalescing): the change only marks the card.
    const cardRows = async () => (await outbox(w)).filter((s) => s.row.messageKey === `fault:${first.faultId}:announcement`);
    expect(await cardRows()).toHaveLength(1);
    expect((await w.store.manager.findOneByOrFail(AlertGroup, { faultId: first.faultId ?? -1 })).cardRedrawAt?.toISOString()).toBe('2026-11-23T09:00:10.000Z');
    // A further change before then waits for the same edit: nothing is drawn before it falls due.
    w.clock.advance(1_000);
    await w.services.alerts.ingest(am('g1', [{ name: 'Down', fingerprint: 'b000000000000003' }]));
    expect(await w.services.alerts.cards.drawDue()).toBe(0);
    expect(await cardRows()).toHaveLength(1);
    // At 09:00:10 the card is drawn once, with every change so far.
    w.clock.advance(8_000);
    expect(await w.services.alerts.cards.drawDue()).toBe(1);
    expect(await w.services.alerts.cards.drawDue()).toBe(0);
    const edits = await cardRows();
    expect(edits.map((e) => e.row.nextAttemptAt.toISOString())).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-23T09:00:10.000Z']);
    expect(edits[1]?.message.body).toContain('Alerts: 3 firing, 0 resolved');
    // The next change waits 10 s after that edit; a change after a quiet period is drawn at once.
    w.clock.advance(2_000);
    await w.services.alerts.ingest(am('g1', [{ name: 'Down', fingerprint: 'b000000000000004' }]));
    expect(await cardRows()).toHaveLength(2);
    w.clock.advance(8_000);
    expect(await w.services.alerts.cards.drawDue()).toBe(1);
    w.clock.advance(60_000);
    await w.services.alerts.ingest(am('g1', [{ name: 'Down', fingerprint: 'b000000000000005' }]));
    expect(await w.services.alerts.cards.drawDue()).toBe(0);
    const last = await cardRows();
    expect(last.map((e) => e.row.nextAttemptAt.toISOString())).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-23T09:00:10.000Z', '2026-11-23T09:00:20.000Z', '2026-11-23T09:01:20.000Z']);
    expect(last.map((e) => /Alerts: (\d+) firing/.exec(e.message.body ?? '')?.[1])).toEqual(['1', '3', '4', '5']);
  });

  it('answers a repeat from committed rows only: the transaction-free read is never used inside an open transaction, nor on PostgreSQL', async () => {
    const w = await world();
    const n = am('g-peek', [{ name: 'Down', fingerprint: 'b100000000000001' }]);
    const { faultId } = await w.services.alerts.ingest(n);
    const sql = new IntakeSql(w.store.kind, w.store.dataSource);
    const hash = (await w.store.manager.findOneByOrFail(AlertGroup, { faultId: faultId ?? -1 })).groupHash;
    const peeked = sql.peek(hash, ['b100000000000001', 'b100000000000002']);
    if (w.store.kind === 'postgres') {
      expect(peeked).toBeUndefined();
    } else {
      expect(peeked?.group?.faultId).toBe(faultId);
      expect([...(peeked?.stored.keys() ?? [])]).toEqual(['b100000000000001']);
      // Inside a transaction of this process (its rows not yet committed), the read is refused.
      await w.store.transaction(async () => {
        expect(sql.peek(hash, ['b100000000000001'])).toBeUndefined();
      });
    }
    // The repeat is answered as one, either way.
    expect(await w.services.alerts.ingest(n)).toMatchObject({ faultId, created: false, changed: 0, deduplicated: 1 });
  });

  it('draws a due card once when two processes look for due cards at the same time', async () => {
    const url = tempSqliteUrl();
    const a = await openTestWorld({ url, clock: new ManualClock(new Date('2026-11-23T09:00:00Z')) });
    const b = await openTestWorld({ url, clock: new ManualClock(new Date('2026-11-23T09:00:00Z')) });
    worlds.push(a, b);
    const { faultId } = await a.services.alerts.ingest(am('g-two', [{ name: 'Down', fingerprint: 'b100000000000001' }]));
    a.clock.advance(1_000);
    await a.services.alerts.ingest(am('g-two', [{ name: 'Down', fingerprint: 'b100000000000002' }]));
    a.clock.advance(9_000);
    b.clock.advance(10_000);
    const drawn = await Promise.all([a.services.alerts.cards.drawDue(), b.services.alerts.cards.drawDue(), a.services.alerts.cards.drawDue(), b.services.alerts.cards.drawDue()]);
    expect(drawn.reduce((x, y) => x + y, 0)).toBe(1);
    const edits = (await outbox(a)).filter((s) => s.row.messageKey === `fault:${faultId}:announcement`);
    expect(edits.map((e) => e.row.nextAttemptAt.toISOString())).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-23T09:00:10.000Z']);
    expect(edits[1]?.message.body).toContain('Alerts: 2 firing, 0 resolved');
  });

  it('uses each alert\'s own status: a resolved alert inside a firing body is resolved, the fault stays open', async () => {
    const w = await world();
    const { faultId } = await w.services.alerts.ingest(am('g2', [{ name: 'A', fingerprint: 'c000000000000001' }, { name: 'B', fingerprint: 'c000000000000002' }]));
    w.clock.advance(60_000);
    const mixed = am('g2', [{ name: 'A', fingerprint: 'c000000000000001' }, { name: 'B', fingerprint: 'c000000000000002', status: 'resolved' }]);
    expect(mixed.alerts.map((a) => a.status)).toEqual(['firing', 'resolved']);
    await w.services.alerts.ingest(mixed);
    const b = await w.store.manager.findOneOrFail(Alert, { where: { fingerprint: 'c000000000000002' } });
    expect(b.status).toBe('resolved');
    expect(b.endsAt?.toISOString()).toBe('2026-11-23T08:05:00.500Z');
    expect((await w.store.manager.findOneOrFail(Fault, { where: { id: faultId ?? -1 } })).state).toBe('reported');
  });

  it('resolves an unacknowledged fault when every alert cleared, reopens it within alert_reopen_minutes, opens a new one after', async () => {
    const w = await world();
    const fp = 'd000000000000001';
    const { faultId } = await w.services.alerts.ingest(am('g3', [{ name: 'Hot', fingerprint: fp }]));
    w.clock.advance(60_000);
    await w.services.alerts.ingest(am('g3', [{ name: 'Hot', fingerprint: fp, status: 'resolved' }]));
    let fault = await w.store.manager.findOneOrFail(Fault, { where: { id: faultId ?? -1 } });
    expect(fault).toMatchObject({ state: 'resolved', rootCause: 'alert cleared' });

    w.clock.advance(30 * 60_000);
    const reopened = await w.services.alerts.ingest(am('g3', [{ name: 'Hot', fingerprint: fp, startsAt: '2026-11-23T09:30:00Z' }]));
    expect(reopened).toMatchObject({ faultId, created: false });
    fault = await w.store.manager.findOneOrFail(Fault, { where: { id: faultId ?? -1 } });
    // Nobody had acknowledged it: back to Reported, not In progress with nobody on it.
    expect(fault).toMatchObject({ state: 'reported', assigneeId: null, acknowledgedAt: null });
    expect((await w.store.manager.findOneOrFail(Alert, { where: { fingerprint: fp } })).fireCount).toBe(2);

    // Acknowledged faults are not auto-resolved: the assignee is told instead.
    const admin = await w.actor('admin');
    await w.services.people.grant(admin, { platform: 'shell', userId: 'sam' }, 'engineer');
    const sam = await w.actor('sam');
    await w.services.faults.acknowledge(sam, faultId ?? -1);
    w.clock.advance(60_000);
    await w.services.alerts.ingest(am('g3', [{ name: 'Hot', fingerprint: fp, status: 'resolved' }]));
    fault = await w.store.manager.findOneOrFail(Fault, { where: { id: faultId ?? -1 } });
    expect(fault.state).toBe('acknowledged');
    const told = (await outbox(w)).filter((s) => s.row.targetId === 'sam' && s.message.fallback.includes('have cleared'));
    expect(told).toHaveLength(1);
    await w.services.faults.resolve(sam, faultId ?? -1, { rootCause: 'fan', resolutionSteps: 'replaced' });

    w.clock.advance(61 * 60_000);
    const later = await w.services.alerts.ingest(am('g3', [{ name: 'Hot', fingerprint: fp, startsAt: '2026-11-23T11:00:00Z' }]));
    expect(later.created).toBe(true);
    expect(later.faultId).not.toBe(faultId);
    const group = await w.store.manager.findOneOrFail(AlertGroup, { where: { faultId: later.faultId ?? -1 } });
    expect(group.previousFaultId).toBe(faultId);
    const card = (await outbox(w)).find((s) => s.row.messageKey === `fault:${later.faultId}:announcement`);
    expect(card?.message.body).toContain(`Follows INC-${faultId}`);
  });

  it('reopens an auto-resolved fault as Reported with Acknowledge, pages the on-call primary again and redraws the card with the current alerts', async () => {
    const w = await world();
    await onCall(w, 'li.wei');
    const fp = 'd100000000000001';
    const { faultId } = await w.services.alerts.ingest(am('g-re', [{ name: 'Hot', fingerprint: fp }]));
    w.clock.advance(60_000);
    await w.services.alerts.ingest(am('g-re', [{ name: 'Hot', fingerprint: fp, status: 'resolved' }]));
    expect((await w.store.manager.findOneByOrFail(Fault, { id: faultId ?? -1 })).state).toBe('resolved');
    const before = (await outbox(w)).length;

    w.clock.advance(10 * 60_000);
    await w.services.alerts.ingest(am('g-re', [{ name: 'Hot', fingerprint: fp, startsAt: '2026-11-23T09:11:00Z' }]));
    const fault = await w.store.manager.findOneByOrFail(Fault, { id: faultId ?? -1 });
    expect(fault).toMatchObject({ state: 'reported', assigneeId: null, acknowledgedAt: null });
    expect(fault.responseDueAt).not.toBeNull();
    const sent = (await outbox(w)).slice(before);
    const cards = sent.filter((s) => s.row.messageKey === `fault:${faultId}:announcement`);
    expect(cards.at(-1)?.message.body).toContain('Alerts: 1 firing, 0 resolved');
    expect(cards.at(-1)?.message.buttons?.map((b) => b.actionId)).toContain('fault.ack');
    const page = sent.filter((s) => s.row.targetKind === 'dm' && s.row.targetId === 'li.wei');
    expect(page).toHaveLength(1);
    expect(page[0]?.message.buttons?.map((b) => b.actionId)).toContain('fault.ack');

    // A new fingerprint reopens the group too, and the card lists it.
    w.clock.advance(60_000);
    await w.services.alerts.ingest(am('g-re', [{ name: 'Hot', fingerprint: fp, status: 'resolved' }]));
    expect((await w.store.manager.findOneByOrFail(Fault, { id: faultId ?? -1 })).state).toBe('resolved');
    const mark = (await outbox(w)).length;
    w.clock.advance(60_000);
    await w.services.alerts.ingest(am('g-re', [{ name: 'Hot', fingerprint: 'd100000000000002' }]));
    const redrawn = (await outbox(w)).slice(mark).filter((s) => s.row.messageKey === `fault:${faultId}:announcement`);
    expect(redrawn.at(-1)?.message.body).toContain('Alerts: 1 firing, 1 resolved');
    expect(redrawn.at(-1)?.message.body).toContain('d100000000000002');
  });

  it('restarts the response clock of a fault reopened back to Reported: not overdue at once, no breach or escalation for the old deadline', async () => {
    const w = await world();
    await onCall(w, 'li.wei');
    const fp = 'd200000000000001';
    // P1: respond within 15 minutes, 24x7. Opened at 09:00, cleared at 09:01, fires again at 09:31.
    const { faultId } = await w.services.alerts.ingest(am('g-sla', [{ name: 'Hot', fingerprint: fp, severity: 'critical' }]));
    const id = faultId ?? -1;
    expect((await w.store.manager.findOneByOrFail(Fault, { id })).responseDueAt?.toISOString()).toBe('2026-11-23T09:15:00.000Z');
    w.clock.advance(60_000);
    await w.services.alerts.ingest(am('g-sla', [{ name: 'Hot', fingerprint: fp, severity: 'critical', status: 'resolved' }]));
    expect((await w.store.manager.findOneByOrFail(Fault, { id })).state).toBe('resolved');
    w.clock.advance(30 * 60_000);
    const mark = (await outbox(w)).length;
    await w.services.alerts.ingest(am('g-sla', [{ name: 'Hot', fingerprint: fp, severity: 'critical', startsAt: '2026-11-23T09:30:30Z' }]));

    let fault = await w.store.manager.findOneByOrFail(Fault, { id });
    expect(fault).toMatchObject({ state: 'reported', acknowledgedAt: null, responseBreachedAt: null });
    expect(fault.responseStartedAt?.toISOString()).toBe('2026-11-23T09:31:00.000Z');
    expect(fault.responseDueAt?.toISOString()).toBe('2026-11-23T09:46:00.000Z');
    // The resolution clock runs on as after any reopen: 1 minute ran before, the 30 resolved do not count.
    expect(fault.resolveDueAt?.toISOString()).toBe('2026-11-23T13:30:00.000Z');
    expect(fault.nextReminderAt !== null && fault.nextReminderAt > w.clock.now()).toBe(true);
    const card = (await outbox(w)).slice(mark).filter((s) => s.row.messageKey === `fault:${id}:announcement`).at(-1);
    expect(card?.message.fields?.find((f) => f.label === 'SLA')?.value).toContain('Respond by');
    expect(JSON.stringify(card?.message)).not.toContain('overdue');

    // The sweep at the reopening sends nothing: no breach, no escalation for the deadline of 09:15.
    const sweep = await w.services.slaSweep.run(w.clock.now());
    expect(sweep.sent).toBe(0);
    expect(await w.store.manager.count(RecordEvent, { where: { recordKind: 'fault', recordId: id, kind: 'sla_breach_response' } })).toBe(0);

    // The new deadline holds: at 09:46 nobody has acknowledged, so the response breach goes out then.
    w.clock.set(new Date('2026-11-23T09:46:30Z'));
    expect((await w.services.slaSweep.run(w.clock.now())).sent).toBeGreaterThan(0);
    fault = await w.store.manager.findOneByOrFail(Fault, { id });
    expect(fault.responseBreachedAt?.toISOString()).toBe('2026-11-23T09:46:00.000Z');
    expect(await w.store.manager.count(RecordEvent, { where: { recordKind: 'fault', recordId: id, kind: 'sla_breach_response' } })).toBe(1);
  });

  it('keeps one entry per fingerprint of a body: the latest timestamp wins, firing on a tie', async () => {
    const w = await world();
    const body = amBody('g-twice', [
      { name: 'Twice', fingerprint: 'e100000000000001', startsAt: '2026-11-23T08:59:00Z' },
      { name: 'Twice', fingerprint: 'e100000000000001', status: 'resolved', startsAt: '2026-11-23T08:50:00Z', endsAt: '2026-11-23T08:55:00Z' },
      { name: 'Twice', fingerprint: 'e100000000000002', startsAt: '2026-11-23T08:50:00Z' },
      { name: 'Twice', fingerprint: 'e100000000000002', status: 'resolved', startsAt: '2026-11-23T08:50:00Z', endsAt: '2026-11-23T08:58:00Z' },
      { name: 'Twice', fingerprint: 'e100000000000003', status: 'resolved', startsAt: '2026-11-23T08:57:00Z', endsAt: '0001-01-01T00:00:00Z' },
      { name: 'Twice', fingerprint: 'e100000000000003', startsAt: '2026-11-23T08:57:00Z' },
    ]);
    const parsed = parseAlertmanager(body);
    if (!parsed.ok) throw new Error(parsed.reason);
    const result = await w.services.alerts.ingest(parsed.notification);
    expect(result).toMatchObject({ created: true, changed: 3, deduplicated: 0, ignored: 3 });
    const alerts = await w.store.manager.find(Alert, { order: { fingerprint: 'ASC' } });
    expect(alerts.map((a) => [a.fingerprint, a.status])).toEqual([
      ['e100000000000001', 'firing'],
      ['e100000000000002', 'resolved'],
      ['e100000000000003', 'firing'],
    ]);
  });

  it('takes a firing alert whose endsAt passed before arrival as resolved', async () => {
    const w = await world();
    const body = amBody('g-ended', [{ name: 'Ended', fingerprint: 'e200000000000001' }]);
    (body.alerts as { endsAt: string }[])[0] = { ...(body.alerts as { endsAt: string }[])[0], endsAt: '2026-11-23T08:59:30Z' };
    const parsed = parseAlertmanager(body);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(await w.services.alerts.ingest(parsed.notification)).toMatchObject({ faultId: null, created: false });
    expect(await w.store.manager.count(Fault)).toBe(0);
    // Still firing when its endsAt lies ahead (Prometheus sends one a few minutes ahead).
    (body.alerts as { endsAt: string }[])[0] = { ...(body.alerts as { endsAt: string }[])[0], endsAt: '2026-11-23T09:04:00Z' };
    const ahead = parseAlertmanager(body);
    if (!ahead.ok) throw new Error(ahead.reason);
    expect(await w.services.alerts.ingest(ahead.notification)).toMatchObject({ created: true });
  });

  it('stores the generic link with the fault and shows it on the card; a 4,000-character description is shortened so that the alert list fits a Slack section', async () => {
    const w = await world();
    const link = 'https://backup.example.com/jobs/812';
    const parsed = parseGeneric({ source: 'backup', key: 'nightly', status: 'firing', summary: 'Backup failed', description: 'd'.repeat(4000), link });
    if (!parsed.ok) throw new Error(parsed.reason);
    const { faultId } = await w.services.alerts.ingest(parsed.notification);
    const fault = await w.store.manager.findOneByOrFail(Fault, { id: faultId ?? -1 });
    expect(fault.description.startsWith(`${link}\n\n`)).toBe(true);
    expect(fault.description.length).toBeLessThanOrEqual(4000);
    const card = (await outbox(w)).find((s) => s.row.messageKey === `fault:${faultId}:announcement`);
    expect(card?.message.body).toContain(link);
    // The long description is cut on the card, not the alert list after it (Slack: 3000 per section).
    expect(card?.message.body?.length).toBeLessThanOrEqual(CARD_BODY_MAX);
    expect(card?.message.body).toContain('Alerts: 1 firing, 0 resolved');
    expect(card?.message.body).toContain('Backup failed');
    if (!card) throw new Error('no card');
    const slack = JSON.stringify(renderMessage(card.message).blocks);
    expect(slack).toContain('Alerts: 1 firing, 0 resolved');
    expect(parseGeneric({ key: 'k', status: 'firing', summary: 's', link: 'ftp://x.example/' }).ok).toBe(false);
  });

  it('keeps a truncated fault open and shows how many alerts were not listed', async () => {
    const w = await world();
    const fp = ['e000000000000001', 'e000000000000002'];
    const listed = (status: 'firing' | 'resolved', truncatedAlerts: number, only = fp) => am('g4', only.map((f) => ({ name: 'X', fingerprint: f, status })), { truncatedAlerts });
    const { faultId } = await w.services.alerts.ingest(listed('firing', 48));
    const id = faultId ?? -1;
    const events = (kind: string) => w.store.manager.find(RecordEvent, { where: { recordKind: 'fault', recordId: id, kind }, order: { id: 'ASC' } });
    const lastCard = async () => (await outbox(w)).filter((s) => s.row.messageKey === `fault:${id}:announcement`).at(-1)?.message.body ?? '';
    expect(await lastCard()).toContain('and 48 more not listed');
    expect((await events('alert_truncated')).map((e) => e.note)).toEqual(['48']);

    // Every listed alert resolves, 48 are still not listed: the fault stays open, and says why, once.
    w.clock.advance(11_000);
    await w.services.alerts.ingest(listed('resolved', 48));
    expect((await w.store.manager.findOneByOrFail(Fault, { id })).state).toBe('reported');
    expect((await events('alert_cleared_truncated')).map((e) => e.note)).toEqual(['48']);
    expect(await events('alert_cleared')).toHaveLength(0);
    expect(await lastCard()).toContain('Every listed alert has resolved, but 48 were not listed');
    w.clock.advance(11_000);
    await w.services.alerts.ingest(listed('resolved', 48));
    expect(await events('alert_cleared_truncated')).toHaveLength(1);

    // One fires again: the notice goes from the card; when it resolves again the notice is given again.
    w.clock.advance(11_000);
    await w.services.alerts.ingest(listed('firing', 48, [fp[0] ?? '']));
    expect(await lastCard()).not.toContain('Every listed alert has resolved');
    w.clock.advance(11_000);
    await w.services.alerts.ingest(listed('resolved', 48, [fp[0] ?? '']));
    expect(await events('alert_cleared_truncated')).toHaveLength(2);
    expect(await lastCard()).toContain('Every listed alert has resolved, but 48 were not listed');

    // The sender lists everything at last, all resolved: the group has cleared, and the unacknowledged fault resolves.
    w.clock.advance(11_000);
    const all = Array.from({ length: 50 }, (_, i) => ({ name: 'X', fingerprint: `e0000000000001${String(i).padStart(2, '0')}`, status: 'resolved' as const }));
    await w.services.alerts.ingest(am('g4', [...fp.map((f) => ({ name: 'X', fingerprint: f, status: 'resolved' as const })), ...all.slice(2)], { truncatedAlerts: 0 }));
    expect(await events('alert_cleared')).toHaveLength(1);
    expect(await w.store.manager.findOneByOrFail(Fault, { id })).toMatchObject({ state: 'resolved', rootCause: 'alert cleared' });
  });

  it('tells the assignee when every listed alert of a truncated group resolved', async () => {
    const w = await world();
    const admin = await w.actor('admin');
    await w.services.people.grant(admin, { platform: 'shell', userId: 'sam' }, 'engineer');
    const { faultId } = await w.services.alerts.ingest(am('g4b', [{ name: 'Y', fingerprint: 'e100000000000001' }], { truncatedAlerts: 3 }));
    await w.services.faults.acknowledge(await w.actor('sam'), faultId ?? -1);
    w.clock.advance(11_000);
    await w.services.alerts.ingest(am('g4b', [{ name: 'Y', fingerprint: 'e100000000000001', status: 'resolved' }], { truncatedAlerts: 3 }));
    const told = (await outbox(w)).filter((s) => s.row.targetId === 'sam' && s.message.fallback.includes('but 3 were not listed by the sender'));
    expect(told).toHaveLength(1);
    expect((await w.store.manager.findOneByOrFail(Fault, { id: faultId ?? -1 })).state).toBe('acknowledged');
  });

  it('honours alert_severity_map, alert_severity_label and alert_autoresolve = never', async () => {
    const w = await world();
    const admin = await w.actor('admin');
    await w.services.settings.set(admin, 'alert_severity_map', 'page=P2, ticket=P4');
    await w.services.settings.set(admin, 'alert_severity_label', 'urgency');
    await w.services.settings.set(admin, 'alert_autoresolve', 'never');
    const body = amBody('g5', [{ name: 'Q', fingerprint: 'f000000000000001' }]);
    ((body.alerts as { labels: Record<string, string> }[])[0] as { labels: Record<string, string> }).labels.urgency = 'ticket';
    const parsed = parseAlertmanager(body);
    if (!parsed.ok) throw new Error(parsed.reason);
    const { faultId } = await w.services.alerts.ingest(parsed.notification);
    expect((await w.store.manager.findOneOrFail(Fault, { where: { id: faultId ?? -1 } })).priority).toBe('P4');
    await w.services.alerts.ingest(am('g5', [{ name: 'Q', fingerprint: 'f000000000000001', status: 'resolved' }]));
    expect((await w.store.manager.findOneOrFail(Fault, { where: { id: faultId ?? -1 } })).state).toBe('reported');
    await expect(w.services.settings.set(admin, 'alert_severity_map', 'critical=P9')).rejects.toThrow();
    await expect(w.services.settings.set(admin, 'alert_autoresolve', 'sometimes')).rejects.toThrow();
  });

  it('starts the SLA clocks at arrival for a startsAt in the future beyond 5 minutes of skew, at startsAt within it', async () => {
    const w = await world();
    const far = await w.services.alerts.ingest(am('future', [{ name: 'Skewed', fingerprint: 'f100000000000001', startsAt: '9999-12-31T23:59:59Z' }]));
    const farFault = await w.store.manager.findOneByOrFail(Fault, { id: far.faultId ?? -1 });
    expect(farFault.createdAt.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(farFault.nextReminderAt?.getUTCFullYear()).toBe(2026);
    const near = await w.services.alerts.ingest(am('near', [{ name: 'Skewed', fingerprint: 'f100000000000002', startsAt: '2026-11-23T09:02:00Z' }]));
    expect((await w.store.manager.findOneByOrFail(Fault, { id: near.faultId ?? -1 })).createdAt.toISOString()).toBe('2026-11-23T09:02:00.000Z');
  });

  it('stores nothing for resolved alerts of an unknown group', async () => {
    const w = await world();
    const result = await w.services.alerts.ingest(am('g6', [{ name: 'Z', status: 'resolved' }]));
    expect(result).toEqual({ faultId: null, created: false, changed: 0, deduplicated: 0, ignored: 1, received: { firing: 0, resolved: 1 } });
    expect(await w.store.manager.count(Fault)).toBe(0);
  });

  it('reads Grafana bodies (values map, valueString only, values null) and generic bodies', async () => {
    const w = await world();
    const g = parseGrafana(grafanaBody('{}/{__grafana_autogenerated__="true"}:{alertname="CPU"}', [
      { name: 'CPU', fingerprint: '1100000000000001', severity: 'error' },
      { name: 'CPU', fingerprint: '1100000000000002', values: null, valueString: "[ var='B' labels={} value=97 ]" },
      { name: 'CPU', fingerprint: '1100000000000003', values: null },
    ]));
    if (!g.ok) throw new Error(g.reason);
    expect(g.notification.alerts.map((a) => a.value)).toEqual(['B=92.5, C=1', "[ var='B' labels={} value=97 ]", null]);
    const { faultId } = await w.services.alerts.ingest(g.notification);
    expect((await w.store.manager.findOneOrFail(Fault, { where: { id: faultId ?? -1 } })).priority).toBe('P2');
    const legacy = parseGrafana({ ruleName: 'old', ruleId: 1, state: 'alerting', evalMatches: [] });
    expect(legacy.ok ? '' : legacy.reason).toMatch(/legacy Grafana alerting/);
    const generic = parseGeneric({ key: 'backup-nightly', status: 'firing', severity: 'critical', summary: 'Backup failed', configurationItem: 'nas1', extra: 1 });
    if (!generic.ok) throw new Error(generic.reason);
    const r = await w.services.alerts.ingest(generic.notification);
    expect((await w.store.manager.findOneOrFail(Fault, { where: { id: r.faultId ?? -1 } })).affectedSystem).toBe('nas1');
  });
});

describe('/ops report alerts', () => {
  it('counts alerts by source, name and configuration item, the noisiest, time to acknowledge and cleared-before-anyone-acted', async () => {
    const w = await world();
    const admin = await w.actor('admin');
    await w.services.people.grant(admin, { platform: 'shell', userId: 'li.wei' }, 'engineer');
    const li = await w.actor('li.wei');
    const first = await w.services.alerts.ingest(am('r1', [{ name: 'Blip', fingerprint: 'f100000000000001', instance: 'web1' }]));
    w.clock.advance(60_000);
    await w.services.alerts.ingest(am('r1', [{ name: 'Blip', fingerprint: 'f100000000000001', instance: 'web1', status: 'resolved' }]));
    const disk = (status: 'firing' | 'resolved', startsAt = '2026-11-23T08:59:00Z') =>
      am('r2', [{ name: 'Disk', fingerprint: 'f200000000000001', instance: 'db1', status, startsAt }, { name: 'Disk', fingerprint: 'f200000000000002', instance: 'db1' }]);
    const second = await w.services.alerts.ingest(disk('firing'));
    w.clock.advance(60_000);
    await w.services.alerts.ingest(disk('resolved'));
    w.clock.advance(60_000);
    await w.services.alerts.ingest(disk('firing', '2026-11-23T09:03:00Z'));
    w.clock.advance(8 * 60_000);
    await w.services.faults.acknowledge(li, second.faultId ?? -1);

    // This calendar week in TZ_NAME (Europe/Berlin): Monday 11-23 to Sunday 11-29.
    const week = periodOrThrow('week', 'Europe/Berlin', w.clock.now());
    const report = await w.services.alertReports.forPeriod(li, week);
    expect(report).toMatchObject({ period: '2026-11-23 – 2026-11-29', alerts: 3, firings: 4, faults: 2, acknowledged: 1, clearedUnattended: 1, ackMedianMs: 10 * 60_000 });
    expect(first.faultId).not.toBe(second.faultId);
    expect(report.bySource).toEqual([{ name: 'alertmanager', count: 3 }]);
    expect(report.byName).toEqual([{ name: 'Disk', count: 2 }, { name: 'Blip', count: 1 }]);
    expect(report.byItem).toEqual([{ name: 'db1', count: 2 }, { name: 'web1', count: 1 }]);
    expect(report.noisiest).toEqual([{ name: 'Disk', count: 3 }, { name: 'Blip', count: 1 }]);
    const { alertReportMessage } = await import('../../src/monitoring/report.js');
    const { translator } = await import('../../src/chat/i18n/catalog.js');
    const message = alertReportMessage(report, translator('en'));
    expect(message.body).toContain('Alerts: 3 (firings: 4), faults opened: 2');
    expect(message.body).toContain('median 10 min');
    await expect(w.services.alertReports.forPeriod(await w.actor('anna'), week)).rejects.toMatchObject({ kind: 'forbidden', params: { command: '/ops report alerts', role: { key: 'people.role.engineer' }, code: 'engineer' } });
  });
});
