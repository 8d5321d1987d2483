// Issue #11 item 10: an alert whose configured label names a configuration item (by name or alias,
// any case; `instance` without its port) links its new fault to that item, and the fault's cards show
// the item's owner, criticality and runbook. Real database with real migrations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/chat/model.js';
import { withoutPort } from '../../src/monitoring/ci-link.js';
import { parseAlertmanager, parseGeneric, type Notification } from '../../src/monitoring/normalize.js';
import type { Actor } from '../../src/people/actor.js';
import { Alert, Fault, OutboxMessage, RecordCi, Setting } from '../../src/store/entities/index.js';
import { openTestWorld, tempSqliteUrl, type TestWorld } from '../helpers/db.js';
import { SETTINGS_TTL_MS } from '../../src/monitoring/settings.js';
import { replyText, testRuntime } from '../helpers/runtime.js';

const ci = (values: Record<string, string>) => ({ type: 'server', environment: 'production', criticality: '2', runbook: '', aliases: '', notes: '', owner: '', ...values });

/** An Alertmanager notification of one firing alert with exactly these labels (besides alertname). */
function alertWith(groupKey: string, fingerprint: string, labels: Record<string, string>): Notification {
  const parsed = parseAlertmanager({
    version: '4',
    groupKey,
    status: 'firing',
    receiver: 'opsdesk',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [{ status: 'firing', labels: { alertname: 'NodeDown', ...labels }, annotations: { summary: 'node down' }, startsAt: '2026-11-23T08:59:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint }],
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.notification;
}

describe('monitoring faults linked to configuration items (alert_ci_labels)', () => {
  let world: TestWorld;
  let admin: Actor;

  beforeEach(async () => {
    world = await openTestWorld({ admins: ['shell:admin', 'slack:UADMIN'] });
    admin = await world.actor('admin');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'eve' }, 'engineer');
    await world.actor('eve');
    await world.services.cis.add(admin, ci({ name: 'db1', criticality: '1', runbook: 'https://wiki.example/db1', owner: 'shell:eve' }));
    await world.services.cis.add(admin, ci({ name: 'shop', aliases: 'shop.corp', criticality: '3' }));
    await world.services.cis.add(admin, ci({ name: 'billing' }));
  });
  afterEach(async () => {
    await world.store.close();
  });

  const linksOf = async (faultId: number | null) => (await world.store.manager.find(RecordCi, { where: { recordKind: 'fault', recordId: faultId ?? -1 }, order: { ciId: 'ASC' } })).map((l) => l.ciId);
  const cards = async (faultId: number | null) =>
    (await world.store.manager.find(OutboxMessage, { where: { messageKey: `fault:${faultId ?? -1}:announcement` }, order: { id: 'ASC' } })).map((r) => JSON.parse(r.payload) as ChatMessage);
  const field = (message: ChatMessage | undefined, label: string) => message?.fields?.find((f) => f.label === label)?.value;
  const ciIdOf = async (name: string) => (await world.services.cis.find(name)).id;

  it('links by the instance label without its port (default labels) and shows owner, criticality and runbook on the card, the page and the coalesced edit', async () => {
    await world.services.people.grant(admin, { platform: 'shell', userId: 'li.wei' }, 'engineer');
    await world.services.oncall.setRotation(admin, 'primary', [{ platform: 'shell', userId: 'li.wei' }], { weekday: 1, minute: 0 }, 7);
    const { faultId } = await world.services.alerts.ingest(alertWith('g-db1', 'f000000000000001', { instance: 'DB1:9100', job: 'node' }));
    expect(await linksOf(faultId)).toEqual([await ciIdOf('db1')]);
    const fault = await world.store.manager.findOneByOrFail(Fault, { id: faultId ?? -1 });
    expect(fault.affectedSystem).toBe('DB1');
    expect((await world.store.manager.findOneByOrFail(Alert, { fingerprint: 'f000000000000001' })).configurationItem).toBe('DB1');
    const expected = 'CI-1 db1 · criticality 1 · owner eve · runbook https://wiki.example/db1';
    expect(field((await cards(faultId))[0], 'Configuration item')).toBe(expected);
    const dms = (await world.store.manager.find(OutboxMessage, { where: { targetKind: 'dm', targetId: 'li.wei' } })).map((r) => JSON.parse(r.payload) as ChatMessage);
    const page = dms.find((m) => m.fallback.startsWith('📟'));
    // The page goes to a shell account, where a person is written @name.
    expect(field(page, 'Configuration item')).toBe('CI-1 db1 · criticality 1 · owner @eve · runbook https://wiki.example/db1');
    // The coalesced edit drawn 10 s later keeps the item.
    world.clock.advance(1_000);
    await world.services.alerts.ingest(alertWith('g-db1', 'f000000000000002', { instance: 'db1:9100' }));
    world.clock.advance(9_000);
    expect(await world.services.alerts.cards.drawDue()).toBe(1);
    const edit = (await cards(faultId)).at(-1);
    expect(edit?.body).toContain('Alerts: 2 firing, 0 resolved');
    expect(field(edit, 'Configuration item')).toBe(expected);
  });

  it('takes the first configured label present: service by alias when there is no instance, job last', async () => {
    const byAlias = await world.services.alerts.ingest(alertWith('g-shop', 'f000000000000011', { service: 'Shop.Corp', job: 'billing' }));
    expect(await linksOf(byAlias.faultId)).toEqual([await ciIdOf('shop')]);
    const byJob = await world.services.alerts.ingest(alertWith('g-job', 'f000000000000012', { job: 'billing' }));
    expect(await linksOf(byJob.faultId)).toEqual([await ciIdOf('billing')]);
    // A generic sender's explicit configuration item wins over the labels.
    const generic = parseGeneric({ key: 'backup', status: 'firing', summary: 'Backup failed', configurationItem: 'shop', labels: { instance: 'db1:9100' } });
    if (!generic.ok) throw new Error(generic.reason);
    const explicit = await world.services.alerts.ingest(generic.notification);
    expect(await linksOf(explicit.faultId)).toEqual([await ciIdOf('shop')]);
  });

  it('creates the fault without a link when no item matches, and shows no item on its card', async () => {
    const { faultId, created } = await world.services.alerts.ingest(alertWith('g-none', 'f000000000000021', { instance: 'web7:9100', job: 'node' }));
    expect(created).toBe(true);
    expect(await linksOf(faultId)).toEqual([]);
    expect((await world.store.manager.findOneByOrFail(Fault, { id: faultId ?? -1 })).affectedSystem).toBe('web7');
    expect(field((await cards(faultId))[0], 'Configuration item')).toBeUndefined();
  });

  it('honours a changed alert_ci_labels, refuses a malformed one unchanged, and shows it in /ops config', async () => {
    const runtime = testRuntime(world);
    expect(replyText(await runtime.command('UADMIN', '/ops', 'config set alert_ci_labels  host , instance'))).toBe('alert_ci_labels is now host,instance.');
    const byHost = await world.services.alerts.ingest(alertWith('g-host', 'f000000000000031', { host: 'BILLING', instance: 'db1:9100' }));
    expect(await linksOf(byHost.faultId)).toEqual([await ciIdOf('billing')]);
    // `service` is no longer a CI label: only instance is left to match.
    const byService = await world.services.alerts.ingest(alertWith('g-svc', 'f000000000000032', { service: 'shop', instance: 'web7:9100' }));
    expect(await linksOf(byService.faultId)).toEqual([]);

    for (const bad of ['host,', 'bad label', 'a,b,c,d,e,f,g,h,i,j,k']) {
      expect(replyText(await runtime.command('UADMIN', '/ops', `config set alert_ci_labels ${bad}`))).toContain('is not a list of label names');
    }
    expect((await world.store.manager.findOneByOrFail(Setting, { key: 'alert_ci_labels' })).value).toBe('host,instance');
    expect(replyText(await runtime.command('UADMIN', '/ops', 'config get'))).toContain('alert_ci_labels: host,instance');
  });

  it('takes the rest of the line as the value of /ops config set (key=value, commas, spaces) and shows defaults in /ops config get', async () => {
    const runtime = testRuntime(world);
    expect(replyText(await runtime.command('UADMIN', '/ops', 'config get alert_severity_map'))).toContain('alert_severity_map: default: critical=P1, error=P2, high=P2, warning=P3, info=P4');
    expect(replyText(await runtime.command('UADMIN', '/ops', 'config get alert_reopen_minutes'))).toContain('alert_reopen_minutes: default: 60');
    expect(replyText(await runtime.command('UADMIN', '/ops', 'config set alert_severity_map critical=P1,warning=P4'))).toBe('alert_severity_map is now critical=P1, warning=P4.');
    expect(replyText(await runtime.command('UADMIN', '/ops', 'config set alert_severity_map critical=P2, disk full=P3'))).toContain('"critical=P2, disk full=P3" is not a severity map');
    expect(replyText(await runtime.command('UADMIN', '/ops', 'config set alert_severity_map  critical = P1 , info=P4 '))).toBe('alert_severity_map is now critical=P1, info=P4.');
    expect((await world.store.manager.findOneByOrFail(Setting, { key: 'alert_severity_map' })).value).toBe('critical=P1, info=P4');
    expect(replyText(await runtime.command('UADMIN', '/ops', 'config get alert_severity_map'))).toContain('alert_severity_map: critical=P1, info=P4');
    // Still refused with the setting's own message, and nothing changed.
    expect(replyText(await runtime.command('UADMIN', '/ops', 'config set alert_severity_map critical=P9'))).not.toContain('is missing');
    expect((await world.store.manager.findOneByOrFail(Setting, { key: 'alert_severity_map' })).value).toBe('critical=P1, info=P4');
  });

  it('sees alert_ci_labels changed by another process on the same database within SETTINGS_TTL_MS', async () => {
    const url = tempSqliteUrl();
    const a = await openTestWorld({ url });
    const b = await openTestWorld({ url });
    try {
      const adminA = await a.actor('admin');
      await a.services.cis.add(adminA, ci({ name: 'billing' }));
      await a.services.cis.add(adminA, ci({ name: 'db1' }));
      const first = await a.services.alerts.ingest(alertWith('x-1', 'f000000000000041', { host: 'billing', instance: 'db1:9100' }));
      const billing = (await a.services.cis.find('billing')).id;
      const db1 = (await a.services.cis.find('db1')).id;
      const linked = async (id: number | null) => (await a.store.manager.find(RecordCi, { where: { recordKind: 'fault', recordId: id ?? -1 } })).map((l) => l.ciId);
      expect(await linked(first.faultId)).toEqual([db1]);
      await b.services.settings.set(await b.actor('admin'), 'alert_ci_labels', 'host');
      await new Promise((resolve) => setTimeout(resolve, SETTINGS_TTL_MS + 100));
      const later = await a.services.alerts.ingest(alertWith('x-2', 'f000000000000042', { host: 'billing', instance: 'db1:9100' }));
      expect(await linked(later.faultId)).toEqual([billing]);
    } finally {
      await a.store.close();
      await b.store.close();
    }
  });

  it('drops only a real port from instance', () => {
    expect(withoutPort('db1:9100')).toBe('db1');
    expect(withoutPort('10.0.0.7:9100')).toBe('10.0.0.7');
    expect(withoutPort('[2001:db8::1]:9100')).toBe('2001:db8::1');
    expect(withoutPort('2001:db8::1')).toBe('2001:db8::1');
    expect(withoutPort('db1')).toBe('db1');
    expect(withoutPort('db1:http')).toBe('db1:http');
  });
});
