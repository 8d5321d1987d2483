import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { verifyChain } from '../../src/audit/chain.js';
import { ManualClock } from '../../src/clock.js';
import { createServices } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { Store } from '../../src/store/store.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

describe('the same migrations on PostgreSQL', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    dataSource = await openDatabase(POSTGRES_URL, { schema: created.schema });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  it('leave no difference between entities and schema', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('serve the fault workflow and keep one audit chain under concurrent writers', async () => {
    const store = new Store(dataSource, POSTGRES_URL);
    const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
    const services = createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: [], channelDefaults: {} });
    const people = await Promise.all(['a', 'b', 'c', 'd'].map((n) => services.people.resolve({ platform: 'shell', userId: n, displayName: n })));
    const input = { title: 'Disk full', description: 'db-2 at 100%', category: 'hardware' as const, impact: 2 as const, urgency: 1 as const };
    const faults = await Promise.all(people.map((p) => services.faults.report(p, input)));
    expect(faults.map((f) => f.priority)).toEqual(['P2', 'P2', 'P2', 'P2']);
    expect(new Set(faults.map((f) => f.id)).size).toBe(4);
    expect(await verifyChain(store.manager)).toEqual({ ok: true, entries: 4, head: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
  });
});
