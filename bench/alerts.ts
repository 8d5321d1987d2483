// `npm run bench`, monitoring part: alerts ingested per second through POST /hooks/alertmanager (bodies
// of 1 and of 100 alerts, half new and half repeated fingerprints) next to the rate at which the same
// process only inserts those alert rows with better-sqlite3, as a ratio. Target (issue #11): at least
// 5,000 alerts per second through HTTP. The sender is another process (as Alertmanager is), with
// keep-alive connections, so that the server's own CPU time per alert can be measured: on a shared
// machine the wall-clock rate moves with the load, the CPU time much less. A third figure is the same
// HTTP server with the same body parsing but no storage: the floor of any request before the database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { systemClock } from '../src/clock.js';
import { Metrics } from '../src/http/metrics.js';
import { HttpServer } from '../src/http/server.js';
import { createLogger } from '../src/logger.js';
import { cardRedrawTask } from '../src/monitoring/card-redraw.js';
import { bearerMatches } from '../src/http/bearer.js';
import { parseAlertmanager } from '../src/monitoring/normalize.js';
import { monitoringRoutes } from '../src/monitoring/routes.js';
import { plainInput } from '../src/chat/markup.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/data-source.js';
import { Alert, Fault } from '../src/store/entities/index.js';
import { Store } from '../src/store/store.js';

const TOKEN = 'bench-webhook-token-0123456789abcdef';
const GROUPS = 10;
const CONCURRENCY = 8;
/** Alerts sent per measured run, the same for both body sizes. */
const ALERTS = 4_000;
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
/** One body per group with one alert that no measured body repeats, to open the groups' faults. */
function seedBodies(): Body[] {
  return Array.from({ length: GROUPS }, (_, g) => {
    const alert = { status: 'firing', labels: { alertname: `Bench${g}`, instance: 'seed:9100', severity: 'warning' }, annotations: {}, startsAt: '2026-11-23T08:59:00Z', fingerprint: `seed${fp(g).slice(4)}` };
    const json = JSON.stringify({ version: '4', groupKey: `{}:{alertname="Bench${g}"}`, status: 'firing', receiver: 'opsdesk', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', alerts: [alert] });
    return { json, alerts: 1, rows: [] };
  });
}

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

// The sender: plain node:http with keep-alive (CommonJS, run with node -e), CONCURRENCY in flight.
const CLIENT = `
const http = require('node:http');
process.once('message', ({ port, token, bodies, concurrency }) => {
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/hooks/alertmanager', method: 'POST', agent,
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => res.statusCode === 200 ? resolve() : reject(new Error('hook answered ' + res.statusCode + ': ' + Buffer.concat(chunks).toString())));
    });
    req.on('error', reject);
    req.end(body);
  });
}
let index = 0;
async function worker() { for (;;) { const body = bodies[index++]; if (body === undefined) return; await post(body); } }
const started = performance.now();
const done = (m) => { agent.destroy(); process.send(m, () => process.exit(0)); };
Promise.all(Array.from({ length: concurrency }, worker)).then(
  () => done({ seconds: (performance.now() - started) / 1000 }),
  (error) => done({ error: String(error && error.stack || error) }));
});
`;

interface Sent {
  /** Wall-clock seconds from the first request to the last answer. */
  seconds: number;
  /** CPU seconds (user + system) this process, the server, spent meanwhile. */
  cpuSeconds: number;
}

/** Posts every body to the server on `port` from a child process; returns wall-clock and server CPU seconds. */
function send(port: number, list: Body[]): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let cpu: NodeJS.CpuUsage | undefined;
    child.once('spawn', () => {
      child.send({ port, token: TOKEN, bodies: list.map((b) => b.json), concurrency: CONCURRENCY }, () => (cpu = process.cpuUsage()));
    });
    child.once('message', (m: { seconds?: number; error?: string }) => {
      const used = process.cpuUsage(cpu);
      if (m.error !== undefined || m.seconds === undefined) reject(new Error(m.error ?? 'no result'));
      else resolve({ seconds: m.seconds, cpuSeconds: (used.user + used.system) / 1e6 });
    });
    child.once('error', reject);
  });
}

/** The same HTTP server, token check and body parsing (JSON with the mention guard, then the schema), storing nothing. */
async function parseOnly(list: Body[]): Promise<Sent> {
  const http = new HttpServer(createLogger('silent'));
  http.add(
    'POST',
    '/hooks/alertmanager',
    (req, res, rawBody) => {
      const ok = bearerMatches(req.headers, TOKEN) && parseAlertmanager(JSON.parse(rawBody.toString('utf8'), (_k, v: unknown) => (typeof v === 'string' ? plainInput(v) : v))).ok;
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'parsed' }));
      return Promise.resolve();
    },
    { maxBytes: 10 * 1024 * 1024 },
  );
  const port = await http.listen(0, '127.0.0.1');
  try {
    return await send(port, list);
  } finally {
    await http.close();
  }
}

async function throughHttp(list: Body[]): Promise<Sent & { faults: number; stored: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdesk-bench-alerts-'));
  const url = `sqlite:${join(dir, 'bench.db')}`;
  try {
    const store = new Store(await openDatabase(url), url);
    // The real clock, so that the card task draws the coalesced edits as it would in production.
    const clock = systemClock;
    const services = createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: [], channelDefaults: { fault_channel: 'slack:CBENCH' } });
    const logger = createLogger('silent');
    const http = new HttpServer(logger);
    for (const route of monitoringRoutes({ intake: services.alerts, token: TOKEN, maxBytes: 10 * 1024 * 1024, metrics: new Metrics(), logger, clock })) {
      http.add(route.method, route.path, route.handler, route.options);
    }
    const port = await http.listen(0, '127.0.0.1');
    const cards = cardRedrawTask(services.alerts.cards, logger, 1_000);
    cards.start();
    // Each group's fault exists before the clock starts, as in the floor: measured is the steady state
    // of a storm (alerts joining open faults and repeats), not opening ten faults.
    await send(port, seedBodies());
    const sent = await send(port, list);
    await cards.stop();
    const faults = await store.manager.count(Fault);
    const stored = await store.manager.count(Alert);
    await http.close();
    await store.close();
    return { ...sent, faults, stored };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor: the same alert rows inserted with a prepared better-sqlite3 statement, one transaction per body. */
async function insertOnly(list: Body[]): Promise<Sent> {
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
    const cpu = process.cpuUsage();
    const started = performance.now();
    list.forEach((body, b) => {
      const faultId = faultIds[b % GROUPS] ?? 0;
      db.transaction(() => {
        for (const row of body.rows) insert.run(faultId, row.fingerprint, row.name, row.labels, now, now, now);
      })();
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    db.close();
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs both body sizes and prints one line each; returns the HTTP rates (wall clock, and per CPU second of the server). */
export async function benchAlertIntake(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<{ size: number; perSecond: number; perCpuSecond: number }[]> {
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const rates = (s: Sent) => ({ wall: ALERTS / s.seconds, cpu: ALERTS / s.cpuSeconds });
  out(`Alert intake through POST /hooks/alertmanager on SQLite, ${n(ALERTS)} alerts per run in ${GROUPS} groups, half new and half repeated, ${CONCURRENCY} requests in flight from another process (target ${n(TARGET_PER_S)}/s)`);
  out('rates: wall clock / per CPU second of the server process (the sender\'s CPU not counted)');
  const results: { size: number; perSecond: number; perCpuSecond: number }[] = [];
  for (const size of process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(",").map(Number) : [1, 100]) {
    const list = bodies(size);
    await throughHttp(list); // warm-up: the same run once, so that the measured one runs compiled code
    await parseOnly(list);
    const measured = await throughHttp(list);
    const http = rates(measured);
    const floor = rates(await insertOnly(list));
    const bare = rates(await parseOnly(list));
    results.push({ size, perSecond: http.wall, perCpuSecond: http.cpu });
    const pair = (r: { wall: number; cpu: number }) => `${n(r.wall)} / ${n(r.cpu)}`;
    out(
      `bodies of ${String(size).padStart(3)}: through HTTP ${pair(http)} alerts/s; insert-only floor ${pair(floor)} rows/s (ratio ${(http.wall / floor.wall).toFixed(3)} / ${(http.cpu / floor.cpu).toFixed(3)}); ` +
        `HTTP parsing only ${pair(bare)} alerts/s (ratio ${(http.wall / bare.wall).toFixed(3)} / ${(http.cpu / bare.cpu).toFixed(3)}); ${measured.faults} faults, ${n(measured.stored)} alerts stored${http.wall >= TARGET_PER_S ? '' : '   BELOW TARGET'}`,
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
