import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeRequest } from '../../src/changes/service.js';
import type { ChatActor } from '../../src/chat/model.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { RecordFallbacks } from '../../src/outbox/fallbacks.js';
import type { Actor } from '../../src/people/actor.js';
import { DiscordDeliverer } from '../../src/platforms/discord/deliverer.js';
import { createRest } from '../../src/platforms/discord/rest.js';
import type { Deliverer } from '../../src/platforms/port.js';
import { DirectChannels, SlackDeliverer } from '../../src/platforms/slack/deliverer.js';
import { webClientOptions } from '../../src/platforms/slack/web-client.js';
import { MessageRef, OutboxMessage, RecordEvent } from '../../src/store/entities/index.js';
import { FakeDiscordServer } from '../fakes/discord/index.js';
import { FakeSlackServer } from '../fakes/slack/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const logger = createLogger('silent');
const FAULTS = 'C0FAULTS';
const CHANGES = 'C0CHANGES';
const DISCORD_FAULTS = '1300000000000000001';

const REPORT = { title: 'Mail server down', description: 'Nobody can send mail', category: 'network', impact: 1, urgency: 1, affectedSystem: 'mail-01' } as const;

interface Harness {
  world: TestWorld;
  dispatcher: OutboxDispatcher;
  /** Delivers until nothing is left to deliver now. */
  drain(): Promise<void>;
  as(chat: ChatActor): Promise<Actor>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(faultChannel: string, deliverers: Deliverer[]): Promise<Harness> {
  const world = await openTestWorld({ faultChannel, admins: ['shell:admin'] });
  const dispatcher = new OutboxDispatcher({
    store: world.store,
    deliverers: new Map(deliverers.map((d) => [d.platform, d])),
    clock: world.clock,
    logger,
    metrics: new Metrics(),
    holder: 'test',
    fallbacks: new RecordFallbacks({ settings: world.services.settings, people: world.services.people, logger, timeZone: 'Europe/Berlin', defaultLocale: 'en' }),
  });
  cleanups.push(() => world.store.close());
  const drain = async () => {
    // A pass that falls back queues new rows; the terminal's rows (no deliverer here) stay pending.
    for (let i = 0; i < 10; i++) {
      await dispatcher.runOnce();
      const left = await world.store.manager.countBy(OutboxMessage, { status: 'pending', platform: deliverers[0]?.platform ?? '' });
      if (left === 0) return;
    }
  };
  return { world, dispatcher, drain, as: (chat) => world.services.people.resolve(chat) };
}

async function slackHarness(): Promise<Harness & { fake: FakeSlackServer }> {
  const fake = await FakeSlackServer.start();
  cleanups.push(() => fake.stop());
  const client = new WebClient(fake.botToken, webClientOptions(fake.apiUrl));
  return { fake, ...(await harness(`slack:${FAULTS}`, [new SlackDeliverer(client, new DirectChannels(client))])) };
}

async function discordHarness(): Promise<Harness & { fake: FakeDiscordServer }> {
  const fake = await FakeDiscordServer.start({ channels: [DISCORD_FAULTS] });
  cleanups.push(() => fake.stop());
  return { fake, ...(await harness(`discord:${DISCORD_FAULTS}`, [new DiscordDeliverer(createRest({ token: fake.botToken, apiUrl: fake.apiUrl }))])) };
}

const timeline = (h: Harness, faultId: number) => h.world.store.manager.find(RecordEvent, { where: { recordKind: 'fault', recordId: faultId }, order: { id: 'ASC' } });

describe('undeliverable direct messages and deleted cards on the fake Slack', () => {
  it('posts a DM to a deactivated reporter in the fault channel instead, naming them, and notes it on the timeline', async () => {
    const h = await slackHarness();
    const anna = await h.as({ platform: 'slack', userId: 'U0ANNA', displayName: 'anna' });
    await h.world.services.people.grant(await h.world.actor('admin'), { platform: 'slack', userId: 'U0LIWEI' }, 'engineer');
    const liWei = await h.as({ platform: 'slack', userId: 'U0LIWEI', displayName: 'li.wei' });
    const fault = await h.world.services.faults.report(anna, REPORT);
    await h.drain();
    expect(h.fake.messagesIn(FAULTS).filter((m) => m.text.includes('INC-1'))).toHaveLength(1);

    h.fake.makeUnreachable('U0ANNA', 'user_disabled');
    await h.world.services.faults.acknowledge(liWei, fault.id);
    await h.drain();

    const fallback = h.fake.messagesIn(FAULTS).find((m) => m.text.startsWith('📭'));
    expect(fallback?.text).toContain('<@U0ANNA> cannot be reached by direct message');
    expect(fallback?.text).toContain('about INC-1');
    expect(fallback?.text).toMatch(/> .*INC-1/); // the undelivered message itself, quoted
    const dead = await h.world.store.manager.findBy(OutboxMessage, { status: 'dead' });
    expect(dead.map((r) => [r.targetKind, r.targetId, r.recordKind, r.recordId, r.lastError])).toEqual([['dm', 'U0ANNA', 'fault', 1, 'unreachable: slack: user_disabled']]);
    const notes = (await timeline(h, fault.id)).filter((e) => e.kind === 'dm_undeliverable');
    expect(notes.map((e) => [e.actorId, e.note])).toEqual([[null, 'anna']]);
    const show = await h.world.services.faultQueries.detail(fault.id);
    expect(JSON.stringify(show)).toContain('dm_undeliverable');
  });

  it('tells the fault channel when a person cannot be told by DM that they are on call, quoting the notice', async () => {
    const h = await slackHarness();
    const admin = await h.world.actor('admin');
    await h.world.services.people.grant(admin, { platform: 'slack', userId: 'U0MGR' }, 'manager');
    const manager = await h.as({ platform: 'slack', userId: 'U0MGR', displayName: 'mgr' });
    await h.as({ platform: 'slack', userId: 'U0LIWEI', displayName: 'li.wei' });
    h.fake.makeUnreachable('U0LIWEI', 'user_disabled');
    const now = h.world.clock.now();
    await h.world.services.oncall.addOverride(manager, 'primary', { platform: 'slack', userId: 'U0LIWEI' }, now, new Date(now.getTime() + 8 * 3_600_000));
    await h.drain();
    const told = h.fake.messagesIn(FAULTS).filter((m) => m.text.startsWith('📭'));
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain('<@U0LIWEI> cannot be reached by direct message (DMs closed or account gone) and may not know they are on call.');
    expect(told[0]?.text).toMatch(/│ .*on call/); // the notice itself, quoted
    const dead = await h.world.store.manager.findBy(OutboxMessage, { status: 'dead' });
    expect(dead.map((r) => [r.targetId, r.recordKind, r.lastError])).toEqual([['U0LIWEI', 'oncall', 'unreachable: slack: user_disabled']]);
  });

  for (const code of ['cannot_dm_bot', 'user_not_found', 'account_inactive', 'channel_not_found']) {
    it(`falls back on ${code} when opening the DM`, async () => {
      const h = await slackHarness();
      const anna = await h.as({ platform: 'slack', userId: 'U0ANNA', displayName: 'anna' });
      h.fake.makeUnreachable('U0ANNA', code);
      await h.world.services.faults.report(anna, REPORT); // the reporter's "we received it" DM
      await h.drain();
      expect(h.fake.messagesIn(FAULTS).filter((m) => m.text.startsWith('📭 <@U0ANNA>'))).toHaveLength(1);
      expect((await h.world.store.manager.findBy(OutboxMessage, { status: 'pending' })).length).toBe(0);
    });
  }

  it('keeps an SLA reminder that cannot reach the engineer: it goes to the channel, and the breach still escalates', async () => {
    const h = await slackHarness();
    const anna = await h.as({ platform: 'slack', userId: 'U0ANNA', displayName: 'anna' });
    await h.world.services.people.grant(await h.world.actor('admin'), { platform: 'slack', userId: 'U0LIWEI' }, 'engineer');
    const liWei = await h.as({ platform: 'slack', userId: 'U0LIWEI', displayName: 'li.wei' });
    const fault = await h.world.services.faults.report(anna, REPORT);
    await h.world.services.faults.acknowledge(liWei, fault.id);
    await h.drain();
    h.fake.makeUnreachable('U0LIWEI', 'account_inactive');

    // P1: resolution 4 h, reminders at 2 h, 3 h and 3 h 36 min to the assignee.
    h.world.clock.advance(2 * 3600_000 + 1_000);
    await h.world.services.slaSweep.run();
    await h.drain();
    const fallback = h.fake.messagesIn(FAULTS).find((m) => m.text.startsWith('📭 <@U0LIWEI>'));
    expect(fallback?.text).toContain('⏰ INC-1 (P1): the resolution is due');
    expect((await timeline(h, fault.id)).filter((e) => e.kind === 'dm_undeliverable').map((e) => e.note)).toEqual(['li.wei']);

    h.world.clock.advance(2 * 3600_000);
    await h.world.services.slaSweep.run();
    await h.drain();
    // Nobody else is on call: the escalation goes to the channel, and says it was overdue.
    const escalation = h.fake.messagesIn(FAULTS).find((m) => m.text.startsWith('🚨'));
    expect(escalation?.text).toContain('INC-1 (P1) is overdue');
    const card = h.fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-1') && !m.text.startsWith('📭') && !m.text.startsWith('🚨') && !m.text.startsWith('⏰'));
    expect(JSON.stringify(card?.blocks)).toContain('resolution overdue');
  });

  it('posts a deleted card anew, replaces its reference and edits the new message from then on', async () => {
    const h = await slackHarness();
    const anna = await h.as({ platform: 'slack', userId: 'U0ANNA', displayName: 'anna' });
    await h.world.services.people.grant(await h.world.actor('admin'), { platform: 'slack', userId: 'U0LIWEI' }, 'engineer');
    const liWei = await h.as({ platform: 'slack', userId: 'U0LIWEI', displayName: 'li.wei' });
    const fault = await h.world.services.faults.report(anna, REPORT);
    await h.drain();
    const original = h.fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-1'));
    if (!original) throw new Error('no card');
    h.fake.deleteMessage(FAULTS, original.ts);

    await h.world.services.faults.acknowledge(liWei, fault.id);
    await h.drain();
    const cards = h.fake.messagesIn(FAULTS).filter((m) => m.text.includes('INC-1'));
    expect(cards).toHaveLength(1);
    const reposted = cards[0];
    expect(reposted?.ts).not.toBe(original.ts);
    expect(JSON.stringify(reposted?.blocks)).toContain('Acknowledged by <@U0LIWEI>');
    const ref = await h.world.store.manager.findOneBy(MessageRef, { messageKey: 'fault:1:announcement' });
    expect(ref?.messageId).toBe(reposted?.ts);
    expect((await timeline(h, fault.id)).map((e) => e.kind)).toContain('card_reposted');
    expect(h.fake.callsTo('chat.update').map((c) => c.response.error)).toEqual(['message_not_found']);

    await h.world.services.faults.start(liWei, fault.id);
    await h.drain();
    expect(h.fake.messagesIn(FAULTS).filter((m) => m.text.includes('INC-1'))).toHaveLength(1);
    expect(h.fake.message(FAULTS, reposted?.ts ?? '')?.version).toBe(2);
    expect(h.fake.callsTo('chat.update').at(-1)?.response.ok).toBe(true);
  });
});

describe('undeliverable direct messages and deleted cards on the fake Discord', () => {
  const ANNA = { platform: 'discord', userId: '1300000000000000100', displayName: 'anna' } as const;
  const LI_WEI = { platform: 'discord', userId: '1300000000000000200', displayName: 'li.wei' } as const;

  for (const code of [50007, 10013] as const) {
    it(`posts a DM refused with ${code} in the fault channel instead, naming the person, and notes it`, async () => {
      const h = await discordHarness();
      const anna = await h.as(ANNA);
      h.fake.closeDms(ANNA.userId, code);
      const fault = await h.world.services.faults.report(anna, REPORT);
      await h.drain();
      const fallback = h.fake.messagesIn(DISCORD_FAULTS).find((m) => JSON.stringify(m).includes('📭'));
      expect(JSON.stringify(fallback)).toContain(`<@${ANNA.userId}> cannot be reached by direct message`);
      const dead = await h.world.store.manager.findBy(OutboxMessage, { status: 'dead' });
      expect(dead.map((r) => r.lastError?.startsWith(`unreachable: discord: ${code === 50007 ? 403 : 404} ${code}`))).toEqual([true]);
      expect((await timeline(h, fault.id)).filter((e) => e.kind === 'dm_undeliverable').map((e) => e.note)).toEqual(['anna']);
    });
  }

  it('posts a deleted card anew (10008) and edits the new one afterwards', async () => {
    const h = await discordHarness();
    const anna = await h.as(ANNA);
    await h.world.services.people.grant(await h.world.actor('admin'), { platform: 'discord', userId: LI_WEI.userId }, 'engineer');
    const liWei = await h.as(LI_WEI);
    const fault = await h.world.services.faults.report(anna, REPORT);
    await h.drain();
    const [original] = h.fake.messagesIn(DISCORD_FAULTS);
    if (!original) throw new Error('no card');
    h.fake.deleteMessage(original.id);

    await h.world.services.faults.acknowledge(liWei, fault.id);
    await h.drain();
    const cards = h.fake.messagesIn(DISCORD_FAULTS);
    expect(cards).toHaveLength(1);
    expect(cards[0]?.id).not.toBe(original.id);
    expect((await h.world.store.manager.findOneBy(MessageRef, { messageKey: 'fault:1:announcement' }))?.messageId).toBe(cards[0]?.id);
    expect(h.fake.refusals.map((r) => [r.route, r.code])).toContainEqual(['PATCH /channels/:id/messages/:id', 10008]);
    expect((await timeline(h, fault.id)).map((e) => e.kind)).toContain('card_reposted');

    await h.world.services.faults.start(liWei, fault.id);
    await h.drain();
    expect(h.fake.messagesIn(DISCORD_FAULTS)).toHaveLength(1);
    expect(h.fake.message(cards[0]?.id ?? '')?.version).toBe(2);
  });
});

describe('approvers who cannot be reached', () => {
  const WINDOW = { start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T23:00:00Z') };
  const CHANGE: ChangeRequest = {
    title: 'Upgrade PostgreSQL on db-01',
    content: 'pg_upgrade from 15 to 16',
    reason: 'Version 15 support ends',
    expectedImpact: 'Billing read-only for 15 minutes',
    risk: 'medium',
    type: 'normal',
    testPlan: 'Rehearsed on staging',
    rollbackPlan: 'Restore the snapshot',
    window: WINDOW,
    configItems: ['db-01'],
  };

  it('tells the requester and the change channel once the reachable approvers cannot make up the approval rule', async () => {
    const h = await slackHarness();
    const admin = await h.world.actor('admin');
    await h.world.services.settings.set(admin, 'change_channel', `slack:${CHANGES}`);
    const rita = await h.as({ platform: 'slack', userId: 'U0RITA', displayName: 'rita' });
    for (const [id, name] of [['U0BO', 'bo'], ['U0CY', 'cy']]) {
      await h.as({ platform: 'slack', userId: id ?? '', displayName: name ?? '' });
      await h.world.services.people.grant(admin, { platform: 'slack', userId: id ?? '' }, 'approver');
    }
    // Eligible: admin (on the terminal, reachable), bo and cy. A medium-risk change needs 2 approvals.
    h.fake.makeUnreachable('U0BO', 'user_disabled');
    const change = await h.world.services.changes.request(rita, CHANGE);
    await h.drain();
    expect(h.fake.messagesIn(CHANGES).filter((m) => m.text.startsWith('📭 <@U0BO>'))).toHaveLength(1);
    expect(h.fake.messagesIn(CHANGES).filter((m) => m.text.startsWith('⚠️'))).toHaveLength(0); // admin and cy still make 2

    h.fake.makeUnreachable('U0CY', 'user_disabled');
    await h.world.services.changes.approve(admin, change.id);
    await h.drain();
    const warning = h.fake.messagesIn(CHANGES).find((m) => m.text.startsWith('⚠️'));
    expect(warning?.text).toContain('CHG-1 cannot get the approvals it needs any more: <@U0BO>, <@U0CY> cannot be reached by direct message');
    const ritaDm = h.fake.dmChannelOf('U0RITA');
    expect(h.fake.messagesIn(ritaDm ?? '').filter((m) => m.text.startsWith('⚠️ CHG-1 cannot get the approvals'))).toHaveLength(1);
    const events = await h.world.store.manager.findBy(RecordEvent, { recordKind: 'change', recordId: change.id });
    expect(events.filter((e) => e.kind === 'approvers_unreachable').map((e) => e.note)).toEqual(['bo, cy']);
    expect(events.filter((e) => e.kind === 'dm_undeliverable')).toHaveLength(2);

    // More undeliverable copies of the same change do not repeat the warning.
    await h.world.services.changes.approve(admin, change.id).catch(() => undefined);
    await h.drain();
    expect(h.fake.messagesIn(CHANGES).filter((m) => m.text.startsWith('⚠️'))).toHaveLength(1);
  });
});
