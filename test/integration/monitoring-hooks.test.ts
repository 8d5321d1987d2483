import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { Alert, AlertGroup, Fault, OutboxMessage, RecordEvent } from '../../src/store/entities/index.js';
import { amBody, dirtyBodies, grafanaBody } from '../helpers/alerts.js';
import { openTestWorld, freshTestDatabase, type TestWorld } from '../helpers/db.js';
import { grafanaSignature, postHook, startHooks } from '../helpers/hooks.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: Parameters<typeof startHooks>[1] = {}, url?: string) {
  const w = await openTestWorld({ clock: new ManualClock(new Date('2026-11-23T09:00:00Z')), ...(url ? { url } : {}) });
  cleanups.push(() => w.store.close());
  const hooks = await startHooks(w, options);
  cleanups.push(hooks.close);
  return { w, hooks };
}

async function nothingStored(w: TestWorld): Promise<void> {
  for (const entity of [Fault, RecordEvent, Alert, AlertGroup, OutboxMessage]) expect(await w.store.manager.count(entity)).toBe(0);
}

const SECRET = 'grafana-hmac-secret';

describe('monitoring webhooks over HTTP', () => {
  it('refuses every bad input with the right status, stores nothing and keeps serving', async () => {
    const { w, hooks } = await setup({ maxBytes: 100_000 });
    const am = `${hooks.url}/hooks/alertmanager`;
    const good = amBody('g', [{ name: 'Down', fingerprint: 'a000000000000001' }]);
    expect((await postHook(am, good, { token: null })).status).toBe(401);
    expect((await postHook(am, good, { token: 'wrong-token-0123456789abcdef0' })).status).toBe(401);
    expect((await postHook(am, good, { headers: { authorization: 'Basic dXNlcjpwYXNz' }, token: null })).status).toBe(401);
    expect((await postHook(am, good, { contentType: 'text/plain' })).status).toBe(415);
    expect((await postHook(am, good, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    const malformed = await postHook(am, '{"version":"4",');
    expect(malformed).toMatchObject({ status: 400, json: { error: 'invalid_json' } });
    const wrongVersion = await postHook(am, { ...good, version: '3' });
    expect(wrongVersion).toMatchObject({ status: 400, json: { error: 'invalid_body' } });
    expect(String(wrongVersion.json.message)).toContain('version');
    expect((await postHook(am, { ...good, alerts: [{ status: 'burning', labels: {} }] })).status).toBe(400);
    expect((await postHook(am, { ...good, alerts: [{ ...(good.alerts as object[])[0], startsAt: 'yesterday' }] })).status).toBe(400);
    const feb30 = await postHook(am, { ...good, alerts: [{ ...(good.alerts as object[])[0], startsAt: '2026-02-30T00:00:00Z' }] });
    expect(feb30.status).toBe(400);
    expect(String(feb30.json.message)).toContain('2026-02-30T00:00:00Z');
    expect((await postHook(am, [1, 2, 3])).status).toBe(400);
    const legacy = await postHook(`${hooks.url}/hooks/grafana`, { ruleName: 'CPU', ruleId: 3, state: 'alerting', evalMatches: [{ metric: 'cpu', value: 97 }], ruleUrl: 'http://g/' });
    expect(legacy.status).toBe(400);
    expect(String(legacy.json.message)).toMatch(/legacy Grafana alerting/);
    expect((await postHook(`${hooks.url}/hooks/generic`, { key: 'k', status: 'firing' })).status).toBe(400);
    expect((await postHook(`${hooks.url}/hooks/generic`, { key: 'k', status: 'firing', summary: 'x', link: 'javascript:alert(1)' })).status).toBe(400);
    const huge = amBody('g', [{ name: 'Down', fingerprint: 'a000000000000001', summary: 'x'.repeat(150_000) }]);
    expect((await postHook(am, huge)).status).toBe(413);
    expect((await postHook(`${hooks.url}/hooks/nothing`, good)).status).toBe(404);
    await nothingStored(w);

    const ok = await postHook(am, good);
    expect(ok).toMatchObject({ status: 200, json: { status: 'stored', fault: 'INC-1', created: true } });
    const lower = await postHook(am, good, { headers: { authorization: `bearer test-webhook-token-0123456789abcdef` }, token: null });
    expect(lower).toMatchObject({ status: 200, json: { fault: 'INC-1', created: false, deduplicated: 1 } });
    const metrics = await hooks.metrics.registry.metrics();
    expect(metrics).toContain('opsdesk_alerts_received_total{source="alertmanager",status="firing"} 2');
    expect(metrics).toContain('opsdesk_alerts_deduplicated_total 1');
  });

  it('checks the token before the body size, without reading the body: an oversized body without the token gets 401', async () => {
    const { w, hooks } = await setup({ maxBytes: 100_000 });
    const huge = amBody('g', [{ name: 'Down', fingerprint: 'a000000000000001', summary: 'x'.repeat(150_000) }]);
    for (const path of ['/hooks/alertmanager', '/hooks/grafana']) {
      expect((await postHook(`${hooks.url}${path}`, huge, { token: null })).status).toBe(401);
      expect((await postHook(`${hooks.url}${path}`, huge, { token: 'wrong-token-0123456789abcdef0' })).status).toBe(401);
    }
    // A body that never ends: the refusal comes from the headers alone, before any of it is read.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${hooks.url}/hooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{"version":"4",');
      setTimeout(() => reject(new Error('no answer before the body ended')), 5_000).unref();
    });
    expect(status).toBe(401);
    expect((await postHook(`${hooks.url}/hooks/alertmanager`, huge)).status).toBe(413);
    await nothingStored(w);
  });

  it('counts received alerts by endpoint and each alert\'s own status, never the body\'s group status or a sender\'s own source name', async () => {
    const { hooks } = await setup();
    // A group that says "firing" holding one firing alert, one resolved alert and one "firing" alert
    // whose endsAt passed before arrival (09:00): 1 firing, 2 resolved.
    const mixed = amBody('{}:{alertname="Mix"}', [
      { name: 'Mix', fingerprint: 'f000000000000001' },
      { name: 'Mix', fingerprint: 'f000000000000002', status: 'resolved' },
      { name: 'Mix', fingerprint: 'f000000000000003' },
    ]);
    const alerts = mixed.alerts as Record<string, unknown>[];
    (alerts[2] as { endsAt: string }).endsAt = '2026-11-23T08:30:00Z';
    expect(mixed.status).toBe('firing');
    expect((await postHook(`${hooks.url}/hooks/alertmanager`, mixed)).status).toBe(200);
    const grafana = grafanaBody('{}/{}:{alertname="Cpu"}', [{ name: 'Cpu', fingerprint: 'f100000000000001', status: 'resolved' }], { status: 'firing' });
    expect((await postHook(`${hooks.url}/hooks/grafana`, grafana)).status).toBe(200);
    for (const source of ['backup', 'nagios-eu.1']) {
      expect((await postHook(`${hooks.url}/hooks/generic`, { source, key: `k-${source}`, status: 'firing', summary: 'x' })).status).toBe(200);
    }
    const scrape = await fetch(`${hooks.url}/metrics`);
    expect(scrape.status).toBe(200);
    const lines = (await scrape.text()).split('\n').filter((l) => l.startsWith('opsdesk_alerts_received_total{'));
    expect(lines.sort()).toEqual(
      [
        'opsdesk_alerts_received_total{source="alertmanager",status="firing"} 1',
        'opsdesk_alerts_received_total{source="alertmanager",status="resolved"} 2',
        'opsdesk_alerts_received_total{source="generic",status="firing"} 2',
        'opsdesk_alerts_received_total{source="grafana",status="resolved"} 1',
      ].sort(),
    );
  });

  it('has no hooks without WEBHOOK_TOKEN, and Grafana takes PUT as well as POST', async () => {
    const off = await setup({ token: null });
    const body = grafanaBody('k', [{ name: 'CPU', fingerprint: 'c000000000000001' }]);
    for (const path of ['/hooks/alertmanager', '/hooks/grafana', '/hooks/generic']) expect((await postHook(`${off.hooks.url}${path}`, body)).status).toBe(404);
    await nothingStored(off.w);
    const on = await setup();
    expect((await postHook(`${on.hooks.url}/hooks/grafana`, body, { method: 'PUT' })).status).toBe(200);
    // POST-only hooks answer another method with 405 and the methods they take (RFC 9110 15.5.6).
    const put = await fetch(`${on.hooks.url}/hooks/alertmanager`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'POST']);
    const get = await fetch(`${on.hooks.url}/hooks/generic`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    const grafanaGet = await fetch(`${on.hooks.url}/hooks/grafana`);
    expect([grafanaGet.status, grafanaGet.headers.get('allow')]).toEqual([405, 'POST, PUT']);
    expect((await fetch(`${on.hooks.url}/hooks/nothing`)).status).toBe(404);
  });

  it('stores sender text without mention-node delimiters, so an alert cannot mention anyone', async () => {
    const { w, hooks } = await setup();
    const summary = 'Disk full \uE000U0ADMIN\uE001 <!channel> [x](https://example.com)';
    const res = await postHook(`${hooks.url}/hooks/generic`, { source: 'nagios', key: 'disk', status: 'firing', summary });
    expect(res.status).toBe(200);
    const fault = await w.store.manager.findOneByOrFail(Fault, {});
    expect(fault.title).toBe('Disk full U0ADMIN <!channel> [x](https://example.com)');
    const alert = await w.store.manager.findOneByOrFail(Alert, {});
    expect(alert.summary).toBe(fault.title);
  });

  it('accepts the bodies of older and newer Alertmanagers (no fingerprint, no truncatedAlerts, notification_reason, routeLabels)', async () => {
    const { w, hooks } = await setup();
    const old = amBody('old', [{ name: 'Old' }]);
    delete old.truncatedAlerts;
    const newer = { ...amBody('new', [{ name: 'New', fingerprint: 'f000000000000001' }]), notification_reason: 'new_alerts', routeLabels: { team: 'db' }, somethingElse: { nested: true } };
    expect((await postHook(`${hooks.url}/hooks/alertmanager`, old)).status).toBe(200);
    expect((await postHook(`${hooks.url}/hooks/alertmanager`, newer)).status).toBe(200);
    expect((await postHook(`${hooks.url}/hooks/alertmanager`, old)).json.deduplicated).toBe(1);
    expect(await w.store.manager.count(Fault)).toBe(2);
    const derived = await w.store.manager.findOneOrFail(Alert, { where: { name: 'Old' } });
    expect(derived.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('takes Grafana bodies by POST and PUT: firing, mixed, resolved, values map, valueString only, values null', async () => {
    const { w, hooks } = await setup();
    const url = `${hooks.url}/hooks/grafana`;
    const key = '{}/{__grafana_autogenerated__="true"}/{__grafana_receiver__="opsdesk"}:{alertname="CPU"}';
    const firing = grafanaBody(key, [
      { name: 'CPU', fingerprint: '1000000000000001', severity: 'critical' },
      { name: 'CPU', fingerprint: '1000000000000002', values: null, valueString: "[ var='B' value=97 ]" },
      { name: 'CPU', fingerprint: '1000000000000003', values: null },
    ]);
    expect(await postHook(url, firing)).toMatchObject({ status: 200, json: { created: true, changed: 3 } });
    const mixed = grafanaBody(key, [
      { name: 'CPU', fingerprint: '1000000000000001', severity: 'critical' },
      { name: 'CPU', fingerprint: '1000000000000002', status: 'resolved', values: null, valueString: "[ var='B' value=97 ]" },
      { name: 'CPU', fingerprint: '1000000000000003', values: null },
    ]);
    expect(await postHook(url, mixed, { method: 'PUT' })).toMatchObject({ status: 200, json: { changed: 1, deduplicated: 2 } });
    const fault = await w.store.manager.findOneOrFail(Fault, { where: {} });
    expect(fault.state).toBe('reported');
    const resolved = grafanaBody(key, ['1000000000000001', '1000000000000002', '1000000000000003'].map((fingerprint) => ({ name: 'CPU', fingerprint, status: 'resolved' as const })));
    expect((await postHook(url, resolved)).status).toBe(200);
    expect((await w.store.manager.findOneOrFail(Fault, { where: { id: fault.id } })).state).toBe('resolved');
    const summaries = (await w.store.manager.find(Alert, { order: { fingerprint: 'ASC' } })).map((a) => a.summary);
    expect(summaries[1]).toContain("[ var='B' value=97 ]");
  });

  it('checks the Grafana HMAC signature, also with a timestamp header and its 5-minute window', async () => {
    const { w, hooks } = await setup({ grafanaSignature: { secret: SECRET, signatureHeader: 'X-Grafana-Alerting-Signature' } });
    const url = `${hooks.url}/hooks/grafana`;
    const body = JSON.stringify(grafanaBody('k1', [{ name: 'Mem', fingerprint: '2000000000000001' }]));
    expect((await postHook(url, body)).status).toBe(401);
    expect((await postHook(url, body, { headers: { 'X-Grafana-Alerting-Signature': grafanaSignature('other', body) } })).status).toBe(401);
    // A signature over another body does not carry over.
    expect((await postHook(url, body.replace('Mem', 'Meh'), { headers: { 'X-Grafana-Alerting-Signature': grafanaSignature(SECRET, body) } })).status).toBe(401);
    await nothingStored(w);
    expect((await postHook(url, body, { headers: { 'X-Grafana-Alerting-Signature': grafanaSignature(SECRET, body) } })).status).toBe(200);

    const timed = await setup({ grafanaSignature: { secret: SECRET, signatureHeader: 'X-Grafana-Alerting-Signature', timestampHeader: 'X-Grafana-Alerting-Timestamp' } });
    const turl = `${timed.hooks.url}/hooks/grafana`;
    const nowS = Math.floor(timed.w.clock.now().getTime() / 1000);
    const sign = (ts: number) => ({ 'X-Grafana-Alerting-Signature': grafanaSignature(SECRET, body, String(ts)), 'X-Grafana-Alerting-Timestamp': String(ts) });
    expect((await postHook(turl, body, { headers: { 'X-Grafana-Alerting-Signature': grafanaSignature(SECRET, body) } })).status).toBe(401);
    expect((await postHook(turl, body, { headers: sign(nowS - 301) })).status).toBe(401);
    await nothingStored(timed.w);
    expect((await postHook(turl, body, { headers: sign(nowS - 60) })).status).toBe(200);
  });

  it('answers 500 when the database fails, so that Alertmanager retries, and stores nothing', async () => {
    const { w, hooks } = await setup();
    await w.store.dataSource.query('DROP TABLE alerts');
    const res = await postHook(`${hooks.url}/hooks/alertmanager`, amBody('g', [{ name: 'Down', fingerprint: 'a000000000000001' }]));
    expect(res.status).toBe(500);
    expect(await w.store.manager.count(Fault)).toBe(0);
    expect(await w.store.manager.count(AlertGroup)).toBe(0);
    expect(await w.store.manager.count(OutboxMessage)).toBe(0);
  });

  it('gives one fault for the same notification delivered in parallel to two processes on one database', async () => {
    const url = await freshTestDatabase();
    const a = await setup({}, url);
    const b = await setup({}, url);
    const body = amBody('{}:{alertname="Dup"}', Array.from({ length: 20 }, (_, i) => ({ name: 'Dup', fingerprint: `d0000000000000${String(i).padStart(2, '0')}` })));
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => postHook(`${(i % 2 ? a : b).hooks.url}/hooks/alertmanager`, body)));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(results.filter((r) => r.json.created === true)).toHaveLength(1);
    expect(await a.w.store.manager.count(Fault)).toBe(1);
    expect(await a.w.store.manager.count(Alert)).toBe(20);
    expect(await a.w.store.manager.count(RecordEvent, { where: { recordKind: 'fault', kind: 'alert_firing' } })).toBe(20);
  });

  it('stores NUL-free, well-formed text for NUL characters and lone surrogates anywhere in an alert, and answers 2xx', async () => {
    const { w, hooks } = await setup();
    const bodies = dirtyBodies();
    expect((await postHook(`${hooks.url}/hooks/alertmanager`, bodies.alertmanager)).status).toBe(200);
    expect((await postHook(`${hooks.url}/hooks/generic`, bodies.generic)).status).toBe(200);
    const groups = (await w.store.manager.find(AlertGroup, { order: { id: 'ASC' } })).map((g) => g.groupKey);
    expect(groups).toEqual(['{}:{alertname="Nul"}', 'key']);
    const alerts = await w.store.manager.find(Alert, { order: { id: 'ASC' } });
    expect(alerts.map((a) => a.name)).toEqual(['NulDown', 'Disk full \ufffd']);
    expect(JSON.parse(alerts[0]?.labels ?? '{}')).toMatchObject({ instance: 'db\ufffd:9100', badname: 'v\ufffd' });
    const faults = await w.store.manager.find(Fault, { order: { id: 'ASC' } });
    expect(faults.map((f) => f.title)).toEqual(['NulDown', 'Disk full \ufffd']);
    expect(faults[1]?.description).toBe('xy');
    // Read back as stored bytes (SQLite's hex, PostgreSQL's encode): no invalid byte sequence was stored.
    const bytes = w.store.kind === 'postgres' ? "upper(encode(convert_to(labels, 'UTF8'), 'hex'))" : 'hex(labels)';
    const raw: unknown = await w.store.dataSource.query(`SELECT ${bytes} AS h FROM alerts ORDER BY id`);
    expect((raw as { h: string }[])[0]?.h).toContain(Buffer.from('db\ufffd:9100', 'utf8').toString('hex').toUpperCase());
  });

  // A 7 MB group of 8,500 alerts (bench/big-alert-body.ts): its handling once held the event loop for
  // all of its parsing and storing. The order of the answers shows it gives way, whatever the machine's load.
  it('answers /healthz while a 7 MB body of 8,500 alerts is being stored, and stores every alert', async () => {
    const { w, hooks } = await setup();
    const alerts = Array.from({ length: 8_500 }, (_, i) => ({ name: 'DiskFull', fingerprint: i.toString(16).padStart(16, '0'), instance: `host-${i}:9100`, summary: `Disk almost full on host-${i}. ${'x'.repeat(560)}` }));
    const body = JSON.stringify(amBody('{}:{alertname="DiskFull"}', alerts));
    expect(body.length).toBeGreaterThan(7_000_000);
    // Told when the intake has begun: the body has been read and parsed by then.
    let begun: () => void = () => undefined;
    const ingesting = new Promise<void>((resolve) => (begun = resolve));
    const intake = w.services.alerts;
    const ingest = intake.ingest.bind(intake);
    intake.ingest = (notification) => {
      begun();
      return ingest(notification);
    };
    const answered: string[] = [];
    const hook = postHook(`${hooks.url}/hooks/alertmanager`, body).then((r) => (answered.push('hook'), r));
    await ingesting;
    const health = fetch(`${hooks.url}/healthz`).then(async (r) => (answered.push('healthz'), r.status));
    expect(await health).toBe(200);
    expect(await hook).toMatchObject({ status: 200, json: { created: true, changed: 8_500 } });
    expect(answered).toEqual(['healthz', 'hook']);
    expect(await w.store.manager.count(Alert)).toBe(8_500);
  });
});
