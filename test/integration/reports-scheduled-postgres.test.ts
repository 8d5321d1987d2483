import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { dueReportPeriod } from '../../src/reports/scheduled.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { AuditEntry, OutboxMessage } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

describe('scheduled reports on PostgreSQL with two replicas', () => {
  const stores: Store[] = [];
  const replicas: Services[] = [];
  // Wednesday: the Monday 09:00 fire was missed while the bot was down.
  const clock = new ManualClock(new Date('2026-11-25T12:00:00Z'));
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    for (let i = 0; i < 2; i++) {
      const store = new Store(await openDatabase(POSTGRES_URL, { schema: created.schema }), POSTGRES_URL);
      stores.push(store);
      replicas.push(createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: [], channelDefaults: { management_channel: 'slack:CMGMT' } }));
    }
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await drop?.();
  });

  it('names the period of the latest fire', () => {
    expect(dueReportPeriod('weekly', new Date('2026-11-25T12:00:00Z'), 'UTC').label).toBe('2026-11-16 – 2026-11-22');
    expect(dueReportPeriod('weekly', new Date('2026-11-23T08:59:00Z'), 'UTC').label).toBe('2026-11-09 – 2026-11-15');
    expect(dueReportPeriod('monthly', new Date('2026-12-01T09:00:00Z'), 'UTC').label).toBe('2026-11-01 – 2026-11-30');
    expect(dueReportPeriod('audit', new Date('2026-12-01T09:01:00Z'), 'UTC').label).toBe('2026-10-01 – 2026-10-31');
  });

  it('posts a missed weekly report once at start-up, however many replicas start', async () => {
    const [a, b] = replicas as [Services, Services];
    const outcomes = await Promise.all([a.reports.postScheduled('weekly', clock.now()), b.reports.postScheduled('weekly', clock.now())]);
    expect(outcomes.sort()).toEqual(['already', 'posted']);
    expect(await a.reports.postScheduled('weekly', clock.now())).toBe('already');
    const posted = await (stores[0] as Store).manager.find(OutboxMessage);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.payload).toContain('Weekly operations report · 2026-11-16 – 2026-11-22');
    const audit = await (stores[0] as Store).manager.find(AuditEntry, { where: { action: 'report.posted' } });
    expect(audit.map((e) => e.recordId)).toEqual(['weekly:2026-11-16']);
  });

  it('posts the monthly audit report with the chain head', async () => {
    const [a, b] = replicas as [Services, Services];
    const outcomes = await Promise.all([a.reports.postScheduled('audit', clock.now()), b.reports.postScheduled('audit', clock.now())]);
    expect(outcomes.sort()).toEqual(['already', 'posted']);
    const payloads = (await (stores[0] as Store).manager.find(OutboxMessage)).map((m) => m.payload);
    expect(payloads.some((p) => p.includes('Audit report · 2026-10-01 – 2026-10-31') && /Chain head[^"]*: \d+:[0-9a-f]{64}/.test(p))).toBe(true);
  });
});
