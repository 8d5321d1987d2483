import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { Alert, AlertGroup, Fault, OutboxMessage, RecordEvent } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { amBody, dirtyBodies } from '../helpers/alerts.js';
import { postHook, startHooks } from '../helpers/hooks.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

describe('monitoring intake on PostgreSQL with two processes', () => {
  const processes: { store: Store; services: Services; url: string; close: () => Promise<void> }[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    for (let i = 0; i < 2; i++) {
      const store = new Store(await openDatabase(POSTGRES_URL, { schema: created.schema }), POSTGRES_URL);
      const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
      const services = createServices({ store, clock, timeZone: 'Europe/Berlin', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: { fault_channel: 'slack:CFAULTS' } });
      const hooks = await startHooks({ services, store, clock });
      processes.push({ store, services, url: hooks.url, close: hooks.close });
    }
  });
  afterAll(async () => {
    for (const p of processes) {
      await p.close();
      await p.store.close();
    }
    await drop?.();
  });

  it('gives one fault for duplicate deliveries in parallel, and one alert row per fingerprint', async () => {
    const [a, b] = processes;
    if (!a || !b) throw new Error('no processes');
    const body = amBody('{}:{alertname="PgDup"}', Array.from({ length: 30 }, (_, i) => ({ name: 'PgDup', fingerprint: `e0000000000000${String(i).padStart(2, '0')}` })));
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => postHook(`${(i % 2 ? a : b).url}/hooks/alertmanager`, body)));
    expect(results.map((r) => r.status)).toEqual(Array(16).fill(200));
    expect(results.filter((r) => r.json.created === true)).toHaveLength(1);
    expect(await a.store.manager.count(Fault)).toBe(1);
    expect(await a.store.manager.count(AlertGroup)).toBe(1);
    expect(await a.store.manager.count(Alert)).toBe(30);
    expect(await a.store.manager.count(RecordEvent, { where: { recordKind: 'fault', kind: 'alert_firing' } })).toBe(30);
    expect(await a.store.manager.count(OutboxMessage, { where: { targetKind: 'channel' } })).toBe(1);

    // New alerts of the same group, delivered in parallel: they join the one fault, once each.
    const more = amBody('{}:{alertname="PgDup"}', Array.from({ length: 40 }, (_, i) => ({ name: 'PgDup', fingerprint: `e0000000000000${String(i).padStart(2, '0')}` })));
    const again = await Promise.all(Array.from({ length: 8 }, (_, i) => postHook(`${(i % 2 ? a : b).url}/hooks/alertmanager`, more)));
    expect(again.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await a.store.manager.count(Fault)).toBe(1);
    expect(await a.store.manager.count(Alert)).toBe(40);
    expect(await a.store.manager.count(RecordEvent, { where: { recordKind: 'fault', kind: 'alert_firing' } })).toBe(40);
  });

  it('answers 2xx and stores the same clean text as SQLite for NUL characters and lone surrogates', async () => {
    const [a] = processes;
    if (!a) throw new Error('no processes');
    const bodies = dirtyBodies();
    expect((await postHook(`${a.url}/hooks/alertmanager`, bodies.alertmanager)).status).toBe(200);
    expect((await postHook(`${a.url}/hooks/generic`, bodies.generic)).status).toBe(200);
    const groups = await a.store.manager.find(AlertGroup, { where: [{ groupKey: '{}:{alertname="Nul"}' }, { groupKey: 'key' }] });
    expect(groups).toHaveLength(2);
    const alert = await a.store.manager.findOneByOrFail(Alert, { name: 'NulDown' });
    expect(JSON.parse(alert.labels)).toMatchObject({ instance: 'db\ufffd:9100', badname: 'v\ufffd' });
    expect(await a.store.manager.count(Fault, { where: { title: 'Disk full \ufffd', description: 'xy' } })).toBe(1);
  });

  it('answers 2xx for a startsAt of 9999-12-31 and starts the SLA clocks at arrival', async () => {
    const [a] = processes;
    if (!a) throw new Error('no processes');
    const res = await postHook(`${a.url}/hooks/alertmanager`, amBody('pg-future', [{ name: 'Future', fingerprint: 'f200000000000001', startsAt: '9999-12-31T23:59:59Z' }]));
    expect(res.status).toBe(200);
    const fault = await a.store.manager.findOneByOrFail(Fault, { title: 'Future' });
    expect(fault.createdAt.toISOString()).toBe('2026-11-23T09:00:00.000Z');
  });
});
