// `npm run bench`: the SLA reminder sweep reads only what is due, through the index on
// `next_reminder_at`, so it takes about as long over 1,000,000 faults (100,000 open) as over 10,000
// (1,000 open) when the same number of reminders is due. Prints both times and their ratio.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { ManualClock } from '../src/clock.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/data-source.js';
import { OutboxMessage } from '../src/store/entities/index.js';
import { Store } from '../src/store/store.js';
import { benchStartup } from './startup.js';
import { benchReports } from './reports.js';
import { searchAndExport } from './search-export.js';
import { benchAlertIntake } from './alerts.js';
import { benchSlackClicks } from './slack-clicks.js';

const NOW = new Date('2026-11-23T09:00:00.000Z');
const MINUTE = 60_000;
/** Reminders due at each measured sweep, the same in both sizes. */
const DUE = 200;
/** Measured sweeps: cohort k of DUE faults falls due at minute k, so each sweep has the same work. */
const COHORTS = 3;

interface Size {
  total: number;
  open: number;
}

const SIZES: Size[] = [
  { total: 10_000, open: 1_000 },
  { total: 1_000_000, open: 100_000 },
];

const iso = (ms: number) => new Date(ms).toISOString();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Fills `faults` with one fast prepared insert in one transaction: closed, open-not-due, and due faults. */
function seed(file: string, size: Size): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.prepare("INSERT INTO people (display_name, locale, created_at) VALUES ('bench', NULL, ?)").run(NOW.toISOString());
  const insert = db.prepare(`INSERT INTO faults
    (title, description, category, impact, urgency, priority, state, affected_system, source, reporter_id, assignee_id,
     root_cause, resolution_steps, reporter_platform, acknowledged_at, resolved_at, closed_at, created_at, updated_at, version,
     response_due_at, resolve_due_at, sla_response_step, sla_resolve_step, next_reminder_at)
    VALUES (?, 'seeded', 'network', 1, 1, 'P1', ?, NULL, 'chat', 1, NULL, ?, ?, 'slack', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`);
  const fill = db.transaction(() => {
    for (let i = 0; i < size.total; i++) {
      if (i < size.total - size.open) {
        // Closed long ago: nothing scheduled.
        const created = NOW.getTime() - 30 * 86_400_000 - i * MINUTE;
        insert.run(`Closed ${i}`, 'closed', 'cause', 'steps', iso(created + 5 * MINUTE), iso(created + 60 * MINUTE), iso(created + 120 * MINUTE), iso(created), iso(created), iso(created + 15 * MINUTE), iso(created + 240 * MINUTE), 6, 3, null);
      } else if (i < size.total - DUE * COHORTS) {
        // Open, acknowledged, next reminder somewhere in the coming days.
        const created = NOW.getTime() - 10 * MINUTE;
        const next = NOW.getTime() + MINUTE + (i % 5_000) * MINUTE;
        insert.run(`Open ${i}`, 'in_progress', null, null, iso(created + MINUTE), null, null, iso(created), iso(created), iso(created + 15 * MINUTE), iso(next + 60 * MINUTE), 0, 0, iso(next));
      } else {
        // Reported unacknowledged; the 50 % response reminder of cohort k falls due just before minute k.
        const cohort = Math.floor((size.total - 1 - i) / DUE);
        const created = NOW.getTime() - 8 * MINUTE + cohort * MINUTE;
        insert.run(`Due ${i}`, 'reported', null, null, null, null, null, iso(created), iso(created), iso(created + 15 * MINUTE), iso(created + 240 * MINUTE), 0, 0, iso(created + 7.5 * MINUTE));
      }
    }
  });
  fill();
  db.close();
}

async function measure(size: Size): Promise<{ due: number; idle: number; sent: number; seedMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdesk-bench-'));
  const url = `sqlite:${join(dir, 'bench.db')}`;
  try {
    await (await openDatabase(url)).destroy(); // the real migrations create the schema
    const seedStarted = performance.now();
    seed(join(dir, 'bench.db'), size);
    const seedMs = performance.now() - seedStarted;

    const store = new Store(await openDatabase(url), url);
    const clock = new ManualClock(NOW);
    const services = createServices({ store, clock, timeZone: 'Europe/Berlin', defaultLocale: 'en', bootstrapAdmins: [], channelDefaults: { fault_channel: 'slack:CBENCH' } });
    await store.dataSource.query('ANALYZE');

    const dueTimes: number[] = [];
    const idleTimes: number[] = [];
    for (let k = 0; k < COHORTS; k++) {
      const minute = NOW.getTime() + k * MINUTE;
      let started = performance.now();
      const result = await services.slaSweep.run(new Date(minute));
      dueTimes.push(performance.now() - started);
      if (result.records !== DUE) throw new Error(`expected ${DUE} records due at minute ${k}, found ${result.records}`);
      // Seconds later nothing is due: the sweep's cost is then only its index lookup.
      started = performance.now();
      await services.slaSweep.run(new Date(minute + 15_000));
      idleTimes.push(performance.now() - started);
    }
    const sent = await store.manager.count(OutboxMessage);
    await store.close();
    if (sent !== DUE * COHORTS) throw new Error(`expected ${DUE * COHORTS} reminders, sent ${sent}`);
    return { due: median(dueTimes), idle: median(idleTimes), sent, seedMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // `npm run bench -- startup` measures only start-up and memory (bench/startup.ts).
  if (process.argv.includes('startup')) return benchStartup();
  // `npm run bench -- slack`: only the Slack clicks and `/fault list` against bare Bolt (bench/slack-clicks.ts).
  if (process.argv.includes('slack')) {
    process.stdout.write(`${(await benchSlackClicks()).join('\n')}\n`);
    return;
  }
  const n = (v: number) => v.toLocaleString('en-US');
  process.stdout.write(`SLA reminder sweep on SQLite, ${DUE} reminders due per sweep (median of ${COHORTS} sweeps)\n`);
  await measure({ total: 2_000, open: 1_000 }); // warm-up: module loading and first-use costs stay out of the numbers
  const results: { size: Size; due: number; idle: number }[] = [];
  for (const size of SIZES) {
    const { due, idle, seedMs } = await measure(size);
    results.push({ size, due, idle });
    process.stdout.write(
      `${n(size.total).padStart(9)} faults, ${n(size.open).padStart(7)} open: sweep with ${DUE} due ${due.toFixed(0).padStart(5)} ms, ` +
        `sweep with nothing due ${idle.toFixed(2).padStart(6)} ms   (seeded in ${(seedMs / 1000).toFixed(1)} s)\n`,
    );
  }
  const [small, large] = results;
  if (small && large) {
    process.stdout.write(`ratio ${n(large.size.total)} / ${n(small.size.total)}: ${(large.due / small.due).toFixed(2)} (due), ${(large.idle / small.idle).toFixed(2)} (nothing due)\n`);
  }
  await benchStartup();
  process.stdout.write(`${(await benchSlackClicks()).join('\n')}\n`);
  process.stdout.write(`${(await benchReports()).join('\n')}\n`);
  process.stdout.write(`${(await searchAndExport()).join('\n')}\n`);
  await benchAlertIntake();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
