import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/people/actor.js';
import { ManualClock } from '../../src/clock.js';
import { createServices } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { Store } from '../../src/store/store.js';
import { Fault, RecordCi, ServiceRequest } from '../../src/store/entities/index.js';
import { ciCatalogRows, HOST_COUNT } from '../helpers/ci-catalog.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';
import { testRuntime } from '../helpers/runtime.js';

async function openPostgresWorld(): Promise<TestWorld & { drop: () => Promise<void> }> {
  const { schema, drop } = await createSchema();
  const store = new Store(await openDatabase(POSTGRES_URL, { schema }), POSTGRES_URL);
  const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
  const services = createServices({ store, clock, timeZone: 'Europe/Berlin', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: { fault_channel: 'slack:CFAULTS' } });
  const actor = (name: string) => services.people.resolve({ platform: 'shell', userId: name, displayName: name });
  return { store, clock, services, actor, drop };
}

describe.each(['SQLite', 'PostgreSQL'])('affected system suggestions over 150 configuration items (%s, real migrations)', (database) => {
  let world: TestWorld;
  let drop: (() => Promise<void>) | undefined;
  const names = async (query: string, limit = 100) => (await world.services.cis.suggest(query, limit)).map((o) => o.label);

  beforeEach(async () => {
    if (database === 'PostgreSQL') ({ drop, ...world } = await openPostgresWorld());
    else world = await openTestWorld();
    const result = await world.services.cis.upsert(SYSTEM, ciCatalogRows(), { atomic: true });
    expect(result.lines.filter((l) => l.outcome !== 'created')).toEqual([]);
  });
  afterEach(async () => {
    await world.store.close();
    await drop?.();
    drop = undefined;
  });

  it('ranks exact name, exact alias, name prefix, alias prefix, then substrings, whatever the case', async () => {
    const expected = ['mail', 'mail-gateway', '邮件服务器 (mail-01)', 'webmail', 'outbound-relay (smtp-mail)'];
    expect(await names('mail')).toEqual(expected);
    expect(await names('  MAIL ')).toEqual(expected);
    // An exact alias comes before names that merely start with the text.
    expect(await names('pg-main')).toEqual(['数据库主库 (pg-main)']);
    expect(await names('finance')).toEqual(['财务系统 (finance)']);
    expect(await names('ERP')).toEqual(['财务系统 (erp)']);
  });

  it('finds Chinese names by any part of them, prefix first', async () => {
    // Prefix matches by name (主 U+4E3B before 从 U+4ECE), then the name that merely contains it.
    expect(await names('数据库')).toEqual(['数据库主库', '数据库从库', '核心数据库']);
    expect(await names('打印')).toEqual(['三楼打印机']);
    expect(await names('库')).toEqual(expect.arrayContaining(['数据库主库', '数据库从库', '核心数据库']));
    expect(await names('库')).toHaveLength(3);
  });

  it('takes % and _ literally', async () => {
    expect(await names('_b')).toEqual(['db_backup']);
    expect(await names('%')).toEqual([]);
  });

  it('stops at the limit, best first, and lists the first items by name for an empty query', async () => {
    const hosts = await world.services.cis.suggest('host', 100);
    expect(hosts).toHaveLength(100);
    expect(hosts[0]).toEqual({ value: 'host-001', label: 'host-001' });
    expect(await names('host', 25)).toEqual(Array.from({ length: 25 }, (_, i) => `host-${String(i + 1).padStart(3, '0')}`));
    expect(HOST_COUNT).toBeGreaterThan(100);
    expect(await names('', 3)).toEqual(['db_backup', 'dbxbackup', 'host-001']);
    expect(await names('no such thing')).toEqual([]);
  });

  it('offers the affected system as a search past 100 items; text matches by name or alias, other text stays free', async () => {
    expect(await world.services.cis.choices()).toBe('search');
    const bot = testRuntime(world);
    const opened = await bot.command('UREP', '/fault', 'report system=pg-main');
    if (opened.type !== 'form') throw new Error('expected the report form');
    const field = opened.form.fields.find((f) => f.id === 'affectedSystem');
    expect(field).toMatchObject({ kind: 'text', suggest: 'ci', initial: 'pg-main' });
    const values = { title: 'Replication stopped', description: 'Lag grows', category: 'software', impact: '2', urgency: '2' };
    await bot.submit('UREP', 'fault.report', '', { ...values, affectedSystem: '数据库主库' });
    await bot.submit('UREP', 'fault.report', '', { ...values, affectedSystem: 'PG-REPLICA' });
    await bot.submit('UREP', 'fault.report', '', { ...values, affectedSystem: 'the coffee machine' });
    const faults = await world.store.manager.find(Fault, { order: { id: 'ASC' } });
    expect(faults.map((f) => f.affectedSystem)).toEqual(['数据库主库', 'PG-REPLICA', 'the coffee machine']);
    const links = await world.store.manager.find(RecordCi, { where: { recordKind: 'fault' }, order: { recordId: 'ASC' } });
    const items = await Promise.all(links.map(async (l) => ({ fault: l.recordId, ci: (await world.services.cis.record(l.ciId)).item.name })));
    expect(items).toEqual([
      { fault: faults[0]?.id, ci: '数据库主库' },
      { fault: faults[1]?.id, ci: '数据库从库' },
    ]);
  });

  it('offers the same choice on the request form: a named item is linked, other text is kept in the details', async () => {
    const bot = testRuntime(world);
    const opened = await bot.command('UREQ', '/request', 'new system=erp');
    if (opened.type !== 'form') throw new Error('expected the request form');
    expect(opened.form.fields.find((f) => f.id === 'affectedSystem')).toMatchObject({ kind: 'text', suggest: 'ci', label: 'Affected system', initial: 'erp' });
    const values = { title: 'Read access to the finance reports', details: 'For the audit', requestType: 'access', urgency: '2', importance: '2', forWhom: '' };
    await bot.submit('UREQ', 'request.new', '', { ...values, affectedSystem: 'ERP' });
    await bot.submit('UREQ', 'request.new', '', { ...values, affectedSystem: 'the shared drive' });
    await bot.submit('UREQ', 'request.new', '', { ...values, details: '', affectedSystem: '' });
    const requests = await world.store.manager.find(ServiceRequest, { order: { id: 'ASC' } });
    expect(requests.map((r) => r.details)).toEqual(['For the audit', 'For the audit\n\nAffected system: the shared drive', null]);
    const links = await world.store.manager.find(RecordCi, { where: { recordKind: 'request' } });
    expect(links.map((l) => l.recordId)).toEqual([requests[0]?.id]);
    expect((await world.services.cis.record(links[0]?.ciId ?? 0)).item.name).toBe('财务系统');
  });
});
