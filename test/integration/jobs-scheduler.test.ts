import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock, type Clock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { runKeyOf } from '../../src/jobs/lease.js';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/data-source.js';
import { JobLease } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const MINUTE = 60_000;
const logger = createLogger('silent');

const opened: Store[] = [];
const schedulers: JobScheduler[] = [];

afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) await scheduler.stop();
  for (const store of opened.splice(0)) await store.close();
});

async function openStore(file: string): Promise<Store> {
  const url = `sqlite:${file}`;
  const store = new Store(await openDatabase(url), url);
  // Two connections on this one thread stand in for two processes: better-sqlite3 would wait out a
  // lock synchronously (blocking the holder too), so a conflict fails at once and Store retries it.
  await store.dataSource.query('PRAGMA busy_timeout = 0');
  opened.push(store);
  return store;
}

/** Two "processes": each with its own connection to one database file. */
async function twoProcesses(): Promise<[Store, Store]> {
  const file = join(mkdtempSync(join(tmpdir(), 'opsdesk-jobs-')), 'db.sqlite');
  return [await openStore(file), await openStore(file)];
}

function scheduler(store: Store, clock: Clock, holder: string, metrics = new Metrics()): JobScheduler {
  const created = new JobScheduler({ store, clock, logger, metrics, holder, timezone: 'UTC' });
  schedulers.push(created);
  return created;
}

async function runs(metrics: Metrics, job: string, outcome: string): Promise<number> {
  const { values } = await metrics.jobRuns.get();
  return values.find((v) => v.labels.job === job && v.labels.outcome === outcome)?.value ?? 0;
}

describe('job scheduler', () => {
  it('runs a fire once across two processes, and the next fire again', async () => {
    const [storeA, storeB] = await twoProcesses();
    const clock = new ManualClock(T0);
    const ran: string[] = [];
    const [metricsA, metricsB] = [new Metrics(), new Metrics()];
    const a = scheduler(storeA, clock, 'proc-a', metricsA);
    const b = scheduler(storeB, clock, 'proc-b', metricsB);
    for (const [s, name] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      s.add({ name: 'sla-sweep', cron: '* * * * *', run: async (now) => void ran.push(`${name}@${now.toISOString()}`) });
    }

    // Both processes' timers fire for 09:00 (a few ms apart: same run key).
    const fire = new Date(T0);
    const results = await Promise.all([a.runDue('sla-sweep', fire), b.runDue('sla-sweep', new Date(fire.getTime() + 7))]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(ran).toHaveLength(1);
    // Once done, nobody runs that fire again.
    expect(await a.runDue('sla-sweep', fire)).toBe(false);
    expect(await b.runDue('sla-sweep', fire)).toBe(false);

    clock.advance(MINUTE);
    const next = new Date(T0.getTime() + MINUTE);
    const again = await Promise.all([b.runDue('sla-sweep', next), a.runDue('sla-sweep', next)]);
    expect(again.filter(Boolean)).toHaveLength(1);
    expect(ran).toHaveLength(2);
    expect(ran[1]).toMatch(/@2026-03-02T09:01:00.000Z$/);

    // A fire older than the last one run is stale: it never runs late.
    expect(await a.runDue('sla-sweep', T0)).toBe(false);
    expect((await runs(metricsA, 'sla-sweep', 'succeeded')) + (await runs(metricsB, 'sla-sweep', 'succeeded'))).toBe(2);

    const lease = await storeA.transaction((m) => m.findOneBy(JobLease, { name: 'sla-sweep' }));
    expect(lease).toMatchObject({ runKey: '2026-03-02T09:01:00.000Z' });
  });

  it('counts a throwing job as failed without throwing, and runs the next fire', async () => {
    const [store] = await twoProcesses();
    const clock = new ManualClock(T0);
    const metrics = new Metrics();
    const s = scheduler(store, clock, 'proc-a', metrics);
    let calls = 0;
    s.add({
      name: 'weekly-poll',
      cron: '0 9 * * 1',
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('feedback channel not configured');
      },
    });

    expect(await s.runDue('weekly-poll', T0)).toBe(true);
    expect(await runs(metrics, 'weekly-poll', 'failed')).toBe(1);

    clock.advance(7 * 24 * 60 * MINUTE);
    expect(await s.runDue('weekly-poll', clock.now())).toBe(true);
    expect(calls).toBe(2);
    expect(await runs(metrics, 'weekly-poll', 'succeeded')).toBe(1);
  });

  it('never overlaps runs: the next fire is skipped while a run is still going (until its lease expires)', async () => {
    const [storeA, storeB] = await twoProcesses();
    const clock = new ManualClock(T0);
    const a = scheduler(storeA, clock, 'proc-a');
    const b = scheduler(storeB, clock, 'proc-b');
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    a.add({ name: 'report', cron: '* * * * *', run: () => slow, leaseMs: 5 * MINUTE });
    b.add({ name: 'report', cron: '* * * * *', run: async () => undefined, leaseMs: 5 * MINUTE });

    const first = a.runDue('report', T0);
    await expect.poll(async () => (await storeB.transaction((m) => m.findOneBy(JobLease, { name: 'report' })))?.holder).toBe('proc-a');
    clock.advance(MINUTE);
    expect(await b.runDue('report', clock.now())).toBe(false);

    release();
    expect(await first).toBe(true);
    clock.advance(MINUTE);
    expect(await b.runDue('report', clock.now())).toBe(true);
  });

  it('takes over a fire whose holder died mid-run once the lease expires', async () => {
    const [storeA, storeB] = await twoProcesses();
    const clock = new ManualClock(T0);
    const a = scheduler(storeA, clock, 'proc-a');
    const b = scheduler(storeB, clock, 'proc-b');
    a.add({ name: 'audit', cron: '* * * * *', run: () => new Promise<void>(() => undefined), leaseMs: 2 * MINUTE });
    b.add({ name: 'audit', cron: '* * * * *', run: async () => undefined, leaseMs: 2 * MINUTE });
    void a.runDue('audit', T0); // never finishes: the process "hangs"
    await expect.poll(async () => (await storeB.transaction((m) => m.findOneBy(JobLease, { name: 'audit' })))?.holder).toBe('proc-a');

    clock.advance(MINUTE);
    expect(await b.runDue('audit', clock.now())).toBe(false);
    clock.advance(MINUTE);
    expect(await b.runDue('audit', clock.now())).toBe(true);
    schedulers.splice(schedulers.indexOf(a), 1); // its run never ends; do not wait for it
  });

  it('rejects bad registrations', async () => {
    const [store] = await twoProcesses();
    const s = scheduler(store, new ManualClock(T0), 'proc-a');
    const run = async (): Promise<void> => undefined;
    s.add({ name: 'sweep', cron: '*/5 * * * *', run });
    expect(() => s.add({ name: 'sweep', cron: '* * * * *', run })).toThrow(/already registered/);
    expect(() => s.add({ name: 'broken', cron: '61 * * * *', run })).toThrow(/invalid cron expression/);
    expect(() => s.add({ name: 'outbox-dispatcher', cron: '* * * * *', run })).toThrow(/reserved/);
    await expect(s.runDue('missing', T0)).rejects.toThrow(/unknown job/);
  });

  it('on real node-cron timers, two processes run each fire exactly once', async () => {
    const [storeA, storeB] = await twoProcesses();
    const fires: { holder: string; second: string }[] = [];
    for (const [store, holder] of [
      [storeA, 'proc-a'],
      [storeB, 'proc-b'],
    ] as const) {
      const s = scheduler(store, systemClock, holder);
      s.add({ name: 'tick', cron: '* * * * * *', run: async (now) => void fires.push({ holder, second: runKeyOf(now) }) });
      s.start();
    }
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    for (const s of schedulers.splice(0)) await s.stop();

    // About three fires in 3.3 s, each run by exactly one of the two processes (uncoordinated: six).
    expect(fires.length).toBeGreaterThanOrEqual(2);
    expect(fires.length).toBeLessThanOrEqual(4);
    expect(new Set(fires.map((f) => f.second)).size).toBe(fires.length);
    const lease = await storeA.transaction((m) => m.findOneBy(JobLease, { name: 'tick' }));
    expect(lease?.runKey).toBe(fires.map((f) => f.second).sort().at(-1));
  });
});

describe('job scheduler following a controllable clock', () => {
  it('fires every passed minute that matches, in the configured time zone, once across two processes', async () => {
    const [storeA, storeB] = await twoProcesses();
    const clock = new ManualClock(new Date('2026-03-02T08:45:30.000Z'));
    const fired: string[] = [];
    for (const [store, holder] of [[storeA, 'proc-a'], [storeB, 'proc-b']] as const) {
      const s = new JobScheduler({ store, clock, logger, metrics: new Metrics(), holder, timezone: 'Asia/Shanghai', followClock: true });
      schedulers.push(s);
      s.add({ name: 'every-ten', cron: '*/10 * * * *', run: async () => void fired.push(`every-ten ${clock.now().toISOString()}`) });
      s.add({ name: 'at-17-local', cron: '0 17 * * *', run: async () => void fired.push('17:00 in Shanghai') });
      s.start();
    }
    const settle = async (count: number) => {
      const deadline = Date.now() + 5_000;
      while (fired.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 500));
    };

    await settle(0);
    expect(fired).toEqual([]);
    clock.set(new Date('2026-03-02T09:05:30.000Z')); // passes 08:50 and 09:00 UTC; 09:00 UTC is 17:00 in Shanghai
    await settle(3);
    expect(fired.filter((f) => f.startsWith('every-ten'))).toHaveLength(2);
    expect(fired.filter((f) => f === '17:00 in Shanghai')).toHaveLength(1);
    clock.advance(MINUTE);
    await settle(4);
    expect(fired).toHaveLength(3);
  });
});

describe('jobs that catch up at start-up', () => {
  it('run once when processes start, however many start in the same minute', async () => {
    const [storeA, storeB] = await twoProcesses();
    const clock = new ManualClock(new Date('2026-03-02T09:00:10.000Z'));
    let runs = 0;
    for (const [store, holder] of [[storeA, 'proc-a'], [storeB, 'proc-b']] as const) {
      const s = scheduler(store, clock, holder);
      s.add({ name: 'catch-up', cron: '0 3 * * *', runAtStart: true, run: async () => void runs++ });
      s.add({ name: 'no-catch-up', cron: '0 3 * * *', run: async () => void (runs += 100) });
      s.start();
    }
    await new Promise((r) => setTimeout(r, 400));
    expect(runs).toBe(1);
  });
});
