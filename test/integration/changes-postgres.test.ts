import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { verifyChain } from '../../src/audit/chain.js';
import { ManualClock } from '../../src/clock.js';
import type { ConflictError } from '../../src/errors.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { ChangeApproval } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

describe('change approvals on PostgreSQL, where transactions really run in parallel', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let store: Store;
  let services: Services;
  const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    dataSource = await openDatabase(POSTGRES_URL, { schema: created.schema });
    store = new Store(dataSource, POSTGRES_URL);
    const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
    services = createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: { change_channel: 'slack:CCHANGES' } });
    const admin = await actor('admin');
    for (const name of names) await services.people.grant(admin, { platform: 'shell', userId: name }, 'approver');
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  const actor = (name: string) => services.people.resolve({ platform: 'shell', userId: name, displayName: name });
  const input = {
    title: 'Rotate TLS certificates',
    content: 'Replace the wildcard certificate',
    reason: 'Expires next week',
    expectedImpact: 'None expected',
    risk: 'medium' as const,
    type: 'normal' as const,
    testPlan: 'Checked on staging',
    rollbackPlan: 'Put the old certificate back',
    window: { start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T22:00:00Z') },
    configItems: ['lb-01'],
  };

  it('counts each distinct approver once under parallel double clicks, and approves with exactly two when two are needed', async () => {
    const requester = await actor('req');
    const approvers = await Promise.all(names.map((n) => actor(n)));

    const first = await services.changes.request(requester, input);
    const decisions = await Promise.allSettled(approvers.flatMap((a) => [a, a]).map((a) => services.changes.approve(a, first.id)));
    expect(decisions.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(await store.manager.count(ChangeApproval, { where: { changeId: first.id } })).toBe(2);
    expect((await services.changes.get(first.id)).state).toBe('scheduled');
    for (const result of decisions) {
      if (result.status === 'rejected') expect(['changes.error.alreadyApproved', 'changes.error.youApproved']).toContain((result.reason as ConflictError).messageKey);
    }

    const admin = await actor('admin');
    await services.settings.set(admin, 'approvals_medium', '10');
    const second = await services.changes.request(requester, { ...input, title: 'Second' });
    const results = await Promise.allSettled(approvers.flatMap((a) => [a, a, a]).map((a) => services.changes.approve(a, second.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(names.length);
    expect(await store.manager.count(ChangeApproval, { where: { changeId: second.id } })).toBe(names.length);
    expect((await verifyChain(store.manager)).ok).toBe(true);
  });
});
