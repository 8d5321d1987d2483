import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInteraction, type DiscordInbound } from '../../src/platforms/discord/inbound.js';
import { FakeDiscordServer, snowflake, type DiscordUser } from '../fakes/discord/index.js';

describe('Discord interactions -> chat-model events', () => {
  let fake: FakeDiscordServer;
  const channel = snowflake();
  const li: DiscordUser = { id: snowflake(), username: 'liwei', globalName: 'Li Wei', locale: 'zh-CN' };

  beforeAll(async () => {
    fake = await FakeDiscordServer.start({ channels: [channel] });
  });
  afterAll(async () => fake.stop());

  const parse = (payload: unknown): DiscordInbound => {
    const parsed = parseInteraction(payload);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.inbound;
  };

  it('reads a slash command of a server member into Slack-style text, with the person and their locale', () => {
    const record = fake.mintInteraction({
      type: 2,
      user: li,
      channelId: channel,
      data: { id: snowflake(), name: 'fault', type: 1, options: [{ name: 'show', type: 1, options: [{ name: 'id', type: 3, value: 'INC-4' }] }] },
    });
    const inbound = parse(record.payload);
    expect(inbound.kind).toBe('command');
    if (inbound.kind !== 'command') return;
    expect(inbound.event).toEqual({
      type: 'command',
      actor: { platform: 'discord', userId: li.id, displayName: 'Li Wei', locale: 'zh-CN' },
      command: 'fault',
      text: 'show id=INC-4',
      channelId: channel,
    });
    expect(inbound.ref).toMatchObject({ id: record.id, token: record.token, applicationId: fake.applicationId, type: 2 });
  });

  it('reads a click on a card button into the action and the record it is about', () => {
    const record = fake.mintInteraction({ type: 3, user: li, channelId: channel, data: { custom_id: 'a|fault.ack|INC-4', component_type: 2 } });
    const inbound = parse(record.payload);
    expect(inbound).toMatchObject({ kind: 'button', event: { type: 'button', actionId: 'fault.ack', value: 'INC-4', channelId: channel } });
  });

  it('reads form steps and modal submissions, in labels or in the older action rows', () => {
    const select = fake.mintInteraction({ type: 3, user: li, channelId: channel, data: { custom_id: 'f|AbCdEfGh12345678|1|impact', component_type: 3, values: ['1'] } });
    expect(parse(select.payload)).toMatchObject({ kind: 'formComponent', draft: 'AbCdEfGh12345678', step: 1, part: 'impact', values: ['1'] });
    const modal = fake.mintInteraction({
      type: 5,
      user: li,
      channelId: channel,
      data: {
        custom_id: 'f|AbCdEfGh12345678|0|mstep',
        components: [
          { type: 18, component: { type: 4, custom_id: 'title', value: 'Mail down' } },
          { type: 1, components: [{ type: 4, custom_id: 'description', value: 'since 9' }] },
        ],
      },
    });
    expect(parse(modal.payload)).toMatchObject({ kind: 'modalSubmit', step: 0, fromStep: true, values: { title: 'Mail down', description: 'since 9' } });
  });

  it('answers ids it does not know as stale, and refuses payloads it cannot read', () => {
    const old = fake.mintInteraction({ type: 3, user: li, channelId: channel, data: { custom_id: 'legacy-button', component_type: 2 } });
    expect(parse(old.payload).kind).toBe('stale');
    expect(parseInteraction({ type: 2, id: 'x' }).ok).toBe(false);
    const noUser = { ...old.payload };
    delete noUser.member;
    expect(parseInteraction(noUser)).toMatchObject({ ok: false, problem: 'user: neither member.user nor user' });
    expect(parse({ ...old.payload, type: 1 }).kind).toBe('ping');
  });
});
