// `npm run bench`, monitoring part: alerts ingested per second through POST /hooks/alertmanager (bodies
// of 1 and of 100 alerts, half new and half repeated fingerprints) next to the rate at which the same
// process only inserts those alert rows with better-sqlite3, as a ratio. Target (issue #11): at least
// 5,000 alerts per second through HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { ManualClock } from '../src/clock.js';
import { Metrics } from '../src/http/metrics.js';
import { HttpServer } from '../src/http/server.js';
import { createLogger } from '../src/logger.js';
import { monitoringRoutes } from '../src/monitoring/routes.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/data-source.js';
import { Alert, Fault } from '../src/store/entities/index.js';
import { Store } from '../src/store/store.js';

const TOKEN = 'bench-webhook-token-0123456789abcdef';
const GROUPS = 10;
const CONCURRENCY = 8;
/** Alerts sent per measured run, the same for both body sizes. */
const ALERTS = 2_000;
export const TARGET_PER_S = 5_000;

interface Body {
  json: string;
  alerts: number;
  /** The alert rows the baseline inserts for this body. */
  rows: { fingerprint: string; name: string; labels: string }[];
}

function fp(n: number): string {
  return n.toString(16).padStart(16, '0');
}

/** Bodies of `size` alerts; in each, half the fingerprints are new and half were sent before (for size 1: every other body repeats). */
function bodies(size: number): Body[] {
  const out: Body[] = [];
  let next = 0;
  const sent: number[][] = Array.from({ length: GROUPS }, () => []);
  for (let b = 0; b < ALERTS / size; b++) {
    const g = b % GROUPS;
    const chosen: number[] = [];
    const fresh = size === 1 ? (b % 2 === 0 ? 1 : 0) : size / 2;
    for (let i = 0; i < size - fresh; i++) {
      const pool = sent[g] ?? [];
      chosen.push(pool.length === 0 ? next++ : (pool[(b * 7 + i) % pool.length] ?? 0));
    }
    for (let i = 0; i < fresh; i++) chosen.push(next++);
    sent[g]?.push(...chosen.filter((n) => !(sent[g] ?? []).includes(n)));
    const alerts = chosen.map((n) => ({
      status: 'firing',
      labels: { alertname: `Bench${g}`, instance: `host${n}:9100`, severity: 'warning' },
      annotations: { summary: `bench alert ${n}` },
      startsAt: '2026-11-23T08:59:00.123456789Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus/graph',
      fingerprint: fp(n),
    }));
    const json = JSON.stringify({ version: '4', groupKey: `{}:{alertname="Bench${g}"}`, status: 'firing', receiver: 'opsdesk', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', truncatedAlerts: 0, alerts });
    out.push({ json, alerts: size, rows: alerts.map((a) => ({ fingerprint: a.fingerprint, name: a.labels.alertname, labels: JSON.stringify(a.labels) })) });
  }
  return out;
}

async function throughHttp(list: Body[]): Promise<{ perSecond: number; faults: number; stored: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdesk-bench-alerts-'));
  const url = `sqlite:${join(dir, 'bench.db')}`;
  try {
    const store = new Store(await openDatabase(url), url);
    const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
    const services = createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: [], channelDefaults: { fault_channel: 'slack:CBENCH' } });
    const logger = createLogger('silent');
    const http = new HttpServer(logger);
    for (const route of monitoringRoutes({ intake: services.alerts, token: TOKEN, maxBytes: 10 * 1024 * 1024, metrics: new Metrics(), logger, clock })) {
      http.add(route.method, route.path, route.handler, route.options);
    }
    const port = await http.listen(0, '127.0.0.1');
    const endpoint = `http://127.0.0.1:${port}/hooks/alertmanager`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
    let index = 0;
    const started = performance.now();
    const worker = async () => {
      for (;;) {
        const body = list[index++];
        if (!body) return;
        const res = await fetch(endpoint, { method: 'POST', headers, body: body.json });
        if (res.status !== 200) throw new Error(`hook answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    const faults = await store.manager.count(Fault);
    const stored = await store.manager.count(Alert);
    await http.close();
    await store.close();
    return { perSecond: ALERTS / seconds, faults, stored };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor: the same alert rows inserted with a prepared better-sqlite3 statement, one transaction per body. */
async function insertOnly(list: Body[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdesk-bench-alerts-'));
  const file = join(dir, 'bench.db');
  try {
    await (await openDatabase(`sqlite:${file}`)).destroy();
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    const now = '2026-11-23T09:00:00.000Z';
    db.prepare("INSERT INTO people (display_name, locale, created_at) VALUES ('bench', NULL, ?)").run(now);
    const faultIds: number[] = [];
    const addFault = db.prepare(`INSERT INTO faults (title, description, category, impact, urgency, priority, state, source, reporter_id, reporter_platform, created_at, updated_at, version)
      VALUES ('bench', 'bench', 'other', 2, 2, 'P3', 'reported', 'alert', 1, 'alertmanager', ?, ?, 1)`);
    for (let g = 0; g < GROUPS; g++) faultIds.push(Number(addFault.run(now, now).lastInsertRowid));
    const insert = db.prepare(`INSERT OR IGNORE INTO alerts (fault_id, source, fingerprint, name, status, severity, configuration_item, summary, labels, starts_at, ends_at, fire_count, first_seen_at, changed_at)
      VALUES (?, 'alertmanager', ?, ?, 'firing', 'warning', NULL, 'bench', ?, ?, NULL, 1, ?, ?)`);
    const started = performance.now();
    list.forEach((body, b) => {
      const faultId = faultIds[b % GROUPS] ?? 0;
      db.transaction(() => {
        for (const row of body.rows) insert.run(faultId, row.fingerprint, row.name, row.labels, now, now, now);
      })();
    });
    const seconds = (performance.now() - started) / 1000;
    db.close();
    return ALERTS / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs both body sizes and prints one line each; returns the HTTP rates. */
export async function benchAlertIntake(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<{ size: number; perSecond: number }[]> {
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  out(`Alert intake through POST /hooks/alertmanager on SQLite, ${n(ALERTS)} alerts per run in ${GROUPS} groups, half new and half repeated, ${CONCURRENCY} requests in flight (target ${n(TARGET_PER_S)}/s)`);
  await throughHttp(bodies(100).slice(0, 5)); // warm-up
  const results: { size: number; perSecond: number }[] = [];
  for (const size of [1, 100]) {
    const list = bodies(size);
    const http = await throughHttp(list);
    const floor = await insertOnly(list);
    results.push({ size, perSecond: http.perSecond });
    out(
      `bodies of ${String(size).padStart(3)} alert(s): ${n(http.perSecond).padStart(7)} alerts/s through HTTP, ${n(floor).padStart(9)} rows/s inserting only, ratio ${(http.perSecond / floor).toFixed(3)}` +
        `   (${http.faults} faults, ${n(http.stored)} alerts stored)${http.perSecond >= TARGET_PER_S ? '' : '   BELOW TARGET'}`,
    );
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchAlertIntake().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
