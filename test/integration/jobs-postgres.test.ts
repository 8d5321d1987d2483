import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { acquireLease, claimRun, finishRun, runKeyOf } from '../../src/jobs/lease.js';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/data-source.js';
import { Store } from '../../src/store/store.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');

describe('job leases on PostgreSQL', () => {
  const stores: Store[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    // Four "processes", each with its own connection pool on one schema.
    for (let i = 0; i < 4; i++) stores.push(new Store(await openDatabase(POSTGRES_URL, { schema: created.schema }), POSTGRES_URL));
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await drop?.();
  });

  function store(i: number): Store {
    const found = stores[i];
    if (!found) throw new Error(`no store ${i}`);
    return found;
  }

  it('grants a standing lease to exactly one of many concurrent claimants', async () => {
    const now = T0;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => acquireLease(store(i % 4), { name: 'pg-lease', holder: `proc-${i}`, now, ttlMs: 30_000 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = `proc-${results.indexOf(true)}`;
    // The holder renews; the others wait for expiry; after it, one of them takes over.
    expect(await acquireLease(store(0), { name: 'pg-lease', holder: winner, now: new Date(T0.getTime() + 10_000), ttlMs: 30_000 })).toBe(true);
    expect(await acquireLease(store(1), { name: 'pg-lease', holder: 'late', now: new Date(T0.getTime() + 39_999), ttlMs: 30_000 })).toBe(false);
    expect(await acquireLease(store(1), { name: 'pg-lease', holder: 'late', now: new Date(T0.getTime() + 40_000), ttlMs: 30_000 })).toBe(true);
  });

  it('lets exactly one claimant run each fire', async () => {
    for (let minute = 0; minute < 3; minute++) {
      const now = new Date(T0.getTime() + minute * 60_000);
      const runKey = runKeyOf(now);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => claimRun(store(i % 4), { name: 'pg-job', holder: `proc-${i}`, runKey, now, ttlMs: 60_000 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      await finishRun(store(0), { name: 'pg-job', holder: `proc-${results.indexOf(true)}`, runKey, now });
    }
  });

  it('runs a scheduler job once across processes', async () => {
    const clock = new ManualClock(T0);
    let runs = 0;
    const schedulers = [0, 1, 2].map((i) => {
      const s = new JobScheduler({ store: store(i), clock, logger: createLogger('silent'), metrics: new Metrics(), holder: `proc-${i}`, timezone: 'UTC' });
      s.add({ name: 'pg-sweep', cron: '* * * * *', run: async () => void runs++ });
      return s;
    });
    const results = await Promise.all(schedulers.map((s) => s.runDue('pg-sweep', T0)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
  });
});
