import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { AuditEntry, OutboxMessage } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

describe('scheduled reports on PostgreSQL with two replicas', { timeout: 120_000 }, () => {
  const stores: Store[] = [];
  const replicas: Services[] = [];
  // Wednesday: the Monday 09:00 fire is past, but the database is new: the bot starts now.
  const clock = new ManualClock(new Date('2026-11-25T12:00:00Z'));
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    for (let i = 0; i < 2; i++) {
      const store = new Store(await openDatabase(POSTGRES_URL, { schema: created.schema }), POSTGRES_URL);
      stores.push(store);
      replicas.push(createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: { management_channel: 'slack:CMGMT' } }));
    }
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await drop?.();
  });

  const store = () => stores[0] as Store;
  const outbox = async () => (await store().manager.find(OutboxMessage, { order: { id: 'ASC' } })).map((m) => JSON.parse(m.payload) as ChatMessage);
  const both = (kind: 'weekly' | 'monthly' | 'audit') => Promise.all(replicas.map((r) => r.reports.postScheduled(kind, clock.now())));

  it('on a fresh database posts no report about the time before its first start, and both replicas agree on that start', async () => {
    expect(await both('weekly')).toEqual(['not_due', 'not_due']);
    const started = await store().manager.find(AuditEntry, { where: { action: 'report.started' } });
    expect(started.map((e) => e.createdAt.toISOString())).toEqual(['2026-11-25T12:00:00.000Z']);
    expect(await outbox()).toEqual([]);
  });

  it('posts a fire missed while down under a changed schedule once, however many replicas look, with the chart attached', async () => {
    const [a] = replicas as [Services, Services];
    const admin = await a.people.resolve({ platform: 'shell', userId: 'admin', displayName: 'admin' });
    await a.settings.set(admin, 'report_schedule', '30 7 * * 4');
    // Down from Wednesday to Thursday noon: the Thursday 07:30 fire was missed.
    clock.set(new Date('2026-11-26T12:00:00Z'));
    expect((await both('weekly')).sort()).toEqual(['already', 'posted']);
    expect(await both('weekly')).toEqual(['already', 'already']);
    const posted = await outbox();
    expect(posted).toHaveLength(1);
    // Thursday's report covers the 7 days before Thursday.
    expect(posted[0]?.title).toBe('Weekly operations report · 2026-11-19 – 2026-11-25');
    expect(posted[0]?.attachment).toMatchObject({ name: 'weekly-2026-11-19.png', mimeType: 'image/png', purpose: 'report' });
    expect(Buffer.from(posted[0]?.attachment?.base64 ?? '', 'base64').subarray(1, 4).toString('ascii')).toBe('PNG');
    const rows = await store().manager.find(OutboxMessage);
    expect(rows.map((r) => `${r.platform}:${r.targetKind}:${r.targetId}`)).toEqual(['slack:channel:CMGMT']);
    const audit = await store().manager.find(AuditEntry, { where: { action: 'report.posted' } });
    expect(audit.map((e) => e.recordId)).toEqual(['weekly:2026-11-19']);
  });

  it('posts the monthly report, then the audit report with the chain head, once each', async () => {
    clock.set(new Date('2026-12-01T09:00:00Z'));
    expect((await both('monthly')).sort()).toEqual(['already', 'posted']);
    expect((await both('audit')).sort()).toEqual(['already', 'posted']);
    const titles = (await outbox()).map((m) => m.title);
    expect(titles).toEqual(['Weekly operations report · 2026-11-19 – 2026-11-25', 'Monthly operations report · 2026-11-01 – 2026-11-30', 'Audit report · 2026-11-01 – 2026-11-30']);
    const auditMessage = (await outbox())[2] as ChatMessage;
    expect(auditMessage.context?.join('\n')).toMatch(/Chain head[^\n]*: \d+:[0-9a-f]{64}/);
    expect(auditMessage.attachment).toBeUndefined();
  });
});
