// Where the time of one large webhook body goes (a 7 MB Alertmanager group of 8,500 alerts): each step
// of POST /hooks/alertmanager timed on its own, then whole requests through the HTTP server, each with
// the longest stall of the event loop meanwhile (the longest any other request, /healthz included,
// had to wait to be served). `npx tsx bench/big-alert-body.ts [postgres-url]` (default: a SQLite file);
// for a profile, `node --import tsx --cpu-prof bench/big-alert-body.ts`. Results: bench/results.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { plainInput } from '../src/chat/markup.js';
import { systemClock } from '../src/clock.js';
import { Metrics } from '../src/http/metrics.js';
import { HttpServer } from '../src/http/server.js';
import { createLogger } from '../src/logger.js';
import { nestsDeeperThan } from '../src/monitoring/json-depth.js';
import { mayNeedCleaning, parseAlertmanager } from '../src/monitoring/normalize.js';
import { monitoringRoutes } from '../src/monitoring/routes.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/data-source.js';
import { Store } from '../src/store/store.js';

const TOKEN = 'bench-webhook-token-0123456789abcdef';
/** Alerts per body: about 7 MB. */
const COUNT = 8_500;

/** An Alertmanager body of `count` alerts of about 700 bytes each (10,000: about 7 MB). */
export function bigAlertmanagerBody(count: number, group = 'Big', status: 'firing' | 'resolved' = 'firing', extra = ''): string {
  const alerts = Array.from({ length: count }, (_, i) => ({
    status,
    labels: { alertname: group, instance: `host-${i}.example.net:9100`, job: 'node', severity: 'warning', pod: `pod-${i}`, namespace: 'production' },
    annotations: { summary: `Disk almost full on host-${i}${extra}`, description: `The root filesystem of host-${i} has less than 5% space left. `.repeat(6) },
    startsAt: '2026-11-23T08:59:00.000Z',
    endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-11-23T09:30:00.000Z',
    generatorURL: `http://prometheus.example.net/graph?g0.expr=node_filesystem_avail_bytes%7Binstance%3D%22host-${i}%22%7D`,
    fingerprint: i.toString(16).padStart(16, '0'),
  }));
  return `${JSON.stringify({ version: '4', groupKey: `{}:{alertname="${group}"}`, truncatedAlerts: 0, status: 'firing', receiver: 'opsdesk', groupLabels: { alertname: group }, commonLabels: { alertname: group }, commonAnnotations: {}, externalURL: 'http://am', alerts })}\n`;
}

function time<T>(label: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  console.log(`${label.padEnd(38)} ${(performance.now() - started).toFixed(0).padStart(6)} ms`);
  return result;
}

function post(port: number, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const json = bigAlertmanagerBody(COUNT);
  console.log(`body: ${(Buffer.byteLength(json) / 1e6).toFixed(1)} MB, ${COUNT} alerts`);
  const raw = Buffer.from(json);
  time('nestsDeeperThan', () => nestsDeeperThan(raw, 64));
  const text = time('toString', () => raw.toString('utf8'));
  const body = time<unknown>('JSON.parse + plainInput reviver', () => JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' ? plainInput(v) : v)));
  const clean = time('mayNeedCleaning', () => mayNeedCleaning(text));
  const parsed = time('parseAlertmanager (zod)', () => parseAlertmanager(body, { clean }));
  if (!parsed.ok) throw new Error(parsed.reason);

  const dir = mkdtempSync(join(tmpdir(), 'opsdesk-big-alert-'));
  const url = process.argv[2]?.startsWith('postgres') ? process.argv[2] : `sqlite:${join(dir, 'bench.db')}`;
  const store = new Store(await openDatabase(url), url);
  try {
    const services = createServices({ store, clock: systemClock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: [], channelDefaults: { fault_channel: 'slack:CBENCH' } });
    let started = performance.now();
    await services.alerts.ingest(parsed.notification);
    console.log(`${'intake.ingest (new group)'.padEnd(38)} ${(performance.now() - started).toFixed(0).padStart(6)} ms`);
    started = performance.now();
    await services.alerts.ingest(parsed.notification);
    console.log(`${'intake.ingest (repeat)'.padEnd(38)} ${(performance.now() - started).toFixed(0).padStart(6)} ms`);

    const logger = createLogger('silent');
    const http = new HttpServer(logger);
    for (const route of monitoringRoutes({ intake: services.alerts, token: TOKEN, maxBytes: 10 * 1024 * 1024, metrics: new Metrics(), logger, clock: systemClock })) http.add(route.method, route.path, route.handler, route.options);
    const port = await http.listen(0, '127.0.0.1');
    const cases: [string, string][] = [
      ['new group', bigAlertmanagerBody(COUNT, 'Other')],
      ['same group, all resolved', bigAlertmanagerBody(COUNT, 'Other', 'resolved')],
      ['new group, \\u0000 in summaries', bigAlertmanagerBody(COUNT, 'Third', 'firing', '\u0000')],
    ];
    for (const [label, big] of cases) {
      let gap = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const at = performance.now();
        gap = Math.max(gap, at - last);
        last = at;
      }, 5);
      started = performance.now();
      const status = await post(port, '/hooks/alertmanager', big);
      clearInterval(ticker);
      console.log(`${`POST ${label} (${status})`.padEnd(38)} ${(performance.now() - started).toFixed(0).padStart(6)} ms; longest event-loop stall ${gap.toFixed(0)} ms`);
    }
    await http.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
