// The click hot path's fixed statements (src/store/plain-sql.ts) must read and write exactly the rows
// TypeORM reads and writes: the same entity from the same row (ISO timestamps, SLA stop intervals,
// JSON details), versioned writes that lose to a newer version and change nothing, and inserts that
// hand back the row's id. Runs on SQLite and, in the postgres pass, on PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fault, RecordEvent } from '../../src/store/entities/index.js';
import { PlainSql } from '../../src/store/plain-sql.js';
import { updateIfUnchanged } from '../../src/store/versioned.js';
import { appendEvent } from '../../src/records/timeline.js';
import { slaFieldsOf } from '../../src/sla/evaluate.js';
import { loadRecord, writeSla } from '../../src/sla/service.js';
import { FAULT_SUBJECT } from '../../src/sla/subjects.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const report = { title: 'Printer offline', description: 'Floor 2 printer answers no jobs.', category: 'hardware' as const, impact: 2 as const, urgency: 2 as const };

describe('plain SQL on the record hot path', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await openTestWorld();
    const admin = await world.actor('admin');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'li.wei' }, 'engineer');
  });
  afterEach(async () => world.store.close());

  it('reads a record as TypeORM does, stop intervals and nulls included', async () => {
    const anna = await world.actor('anna');
    const engineer = await world.actor('li.wei');
    const { id } = await world.services.faults.report(anna, report);
    await world.services.faults.acknowledge(engineer, id);
    await world.services.faults.waitOnUser(engineer, id);
    world.clock.advance(30 * 60_000);
    await world.services.faults.resume(engineer, id);

    const manager = world.store.manager;
    const typeorm = await manager.findOneOrFail(Fault, { where: { id } });
    const plain = await PlainSql.of(manager).findById(manager, Fault, id);
    expect(plain).toBeInstanceOf(Fault);
    expect(plain).toEqual(typeorm);
    expect(plain?.slaStops).toHaveLength(1);
    expect(plain?.acknowledgedAt).toBeInstanceOf(Date);
    expect(plain?.resolvedAt).toBeNull();
    expect(await PlainSql.of(manager).findById(manager, Fault, id + 1000)).toBeNull();
  });

  it('finds rows as TypeORM does: IN lists of any length, nulls, no condition, ordered; and reads only some columns', async () => {
    const anna = await world.actor('anna');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await world.services.faults.report(anna, { ...report, title: `Printer ${i}` })).id);
    const manager = world.store.manager;
    const sql = PlainSql.of(manager);
    // Three ids pad to four placeholders with the last one repeated: still the three rows, once each.
    const three = [ids[4], ids[0], ids[2]].filter((id): id is number => id !== undefined);
    const found = await sql.find(manager, Fault, { id: three }, 'id');
    expect(found.map((f) => f.id)).toEqual([...three].sort((a, b) => a - b));
    expect(found).toEqual(await manager.find(Fault, { where: three.map((id) => ({ id })), order: { id: 'ASC' } }));
    expect(await sql.find(manager, Fault, { id: [] })).toEqual([]);
    expect((await sql.find(manager, Fault, { assigneeId: null, reporterId: anna.personId }, 'id')).map((f) => f.id)).toEqual(ids);
    expect(await sql.find(manager, Fault, {}, 'id')).toHaveLength(5);
    const part = await sql.findPartById(manager, Fault, ids[1] ?? 0, ['reporterId', 'assigneeId', 'slaStops']);
    expect(part).toMatchObject({ reporterId: anna.personId, assigneeId: null, slaStops: [] });
    const present = Object.entries(part ?? {}).filter(([, value]) => value !== undefined);
    expect(present.map(([key]) => key).sort()).toEqual(['assigneeId', 'reporterId', 'slaStops']);
    expect(await sql.findPartById(manager, Fault, (ids[4] ?? 0) + 1000, ['reporterId'])).toBeNull();
  });

  it('writes a versioned change once: a stale version changes nothing and says so', async () => {
    const anna = await world.actor('anna');
    const { id } = await world.services.faults.report(anna, report);
    const now = world.clock.now();
    const first = await world.store.transaction((m) => PlainSql.of(m).findById(m, Fault, id));
    const second = await world.store.transaction((m) => PlainSql.of(m).findById(m, Fault, id));
    if (!first || !second) throw new Error('fault not found');
    expect(await world.store.transaction((m) => updateIfUnchanged(m, Fault, first, { rootCause: 'toner', assigneeId: null }, now))).toBe(true);
    expect(first.version).toBe(second.version + 1);
    expect(await world.store.transaction((m) => updateIfUnchanged(m, Fault, second, { rootCause: 'paper' }, now))).toBe(false);
    const stored = await world.store.manager.findOneOrFail(Fault, { where: { id } });
    expect(stored).toMatchObject({ rootCause: 'toner', assigneeId: null, version: first.version, updatedAt: now });
  });

  it('writes SLA fields without a version bump, and only when the expected state (null reminder too) still holds', async () => {
    const anna = await world.actor('anna');
    const { id } = await world.services.faults.report(anna, report);
    const stored = await world.store.manager.findOneOrFail(Fault, { where: { id } });
    const due = new Date(Date.UTC(2026, 0, 2, 9));
    const fields = { ...slaFieldsOf(stored), responseDueAt: due, nextReminderAt: null };
    const expectStale = { version: stored.version, responseStep: stored.slaResponseStep, resolveStep: stored.slaResolveStep, nextReminderAt: new Date(Date.UTC(1999, 0, 1)) };
    expect(stored.nextReminderAt).not.toBeNull();
    expect(await world.store.transaction((m) => writeSla(m, FAULT_SUBJECT, id, fields, expectStale))).toBe(false);
    expect(await world.store.manager.findOneOrFail(Fault, { where: { id } })).toEqual(stored);
    const current = { ...expectStale, nextReminderAt: stored.nextReminderAt };
    expect(await world.store.transaction((m) => writeSla(m, FAULT_SUBJECT, id, fields, current))).toBe(true);
    const after = await world.store.transaction((m) => loadRecord(m, FAULT_SUBJECT, id));
    expect(after).toMatchObject({ responseDueAt: due, nextReminderAt: null, version: stored.version });
    // Now the reminder is null: an expectation of null matches, a date does not.
    expect(await world.store.transaction((m) => writeSla(m, FAULT_SUBJECT, id, fields, { ...current, nextReminderAt: null }))).toBe(true);
    expect(await world.store.transaction((m) => writeSla(m, FAULT_SUBJECT, id, fields, expectStale))).toBe(false);
  });

  it('appends timeline lines with their ids and JSON details', async () => {
    const at = world.clock.now();
    const line = { recordKind: 'fault', recordId: 7, actor: { personId: null, displayName: 'opsdesk' }, kind: 'note', fromState: null, toState: 'reported', note: 'n', details: { a: 1, b: ['x'] }, at };
    const one = await world.store.transaction((m) => appendEvent(m, line));
    const two = await world.store.transaction((m) => appendEvent(m, { ...line, details: null }));
    expect(two.id).toBeGreaterThan(one.id);
    const rows = await world.store.manager.find(RecordEvent, { where: { recordId: 7 }, order: { id: 'ASC' } });
    expect(rows).toEqual([one, two]);
    expect(rows[0]?.details).toEqual({ a: 1, b: ['x'] });
    expect(rows[1]?.details).toBeNull();
  });
});
