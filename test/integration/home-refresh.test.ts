import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { ChatActor } from '../../src/chat/model.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { HomeView, OutboxMessage } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { tempSqliteUrl } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const REPORT = { title: 'Mail server unreachable', description: 'Nobody can send mail', category: 'network' as const, impact: 1 as const, urgency: 2 as const, affectedSystem: 'mail-01' };
const ANNA: ChatActor = { platform: 'slack', userId: 'U0ANNA', displayName: 'anna' };
const LI: ChatActor = { platform: 'slack', userId: 'U0LIWEI', displayName: 'li.wei' };

describe.each(['sqlite', 'postgres'] as const)('Home republication and event ids on %s', (kind) => {
  let store: Store;
  let services: Services;
  let drop: (() => Promise<void>) | undefined;
  const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));

  beforeAll(async () => {
    const url = kind === 'sqlite' ? tempSqliteUrl('opsdesk-home-') : POSTGRES_URL;
    const schema = kind === 'postgres' ? await createSchema() : undefined;
    drop = schema?.drop;
    store = new Store(await openDatabase(url, schema ? { schema: schema.schema } : {}), url);
    services = createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: ['slack:U0ADMIN'], channelDefaults: { fault_channel: 'slack:CFAULTS' } });
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  const homeRows = async (userId: string) =>
    (await store.manager.find(OutboxMessage, { where: { targetKind: 'home', targetId: userId }, order: { id: 'ASC' } })).map((r) => r.nextAttemptAt.toISOString());

  it('applies an opening once per event id, and remembers the account', async () => {
    expect(await services.home.opened(ANNA, 'Ev1')).toBe(true);
    expect(await services.home.opened(ANNA, 'Ev1')).toBe(false);
    expect(await store.manager.count(HomeView)).toBe(1);
    expect(await homeRows('U0ANNA')).toEqual(['2026-11-23T09:00:00.000Z']);
  });

  it('queues one republication per gap for changes that concern the person, none for people who never opened Home', async () => {
    const anna = await services.people.resolve(ANNA);
    const admin = await services.people.resolve({ platform: 'slack', userId: 'U0ADMIN', displayName: 'admin' });
    await services.people.grant(admin, { platform: 'slack', userId: LI.userId }, 'engineer');
    const li = await services.people.resolve(LI);
    const first = await services.faults.report(anna, REPORT);
    await services.faults.report(anna, { ...REPORT, title: 'VPN down' });
    await services.faults.acknowledge(li, first.id);
    // Three changes at one moment: one republication, 5 s after the opening's.
    expect(await homeRows('U0ANNA')).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-23T09:00:05.000Z']);
    clock.advance(60_000);
    await services.faults.report(anna, { ...REPORT, title: 'Printer jammed' });
    expect(await homeRows('U0ANNA')).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-23T09:00:05.000Z', '2026-11-23T09:01:00.000Z']);
    expect(await homeRows('U0LIWEI')).toEqual([]);
  });

  it('builds the Home tab when it is delivered, from the latest state', async () => {
    const sections = await services.home.homeTab('slack', 'U0ANNA');
    const text = JSON.stringify(sections);
    expect(text).toContain('Your open records (3)');
    expect(text).toContain('INC-1 · P2 · Mail server unreachable — Acknowledged');
    expect(await services.home.homeTab('slack', 'U0NOBODY')).toBeUndefined();
  });

  it('forgets event ids after a day', async () => {
    clock.advance(25 * 3_600_000);
    expect(await services.home.opened(ANNA, 'Ev1')).toBe(true);
  });
});
