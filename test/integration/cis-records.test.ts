import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeRequest } from '../../src/changes/service.js';
import type { ChatMessage } from '../../src/chat/model.js';
import { FieldErrors } from '../../src/errors.js';
import type { Actor } from '../../src/people/actor.js';
import { Change, OutboxMessage, RecordCi } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';
import { ManualClock } from '../../src/clock.js';
import { createServices } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { Store } from '../../src/store/store.js';
import { replyText, testRuntime } from '../helpers/runtime.js';
import { PLAIN_TEXT, renderText } from '../../src/chat/markup.js';
import { renderMessage as renderDiscord } from '../../src/platforms/discord/render.js';
import { renderMessage as renderSlack } from '../../src/platforms/slack/render.js';

function request(window: { start: Date; end: Date }, configItems: string[], title = 'Patch'): ChangeRequest {
  return { title, content: 'apply the patch', reason: 'security', expectedImpact: 'none', risk: 'low', type: 'standard', testPlan: 'staging', rollbackPlan: 'revert', window, configItems };
}

const ci = (values: Record<string, string>) => ({ type: 'server', environment: 'production', criticality: '2', runbook: '', aliases: '', notes: '', owner: '', ...values });

/** The same world as openTestWorld, on a fresh PostgreSQL schema with the real migrations. */
async function openPostgresWorld(): Promise<TestWorld & { drop: () => Promise<void> }> {
  const { schema, drop } = await createSchema();
  const store = new Store(await openDatabase(POSTGRES_URL, { schema }), POSTGRES_URL);
  const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
  const services = createServices({ store, clock, timeZone: 'Europe/Berlin', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: { fault_channel: 'slack:CFAULTS' } });
  const actor = (name: string) => services.people.resolve({ platform: 'shell', userId: name, displayName: name });
  return { store, clock, services, actor, drop };
}

describe.each(['SQLite', 'PostgreSQL'])('records linked to configuration items (%s, real migrations)', (database) => {
  let world: TestWorld;
  let drop: (() => Promise<void>) | undefined;
  let admin: Actor;
  let eve: Actor;

  beforeEach(async () => {
    if (database === 'PostgreSQL') ({ drop, ...world } = await openPostgresWorld());
    else world = await openTestWorld();
    admin = await world.actor('admin');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'eve' }, 'engineer');
    await world.services.people.grant(admin, { platform: 'slack', userId: 'UENG' }, 'engineer');
    eve = await world.actor('eve');
  });
  afterEach(async () => {
    await world.store.close();
    await drop?.();
  });

  const links = (kind: string) => world.store.manager.find(RecordCi, { where: { recordKind: kind }, order: { recordId: 'ASC', ciId: 'ASC' } });
  const card = async (faultId: number) => {
    const rows = await world.store.manager.find(OutboxMessage, { where: { messageKey: `fault:${faultId}:announcement` }, order: { id: 'ASC' } });
    return JSON.parse(rows.at(-1)?.payload ?? '{}') as ChatMessage;
  };
  const field = (message: ChatMessage, label: string) => message.fields?.find((f) => f.label === label)?.value;
  const report = (affectedSystem?: string) => world.services.faults.report(eve, { title: 'Checkout errors', description: '500s on checkout', category: 'software', impact: 2, urgency: 2, affectedSystem });

  it('accepts any configuration item names while no item exists, and links nothing', async () => {
    const change = await world.services.changes.request(eve, request({ start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T22:00:00Z') }, ['whatever-01']));
    expect(change.configItems).toBe('whatever-01');
    await report('whatever-01');
    expect(await links('change')).toEqual([]);
    expect(await links('fault')).toEqual([]);
  });

  it('links a fault by name or alias in any case, keeps unmatched text as free text, and refuses unknown change items with the closest names', async () => {
    await world.services.cis.add(admin, ci({ name: 'billing-db', aliases: 'pg-billing' }));
    await world.services.cis.add(admin, ci({ name: 'mail-01' }));
    const byAlias = await report('PG-Billing');
    const free = await report('the printer on floor 3');
    expect(free.affectedSystem).toBe('the printer on floor 3');
    expect((await links('fault')).map((l) => [l.recordId, l.ciId])).toEqual([[byAlias.id, 1]]);

    const window = { start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T22:00:00Z') };
    const refused = await world.services.changes.request(eve, request(window, ['MAIL-01', 'biling-db'])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FieldErrors);
    expect((refused as FieldErrors).errors.configItems).toEqual({ key: 'cis.refused.unknownDependency', params: { name: 'biling-db', closest: 'billing-db' } });
    expect(await world.store.manager.count(Change)).toBe(0);

    const change = await world.services.changes.request(eve, request(window, ['MAIL-01', 'pg-billing']));
    expect((await links('change')).map((l) => [l.recordId, l.ciId])).toEqual([
      [change.id, 1],
      [change.id, 2],
    ]);
  });

  it("flags a change on the fault's item's dependency completed 2 hours earlier, but not one from 4 days earlier", async () => {
    await world.services.cis.add(admin, ci({ name: 'shop', aliases: 'shop.corp', criticality: '1', runbook: 'https://wiki.example/shop', owner: 'shell:eve' }));
    await world.services.cis.add(admin, ci({ name: 'shop-api' }));
    await world.services.cis.add(admin, ci({ name: 'shop-db' }));
    await world.services.cis.add(admin, ci({ name: 'mail-01' }));
    await world.services.cis.link(admin, 'shop', 'shop-api');
    await world.services.cis.link(admin, 'shop-api', 'shop-db');

    const old = await world.services.changes.request(eve, request({ start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T23:00:00Z') }, ['shop-db'], 'Old index rebuild'));
    const recent = await world.services.changes.request(eve, request({ start: new Date('2026-11-29T19:00:00Z'), end: new Date('2026-11-29T20:00:00Z') }, ['shop-db'], 'Vacuum full'));
    const elsewhere = await world.services.changes.request(eve, request({ start: new Date('2026-11-29T19:00:00Z'), end: new Date('2026-11-29T20:00:00Z') }, ['mail-01'], 'Mail relay patch'));
    world.clock.set(new Date('2026-11-25T21:05:00Z'));
    await world.services.changes.start(eve, old.id);
    await world.services.changes.finish(eve, old.id, 'completed');
    world.clock.set(new Date('2026-11-29T19:05:00Z'));
    for (const c of [recent, elsewhere]) {
      await world.services.changes.start(eve, c.id);
      await world.services.changes.finish(eve, c.id, 'completed');
    }

    world.clock.set(new Date('2026-11-29T21:05:00Z'));
    const fault = await report('Shop.Corp');
    const shown = await card(fault.id);
    expect(field(shown, 'Configuration item')).toBe('CI-1 shop · criticality 1 · owner eve · runbook https://wiki.example/shop');
    expect(field(shown, 'Possible causes (changes of the last 72 hours)')).toBe(`⚠️ CHG-${recent.id} Vacuum full on shop-db (Completed)`);
  });

  it('/ops ci show lists the open faults linked through the form and the changes of the last 30 days', async () => {
    await world.services.cis.add(admin, ci({ name: 'shop' }));
    world.clock.set(new Date('2026-10-10T09:00:00Z'));
    const old = await world.services.changes.request(eve, request({ start: new Date('2026-10-12T21:00:00Z'), end: new Date('2026-10-12T22:00:00Z') }, ['shop'], 'Old patch'));
    world.clock.set(new Date('2026-10-12T21:05:00Z'));
    await world.services.changes.start(eve, old.id);
    await world.services.changes.finish(eve, old.id, 'completed');
    world.clock.set(new Date('2026-11-23T09:00:00Z'));
    const recent = await world.services.changes.request(eve, request({ start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T22:00:00Z') }, ['SHOP'], 'New patch'));
    const fault = await report('shop');
    const shown = replyText(await testRuntime(world).command('UENG', '/ops', 'ci show shop'));
    const [, open = '', changes = ''] = shown.split(/Open faults, requests and changes|Changes of the last 30 days/);
    expect(open).toContain(`INC-${fault.id}`);
    expect(open).toContain(`CHG-${recent.id}`);
    expect(changes).toContain(`CHG-${recent.id}`);
    expect(shown).not.toContain(`CHG-${old.id} `);
  });

  it('names the item a service request is on, with its owner and runbook link, on the card as Slack and Discord show it', async () => {
    await world.services.cis.add(admin, ci({ name: 'erp', aliases: 'sap', criticality: '1', runbook: 'https://wiki.example/erp', owner: 'slack:UENG' }));
    const onItem = await world.services.requests.submit(eve, { title: 'ERP access for Bo', details: 'read only', requestType: 'access', importance: 2, urgency: 2, affectedSystem: 'SAP' });
    const rows = await world.store.manager.find(OutboxMessage, { where: { messageKey: `request:${onItem.id}:announcement` }, order: { id: 'ASC' } });
    const shown = JSON.parse(rows.at(-1)?.payload ?? '{}') as ChatMessage;
    const value = field(shown, 'Configuration item') ?? '';
    expect(renderText(value, PLAIN_TEXT)).toBe('CI-1 erp · criticality 1 · owner @UENG · runbook https://wiki.example/erp');
    const slack = JSON.stringify(renderSlack(shown).blocks);
    expect(slack).toContain('*Configuration item*');
    expect(slack).toContain('CI-1 erp · criticality 1 · owner <@UENG> · runbook https://wiki.example/erp');
    const embed = renderDiscord(shown).embeds[0];
    expect(embed?.fields?.find((f) => f.name === 'Configuration item')?.value).toBe('CI-1 erp · criticality 1 · owner <@UENG> · runbook https://wiki.example/erp');
    // /request show has it too; a request naming no item has no such field.
    expect(replyText(await testRuntime(world).command('UENG', '/request', `show REQ-${onItem.id}`))).toContain('CI-1 erp · criticality 1');
    const free = await world.services.requests.submit(eve, { title: 'A chair', requestType: 'hardware', importance: 3, urgency: 3, affectedSystem: 'the chair' });
    const freeRows = await world.store.manager.find(OutboxMessage, { where: { messageKey: `request:${free.id}:announcement` } });
    expect(field(JSON.parse(freeRows.at(-1)?.payload ?? '{}') as ChatMessage, 'Configuration item')).toBeUndefined();
  });

  it('shows the item without possible causes when nothing changed recently', async () => {
    await world.services.cis.add(admin, ci({ name: 'shop' }));
    const fault = await report('shop');
    const shown = await card(fault.id);
    expect(field(shown, 'Configuration item')).toBe('CI-1 shop · criticality 2 · owner Unassigned · runbook —');
    expect(shown.fields?.some((f) => f.label.startsWith('Possible causes'))).toBe(false);
  });
});

describe('the fault form offers configuration items as a choice (SQLite, real migrations)', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await openTestWorld({ admins: ['slack:UADMIN'] });
  });
  afterEach(async () => world.store.close());

  const affectedField = async () => {
    const opened = await testRuntime(world).command('UANY', '/fault', 'report');
    if (opened.type !== 'form') throw new Error(`expected a form, got ${opened.type}`);
    return opened.form.fields.find((f) => f.id === 'affectedSystem');
  };
  const addItems = async (count: number) => {
    const admin = await world.services.people.resolve({ platform: 'slack', userId: 'UADMIN', displayName: 'admin' });
    const rows = Array.from({ length: count }, (_, i) => ({ name: `host-${String(i).padStart(3, '0')}`, type: 'server', environment: 'production', criticality: '3' }));
    const result = await world.services.cis.upsert(admin, rows, { atomic: true });
    expect(result.written).toBe(true);
  };

  it('is free text without items, a select of the items up to 100, and a searchable text field beyond', async () => {
    const none = await affectedField();
    expect([none?.kind, none?.suggest]).toEqual(['text', undefined]);
    await addItems(2);
    const select = await affectedField();
    expect([select?.kind, select?.options]).toEqual(['select', [{ value: 'host-000', label: 'host-000' }, { value: 'host-001', label: 'host-001' }]]);
    await addItems(100);
    expect((await affectedField())?.kind).toBe('select');
    await addItems(101);
    expect(await affectedField()).toMatchObject({ kind: 'text', suggest: 'ci', maxLength: 150 });
  });
});
