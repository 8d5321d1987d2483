// The operations report's weekly trend counted in SQL (load-trend.ts) gives the same counts as the
// timeline rules of facts.ts (recordFacts over the loaded records), on SQLite and PostgreSQL; the
// monthly report's chart counts the calendar weeks of its month, clipped to it (trend-weeks.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { recordFacts } from '../../src/reports/facts.js';
import { inPeriod } from '../../src/reports/inputs.js';
import { loadServiceRecords } from '../../src/reports/load-records.js';
import { loadTrend } from '../../src/reports/load-trend.js';
import { periodOrThrow } from '../../src/reports/period.js';
import { trendWeeks } from '../../src/reports/trend-weeks.js';
import { translator } from '../../src/chat/i18n/catalog.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { RecordEvent } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { openTestWorld } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const DAY = 86_400_000;
const report = { title: 'Mail down', description: 'No mail', category: 'network' as const, impact: 1 as const, urgency: 2 as const, affectedSystem: 'mail-01' };
const resolution = { rootCause: 'disk full', resolutionSteps: 'cleaned' };
/** Eight weeks ending Monday 2026-12-21 00:00 UTC: weeks 4-7 start 11-23, 11-30, 12-07, 12-14. */
const END = new Date('2026-12-21T00:00:00Z');

/** Four faults from Monday 2026-11-23 09:00 UTC on (the clock's start). */
async function scenario(services: Services, clock: ManualClock): Promise<void> {
  const admin = await services.people.resolve({ platform: 'slack', userId: 'UADMIN', displayName: 'admin' });
  await services.people.grant(admin, { platform: 'slack', userId: 'UANNA', displayName: 'anna' }, 'engineer');
  const anna = await services.people.resolve({ platform: 'slack', userId: 'UANNA', displayName: 'anna' });
  // INC-1: opened and resolved in week 4, closed in week 5: resolved counts in week 4.
  await services.faults.report(anna, report);
  await services.faults.acknowledge(anna, 1);
  await services.faults.resolve(anna, 1, resolution);
  // INC-2: opened and resolved in week 4, reopened in week 5, resolved again in week 6: counts in week 6 only.
  await services.faults.report(anna, report);
  await services.faults.acknowledge(anna, 2);
  await services.faults.resolve(anna, 2, resolution);
  clock.advance(7 * DAY);
  await services.faults.close(anna, 1);
  await services.faults.reopen(anna, 2);
  // INC-3: opened, resolved and reopened in week 5, still open: never resolved.
  await services.faults.report(anna, report);
  await services.faults.acknowledge(anna, 3);
  await services.faults.resolve(anna, 3, resolution);
  await services.faults.reopen(anna, 3);
  clock.advance(7 * DAY);
  await services.faults.resolve(anna, 2, resolution);
  // INC-4: opened in week 6, untouched.
  await services.faults.report(anna, report);
}

async function check(store: Store, services: Services, now: Date): Promise<void> {
  const weeks = trendWeeks('weekly', { from: new Date(END.getTime() - 7 * DAY), to: END }, 'UTC');
  const counts = await loadTrend(store.manager, weeks);
  expect(counts).toEqual({ opened: [0, 0, 0, 0, 2, 1, 1, 0], resolved: [0, 0, 0, 0, 1, 0, 1, 0] });
  // The same figures from the timelines, as the report computed them before load-trend.ts.
  const records = await loadServiceRecords(store.manager, { from: weeks[0]?.from ?? END, to: END });
  expect(weeks.map((w) => records.filter((r) => inPeriod(r.createdAt, w)).length)).toEqual(counts.opened);
  expect(weeks.map((w) => records.filter((r) => { const final = recordFacts(r).final; return final !== null && inPeriod(final.at, w); }).length)).toEqual(counts.resolved);
  // Each record's timeline, read as one aggregated column (load-records.ts), is the timeline the
  // record kernel stored, line by line and in order (the note aside: no rule reads it).
  const stored = await store.manager.find(RecordEvent, { where: { recordKind: 'fault' }, order: { id: 'ASC' } });
  expect(records.length).toBe(4);
  for (const record of records) {
    const expected = stored.filter((e) => e.recordId === record.id).map((e) => ({ at: e.createdAt, actorId: e.actorId, kind: e.kind, fromState: e.fromState, toState: e.toState }));
    expect(expected.length).toBeGreaterThan(0);
    expect(record.events).toEqual(expected);
  }
  // The monthly report's chart: the calendar weeks of its month (UTC here), not 7-day windows back
  // from its end. November 2026 starts on a Sunday and ends on a Monday: one-day weeks at both ends.
  const chart = async (month: string) => (await services.reports.operations(null, 'monthly', periodOrThrow(month, 'UTC', now), translator('en'), 'UTC')).chart.weeks;
  // INC-1, INC-2 opened in the week of 11-23 (INC-1 resolved there); INC-3 opened Monday 11-30.
  expect(await chart('2026-11')).toEqual([
    { label: '11-01–11-01', opened: 0, resolved: 0 },
    { label: '11-02', opened: 0, resolved: 0 },
    { label: '11-09', opened: 0, resolved: 0 },
    { label: '11-16', opened: 0, resolved: 0 },
    { label: '11-23', opened: 2, resolved: 1 },
    { label: '11-30–11-30', opened: 1, resolved: 0 },
  ]);
  // December starts on a Tuesday: INC-3 (Monday 11-30) is in the same calendar week but not in the
  // month, so the clipped first week counts nothing; INC-4 opened and INC-2 resolved on Monday 12-07.
  expect(await chart('2026-12')).toEqual([
    { label: '12-01–12-06', opened: 0, resolved: 0 },
    { label: '12-07', opened: 1, resolved: 1 },
    { label: '12-14', opened: 0, resolved: 0 },
    { label: '12-21', opened: 0, resolved: 0 },
    { label: '12-28–12-31', opened: 0, resolved: 0 },
  ]);
}

describe('weekly trend counted in SQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('matches the timeline rules on SQLite', async () => {
    const world = await openTestWorld({ admins: ['slack:UADMIN'] });
    cleanups.push(() => world.store.close());
    await scenario(world.services, world.clock);
    await check(world.store, world.services, world.clock.now());
  });

  it('matches the timeline rules on PostgreSQL', async () => {
    const created = await createSchema();
    const store = new Store(await openDatabase(POSTGRES_URL, { schema: created.schema }), POSTGRES_URL);
    cleanups.push(async () => {
      await store.close();
      await created.drop();
    });
    const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
    const services = createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: ['slack:UADMIN'], channelDefaults: {} });
    await scenario(services, clock);
    await check(store, services, clock.now());
  });
});
