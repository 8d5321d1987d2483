import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.js';
import type { ChatActor } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { InvalidInputError } from '../../src/errors.js';
import type { Actor } from '../../src/people/actor.js';
import { LINK_CODE_TTL_MS, normaliseLinkCode } from '../../src/people/link.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { AuditEntry, Fault, Identity, LinkCode, Person, RecordEvent, RoleGrant } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const REPORT = { title: 'Mail down', description: 'Since 9', category: 'network' as const, impact: 2 as const, urgency: 2 as const };
const slackLi: ChatActor = { platform: 'slack', userId: 'U0LIWEI', displayName: 'li.wei' };
const discordLi: ChatActor = { platform: 'discord', userId: '123456789012345678', displayName: 'Li Wei', locale: 'zh-CN' };

/** A Slack engineer and, created later, the same human on Discord with a role and records of their own. */
async function twoAccounts(services: Services, clock: ManualClock) {
  const admin = await services.people.resolve({ platform: 'shell', userId: 'admin', displayName: 'admin' });
  await services.people.grant(admin, { platform: 'slack', userId: slackLi.userId, displayName: 'li.wei' }, 'engineer');
  const slack = await services.people.resolve(slackLi);
  clock.advance(60_000);
  const discord = await services.people.resolve(discordLi);
  await services.people.grant(admin, { platform: 'discord', userId: discordLi.userId }, 'engineer');
  await services.people.grant(admin, { platform: 'discord', userId: discordLi.userId }, 'approver');
  const reported = await services.faults.report(discord, REPORT);
  const anna = await services.people.resolve({ platform: 'slack', userId: 'U0ANNA', displayName: 'anna' });
  const other = await services.faults.report(anna, { ...REPORT, title: 'Printer' });
  await services.faults.acknowledge({ ...discord, roles: ['engineer'] }, other.id);
  return { admin, slack, discord, reported, other };
}

async function issueAndRedeem(services: Services, from: Actor, to: Actor) {
  const { code } = await services.links.issue(from);
  return services.links.redeem(to, code);
}

describe('linking Slack and Discord accounts with /ops link', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await openTestWorld({ admins: ['shell:admin'] });
  });
  afterEach(async () => world.store.close());

  it('merges the newer person into the older one: accounts, roles, reports, assignments, timelines; audited', async () => {
    const { slack, discord, reported, other } = await twoAccounts(world.services, world.clock);
    const { code, expiresAt } = await world.services.links.issue(discord);
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(expiresAt.getTime() - world.clock.now().getTime()).toBe(LINK_CODE_TTL_MS);

    const result = await world.services.links.redeem(slack, code.toLowerCase().replace('-', ' '));
    expect(result).toMatchObject({ linked: true, platforms: ['slack', 'discord'], roles: ['approver', 'engineer'] });
    if (!result.linked) return;
    expect(result.person.id).toBe(slack.personId);

    const m = world.store.manager;
    expect((await m.find(Identity, { where: { personId: slack.personId } })).map((i) => `${i.platform}:${i.userId}`).sort()).toEqual([
      'discord:123456789012345678',
      'slack:U0LIWEI',
    ]);
    expect((await m.find(RoleGrant, { where: { personId: slack.personId } })).map((g) => g.role).sort()).toEqual(['approver', 'engineer']);
    expect(await m.findOne(Person, { where: { id: discord.personId } })).toBeNull();
    expect((await m.findOneByOrFail(Fault, { id: reported.id })).reporterId).toBe(slack.personId);
    expect((await m.findOneByOrFail(Fault, { id: other.id })).assigneeId).toBe(slack.personId);
    const events = await m.find(RecordEvent, { where: { recordKind: 'fault', recordId: other.id } });
    expect(events.find((e) => e.kind === 'acknowledge')?.actorId).toBe(slack.personId);
    // The Discord account locale fills in what the older person did not have.
    expect((await m.findOneByOrFail(Person, { id: slack.personId })).locale).toBe('zh-CN');

    const merge = await m.findOneOrFail(AuditEntry, { where: { action: 'person.merge' } });
    expect(JSON.parse(merge.before ?? '{}')).toMatchObject({ merged: { id: discord.personId, accounts: ['discord:123456789012345678'] } });
    expect(JSON.parse(merge.after ?? '{}')).toEqual({ id: slack.personId, accounts: ['slack:U0LIWEI', 'discord:123456789012345678'] });
    expect(await verifyChain(m)).toMatchObject({ ok: true });

    // From now on both accounts are the same person, with the same roles.
    const again = await world.services.people.resolve(discordLi);
    expect(again.personId).toBe(slack.personId);
    expect(again.roles.sort()).toEqual(['approver', 'engineer']);
  });

  it('takes a code once, only within 10 minutes, only from the other platform', async () => {
    const { slack, discord } = await twoAccounts(world.services, world.clock);
    const first = await world.services.links.issue(discord);
    const otherDiscord = await world.services.people.resolve({ platform: 'discord', userId: '223456789012345678', displayName: 'sam' });
    await expect(world.services.links.redeem(otherDiscord, first.code)).rejects.toMatchObject({ messageKey: 'people.link.samePlatform' });

    world.clock.advance(LINK_CODE_TTL_MS + 1);
    await expect(world.services.links.redeem(slack, first.code)).rejects.toMatchObject({ messageKey: 'people.link.invalid' });

    const second = await world.services.links.issue(discord);
    await world.services.links.redeem(slack, second.code);
    await expect(world.services.links.redeem(slack, second.code)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(world.services.links.redeem(slack, 'not-a-code')).rejects.toMatchObject({ messageKey: 'people.link.invalid' });
  });

  it('replaces an account’s unused code with its new one, and says so when the accounts are already one person', async () => {
    const { slack, discord } = await twoAccounts(world.services, world.clock);
    const old = await world.services.links.issue(discord);
    const fresh = await world.services.links.issue(discord);
    await expect(world.services.links.redeem(slack, old.code)).rejects.toMatchObject({ messageKey: 'people.link.invalid' });
    expect(await world.store.manager.count(LinkCode)).toBe(1);
    await world.services.links.redeem(slack, fresh.code);
    const merged = await world.services.people.resolve(discordLi);
    expect(await issueAndRedeem(world.services, merged, slack)).toEqual({ linked: false, reason: 'alreadyLinked' });
  });

  it('reads codes the way people type them', () => {
    expect(normaliseLinkCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normaliseLinkCode('ABCD EFGH')).toBe('ABCDEFGH');
    expect(normaliseLinkCode('ABCD-EFG0')).toBeUndefined();
    expect(normaliseLinkCode('ABC')).toBeUndefined();
  });
});

describe('linking on PostgreSQL', () => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    store = new Store(await openDatabase(POSTGRES_URL, { schema: created.schema }), POSTGRES_URL);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('merges the same way, including the duplicate role both accounts had', async () => {
    const clock = new ManualClock(new Date('2026-11-23T09:00:00Z'));
    const services = createServices({ store, clock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: {} });
    const { slack, discord, reported } = await twoAccounts(services, clock);
    const result = await issueAndRedeem(services, slack, discord);
    expect(result).toMatchObject({ linked: true, roles: ['approver', 'engineer'] });
    expect((await store.manager.findOneByOrFail(Fault, { id: reported.id })).reporterId).toBe(slack.personId);
    expect(await store.manager.count(RoleGrant, { where: { personId: slack.personId } })).toBe(2);
    expect(await verifyChain(store.manager)).toMatchObject({ ok: true });
  });
});
