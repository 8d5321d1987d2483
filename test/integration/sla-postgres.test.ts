import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.js';
import { ManualClock } from '../../src/clock.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { OutboxMessage, SlaNotice } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const T0 = new Date('2026-11-23T09:00:00.000Z');
const P1 = { title: 'Core switch down', description: 'Floor 2 offline', category: 'network' as const, impact: 1 as const, urgency: 1 as const };

describe('SLA reminders on PostgreSQL with three processes', () => {
  const processes: { store: Store; clock: ManualClock; services: Services }[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    for (let i = 0; i < 3; i++) {
      const store = new Store(await openDatabase(POSTGRES_URL, { schema: created.schema }), POSTGRES_URL);
      const clock = new ManualClock(T0);
      const services = createServices({ store, clock, timeZone: 'Europe/Berlin', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: { fault_channel: 'slack:CFAULTS' } });
      processes.push({ store, clock, services });
    }
  });
  afterAll(async () => {
    for (const p of processes) await p.store.close();
    await drop?.();
  });

  it('sends each reminder, breach notice and escalation exactly once', async () => {
    const first = processes[0];
    if (!first) throw new Error('no process');
    const as = (name: string) => first.services.people.resolve({ platform: 'shell', userId: name, displayName: name });
    const admin = await as('admin');
    for (const name of ['li.wei', 'sam']) await first.services.people.grant(admin, { platform: 'shell', userId: name }, 'engineer');
    await first.services.people.grant(admin, { platform: 'shell', userId: 'mia' }, 'manager');
    await first.services.oncall.setRotation(admin, 'primary', [{ platform: 'shell', userId: 'li.wei' }], { weekday: 1, minute: 540 }, 7);
    await first.services.oncall.setRotation(admin, 'secondary', [{ platform: 'shell', userId: 'sam' }], { weekday: 1, minute: 540 }, 7);
    const anna = await as('anna');
    for (let i = 0; i < 3; i++) await first.services.faults.report(anna, { ...P1, title: `Switch ${i}` });

    for (const minute of [8, 12, 14, 15, 16, 45]) {
      const now = new Date(T0.getTime() + minute * 60_000);
      for (const p of processes) p.clock.set(now);
      await Promise.all(processes.map((p) => p.services.slaSweep.run()));
    }

    const notices = await first.store.manager.find(SlaNotice, { order: { id: 'ASC' } });
    expect(notices).toHaveLength(3 * 6);
    expect(new Set(notices.map((n) => `${n.recordId}/${n.target}/${n.step}/${n.recipient}`)).size).toBe(18);
    const dms = await first.store.manager.find(OutboxMessage, { where: { targetKind: 'dm' } });
    const sla = dms.filter((m) => /"body":"(⏰|⚠️|🚨)/.test(m.payload));
    expect(sla.map((m) => m.targetId).sort()).toEqual([...Array<string>(12).fill('li.wei'), ...Array<string>(3).fill('mia'), ...Array<string>(3).fill('sam')]);
    expect(await verifyChain(first.store.manager)).toMatchObject({ ok: true });
  });
});
