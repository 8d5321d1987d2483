// Defects a hostile review found in the personal overview (issue 14), against the real services,
// runtime and migrations: revoked approvers, requests made for someone else, and the stored locale.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeRequest } from '../../src/changes/service.js';
import type { Actor } from '../../src/people/actor.js';
import { Person } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { replyText, testRuntime } from '../helpers/runtime.js';

const CHANGE: ChangeRequest = {
  title: 'Upgrade PostgreSQL on db-01',
  content: 'pg_upgrade from 15 to 16 with link mode',
  reason: 'Version 15 support ends',
  expectedImpact: 'Billing read-only for 15 minutes',
  risk: 'medium',
  type: 'normal',
  testPlan: 'Rehearsed on staging; smoke tests',
  rollbackPlan: 'Restore the snapshot taken before',
  window: { start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T23:00:00Z') },
  configItems: ['db-01'],
};

describe('the personal overview after the hostile review, on SQLite with the real migrations', () => {
  let world: TestWorld;
  let admin: Actor;

  beforeEach(async () => {
    world = await openTestWorld();
    admin = await world.actor('admin');
  });
  afterEach(async () => world.store.close());

  it('drops an approval from the overview once the approver role is revoked, and shows it again when granted', async () => {
    for (const name of ['ann', 'bob', 'rita']) await world.services.people.grant(admin, { platform: 'shell', userId: name }, 'approver');
    await world.services.settings.set(admin, 'change_channel', 'slack:CCHANGES');
    const change = await world.services.changes.request(await world.actor('rita'), CHANGE);
    expect((await world.services.home.overview(await world.actor('ann'))).overview.approvals.map((c) => c.id)).toEqual([change.id]);

    await world.services.people.revoke(admin, { platform: 'shell', userId: 'ann' }, 'approver');
    const after = (await world.services.home.overview(await world.actor('ann'))).overview;
    expect([after.approvals, after.approvalTotal]).toEqual([[], 0]);
    // Bob keeps his role and still sees it.
    expect((await world.services.home.overview(await world.actor('bob'))).overview.approvalTotal).toBe(1);

    await world.services.people.grant(admin, { platform: 'shell', userId: 'ann' }, 'manager');
    expect((await world.services.home.overview(await world.actor('ann'))).overview.approvalTotal).toBe(1);
  });

  it('tells the person a request is for that it was requested for them, not that they reported it', async () => {
    const anna = await world.actor('anna');
    await world.services.requests.submit(anna, { title: 'Laptop for the new designer', requestType: 'hardware', forWhom: 'bo', importance: 2, urgency: 1 });
    const bo = await world.services.home.message(await world.actor('bo'), 'en');
    const boText = JSON.stringify(bo);
    expect(boText).toContain('Laptop for the new designer — Submitted');
    expect(boText).toContain('(requested for you)');
    expect(boText).not.toContain('(you reported it)');
    expect(JSON.stringify(await world.services.home.message(anna, 'en'))).toContain('(you reported it)');
    expect(JSON.stringify(await world.services.home.message(await world.actor('bo'), 'zh-CN'))).toContain('他人为我申请');
  });

  it('answers `/ops me` in the stored locale when the event carries none (Slack slash commands), and keeps the latest platform locale', async () => {
    await world.services.people.resolve({ platform: 'slack', userId: 'U0MEI', displayName: 'u0mei', locale: 'en-US' });
    // Slack's interactive payloads carry the user's locale; the latest one is stored.
    await world.services.people.resolve({ platform: 'slack', userId: 'U0MEI', displayName: 'u0mei', locale: 'zh-CN' });
    const person = await world.store.manager.findOneOrFail(Person, { where: { displayName: 'u0mei' } });
    expect(person.locale).toBe('zh-CN');

    const reply = replyText(await testRuntime(world).command('U0MEI', 'ops', 'me'));
    expect(reply).toContain('我的概览');
    expect(reply).not.toContain('Your overview');
    // Someone without a stored locale gets the installation's default.
    expect(replyText(await testRuntime(world).command('U0NEW', 'ops', 'me'))).toContain('Your overview');
  });
});
