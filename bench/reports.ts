// `npm run bench` (second part): the weekly operations report and a team KPI query over 1,000,000
// faults with their timelines (3,000,000 events) on SQLite. Target: under 2 s each (issue #13).
// The chart's PNG rendering is timed apart: it does not depend on the number of records.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { translator } from '../src/chat/i18n/catalog.js';
import { ManualClock } from '../src/clock.js';
import { renderChart } from '../src/reports/chart.js';
import { parsePeriod } from '../src/reports/period.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/data-source.js';
import { Store } from '../src/store/store.js';

const NOW = new Date('2026-11-25T09:00:00.000Z');
const MINUTE = 60_000;
const TOTAL = 1_000_000;
/** One fault every minute going back: 1,000,000 minutes is about 23 months. */
const SPACING = MINUTE;

const iso = (ms: number) => new Date(ms).toISOString();

function seed(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.prepare("INSERT INTO people (display_name, locale, created_at) VALUES ('bench', NULL, ?)").run(NOW.toISOString());
  const fault = db.prepare(`INSERT INTO faults
    (id, title, description, category, impact, urgency, priority, state, affected_system, source, reporter_id, assignee_id,
     root_cause, resolution_steps, reporter_platform, acknowledged_at, resolved_at, closed_at, created_at, updated_at, version,
     response_due_at, resolve_due_at, sla_response_step, sla_resolve_step, next_reminder_at)
    VALUES (?, ?, 'seeded', 'network', 2, 2, 'P3', ?, ?, 'chat', 1, 1, 'cause', 'steps', 'slack', ?, ?, ?, ?, ?, 1, NULL, NULL, 0, 0, NULL)`);
  const event = db.prepare("INSERT INTO record_events (record_kind, record_id, actor_id, kind, from_state, to_state, note, details, created_at) VALUES ('fault', ?, 1, ?, ?, ?, NULL, NULL, ?)");
  db.transaction(() => {
    for (let i = 1; i <= TOTAL; i++) {
      const created = NOW.getTime() - (TOTAL - i + 1) * SPACING;
      const ack = created + 10 * MINUTE;
      const resolved = created + 120 * MINUTE;
      const closed = resolved + 7 * 86_400_000;
      const isClosed = closed <= NOW.getTime();
      fault.run(i, `Fault ${i}`, isClosed ? 'closed' : 'resolved', `ci-${i % 50}`, iso(ack), iso(resolved), isClosed ? iso(closed) : null, iso(created), iso(isClosed ? closed : resolved));
      event.run(i, 'acknowledge', 'reported', 'acknowledged', iso(ack));
      event.run(i, 'resolve', 'acknowledged', 'resolved', iso(resolved));
      if (isClosed) event.run(i, 'close', 'resolved', 'closed', iso(closed));
    }
  })();
  db.close();
}

/**
 * Runs the reports bench and returns the lines for the output. With BENCH_REPORTS_DB set to a file
 * path, the seeded database is kept there and reused by the next run (to compare before and after on
 * the same data); otherwise it is seeded in a temporary directory and removed.
 */
export async function benchReports(): Promise<string[]> {
  const kept = process.env.BENCH_REPORTS_DB;
  const dir = mkdtempSync(join(tmpdir(), 'opsdesk-bench-reports-'));
  const file = kept ?? join(dir, 'bench.db');
  const url = `sqlite:${file}`;
  try {
    const reuse = kept !== undefined && existsSync(kept);
    await (await openDatabase(url)).destroy();
    const seeded = performance.now();
    if (!reuse) seed(file);
    const seedS = (performance.now() - seeded) / 1000;
    const store = new Store(await openDatabase(url), url);
    const clock = new ManualClock(NOW);
    const services = createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: [], channelDefaults: {} });
    await store.dataSource.query('ANALYZE');
    const manager = { personId: 1, displayName: 'bench', roles: ['manager' as const], platform: 'shell' as const, userId: 'bench' };
    const week = parsePeriod('last-week', 'UTC', NOW);
    if (!week) throw new Error('period');
    const t = translator('en');

    let started = performance.now();
    const kpi = await services.reports.kpis(manager, null, week);
    const kpiS = (performance.now() - started) / 1000;
    started = performance.now();
    const report = await services.reports.operations(manager, 'weekly', week, t, 'UTC');
    const reportS = (performance.now() - started) / 1000;
    started = performance.now();
    renderChart(report.chart, t);
    const chartS = (performance.now() - started) / 1000;
    await store.close();
    return [
      `Reports on SQLite over ${TOTAL.toLocaleString('en-US')} faults (3 timeline events each; ${reuse ? 'reused' : `seeded in ${seedS.toFixed(0)} s`}), week ${week.label}:`,
      `  team KPI query            ${kpiS.toFixed(2)} s  (MTTR over ${kpi.mttr.wall.count.toLocaleString('en-US')} records)   target < 2 s`,
      `  weekly operations report  ${reportS.toFixed(2)} s  (8-week trend and the previous week)     target < 2 s`,
      `  chart PNG rendering       ${chartS.toFixed(2)} s  (independent of the number of records)`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
