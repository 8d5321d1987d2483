// The Discord adapter's parts against the fake Discord's REST API, in process: the deliverer (posts,
// DMs, edits, 429 and permanent errors) and the interaction processor over the real runtime and
// services (deferral when work takes longer than Discord's 3 seconds, forms in steps).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { defineCommand, subcommand } from '../../src/chat/command-def.js';
import { privateText, type ButtonHandler } from '../../src/chat/interactions.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { resolveForm } from '../../src/faults/forms.js';
import { faultButtons, faultForms } from '../../src/faults/interactions.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { PermanentDeliveryError, RateLimitedError } from '../../src/platforms/port.js';
import { DiscordDeliverer } from '../../src/platforms/discord/deliverer.js';
import { FormDrafts } from '../../src/platforms/discord/form-drafts.js';
import { parseInteraction } from '../../src/platforms/discord/inbound.js';
import { DiscordInteractionProcessor } from '../../src/platforms/discord/processor.js';
import { createRest, restCallback, restFollowUps } from '../../src/platforms/discord/rest.js';
import { FakeDiscordServer, customIdsOf, snowflake, textOf, type DiscordUser, type InteractionRecord } from '../fakes/discord/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SLOW_MS = 600;

const slowCommand = defineCommand({
  name: 'slow',
  description: 'core.command.help',
  bare: 'answer',
  subcommands: [
    subcommand({
      name: 'answer',
      description: 'core.command.help',
      role: 'requester',
      options: {},
      run: async () => {
        await sleep(SLOW_MS);
        return privateText('Finally, the answer.');
      },
    }),
    subcommand({
      name: 'form',
      description: 'core.command.help',
      role: 'requester',
      options: {},
      run: async (ctx) => {
        await sleep(SLOW_MS);
        return { type: 'form', form: resolveForm(ctx.t, 1) };
      },
    }),
  ],
});

const slowButton: ButtonHandler = {
  actionId: 'test.slow',
  run: async () => {
    await sleep(SLOW_MS);
    return privateText('Clicked, slowly.');
  },
};

describe('the Discord adapter against the fake Discord', () => {
  let fake: FakeDiscordServer;
  let world: TestWorld;
  let processor: DiscordInteractionProcessor;
  const channel = snowflake();
  const anna: DiscordUser = { id: snowflake(), username: 'anna' };
  const sam: DiscordUser = { id: snowflake(), username: 'sam' };

  beforeAll(async () => {
    fake = await FakeDiscordServer.start({ channels: [channel] });
  });
  afterAll(async () => fake.stop());

  const rest = () => createRest({ token: fake.botToken, apiUrl: fake.apiUrl });

  beforeEach(async () => {
    world = await openTestWorld({ faultChannel: `discord:${channel}` });
    const logger = createLogger('silent');
    const runtime = new ChatRuntime({
      services: world.services,
      commands: [...COMMANDS, slowCommand],
      buttons: [...faultButtons, slowButton],
      forms: faultForms,
      defaultLocale: 'en',
      clock: world.clock,
      timeZone: 'UTC',
      logger,
      metrics: new Metrics(),
    });
    const client = rest();
    processor = new DiscordInteractionProcessor({
      handler: runtime,
      drafts: new FormDrafts(world.store, world.clock),
      followUps: restFollowUps(client),
      logger,
      defaultLocale: 'en',
      // The deadline guard fires before the runtime's budget is used up, as it would at 3 s.
      timings: { replyBudgetMs: 1_000, deadlineMs: 150 },
    });
  });
  afterEach(async () => world.store.close());

  /** Runs one interaction through the processor, answering over REST like the gateway mode. */
  async function run(record: InteractionRecord): Promise<void> {
    const parsed = parseInteraction(record.payload);
    if (!parsed.ok || parsed.inbound.kind === 'ping' || !parsed.inbound.ref) throw new Error('unreadable interaction');
    await processor.process(parsed.inbound, restCallback(rest(), parsed.inbound.ref));
  }

  const command = (user: DiscordUser, name: string, sub?: string) =>
    fake.mintInteraction({ type: 2, user, channelId: channel, data: { id: snowflake(), name, type: 1, ...(sub ? { options: [{ name: sub, type: 1 }] } : {}) } });

  it('defers a slow command privately within the deadline, then edits the deferred reply with the answer', async () => {
    const record = command(anna, 'slow', 'answer');
    await run(record);
    expect(record.problems).toEqual([]);
    expect(record.initial).toMatchObject({ type: 5, data: { flags: 64 } });
    expect((record.initial?.at ?? 0) - record.createdAt).toBeLessThan(1_000);
    expect(fake.message(record.originalMessageId ?? '')).toMatchObject({ content: 'Finally, the answer.', visibleTo: anna.id, thinking: false });
  });

  it('acknowledges a slow click quietly and sends the answer as a private follow-up', async () => {
    const card = (await fetch(`${fake.apiUrl}/v10/channels/${channel}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${fake.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'card', components: [{ type: 1, components: [{ type: 2, style: 2, custom_id: 'a|test.slow|1', label: 'Slow' }] }] }),
    }).then((r) => r.json())) as { id: string };
    const record = fake.mintInteraction({ type: 3, user: anna, channelId: channel, sourceMessageId: card.id, data: { custom_id: 'a|test.slow|1', component_type: 2 } });
    await run(record);
    expect(record.problems).toEqual([]);
    expect(record.initial?.type).toBe(6);
    expect(fake.message(card.id)?.version).toBe(1);
    expect(fake.ephemeralsFor(anna.id).map((m) => m.content)).toContain('Clicked, slowly.');
  });

  it('offers a button for a form that came too late to open as a modal; the button opens it', async () => {
    const record = command(sam, 'slow', 'form');
    await run(record);
    expect(record.problems).toEqual([]);
    const gate = fake.message(record.originalMessageId ?? '');
    expect(gate?.content).toBe('**Resolve INC-1**\nPress the button to fill in the next part.');
    const [open] = customIdsOf(gate);
    expect(open).toMatch(/^f\|[\w-]+\|0\|open$/);
    if (!gate || !open) return;
    const click = fake.mintInteraction({ type: 3, user: sam, channelId: channel, sourceMessageId: gate.id, data: { custom_id: open, component_type: 2 } });
    await run(click);
    expect(click.problems).toEqual([]);
    expect(click.initial).toMatchObject({ type: 9, data: { title: 'Resolve INC-1', custom_id: open.replace(/open$/, 'mstep') } });
  });

  it('tells someone else, or anyone after an hour, that the form has expired', async () => {
    const opened = command(sam, 'fault', 'report');
    await run(opened);
    const draft = String(opened.initial?.data?.custom_id).split('|')[1];
    const stranger = fake.mintInteraction({ type: 5, user: anna, channelId: channel, data: { custom_id: `f|${draft}|0|modal`, components: [] } });
    await run(stranger);
    expect(stranger.initial).toMatchObject({ type: 4, data: { content: 'This form has expired. Please run the command again.', flags: 64 } });
    world.clock.advance(61 * 60_000);
    const late = fake.mintInteraction({ type: 5, user: sam, channelId: channel, data: { custom_id: `f|${draft}|0|modal`, components: [] } });
    await run(late);
    expect(textOf(fake.message(late.originalMessageId ?? ''))).toContain('This form has expired');
  });

  describe('the deliverer', () => {
    it('posts to a channel, opens a DM channel once per person, and edits a card in place', async () => {
      const deliverer = new DiscordDeliverer(rest());
      const posted = await deliverer.post({ platform: 'discord', kind: 'channel', id: channel }, { fallback: 'INC-1', title: 'INC-1', body: 'Mail down' });
      expect(posted.channelId).toBe(channel);
      await deliverer.update(posted, { fallback: 'INC-1', title: '✅ INC-1', body: 'Mail down', buttons: [] });
      expect(fake.message(posted.messageId)).toMatchObject({ version: 2, components: [], embeds: [{ title: '✅ INC-1', description: 'Mail down' }] });

      const before = fake.callsTo('POST /users/@me/channels').length;
      const first = await deliverer.post({ platform: 'discord', kind: 'dm', id: anna.id }, { fallback: 'one', body: 'one' });
      const second = await deliverer.post({ platform: 'discord', kind: 'dm', id: anna.id }, { fallback: 'two', body: 'two' });
      expect(first.channelId).toBe(fake.dmChannelOf(anna.id));
      expect(second.channelId).toBe(first.channelId);
      expect(fake.callsTo('POST /users/@me/channels').length - before).toBe(1);
    });

    it('turns 429 into a wait of retry_after, unknown channels into permanent failures, and a refused token into a retry', async () => {
      const deliverer = new DiscordDeliverer(rest());
      const target = { platform: 'discord' as const, kind: 'channel' as const, id: channel };
      fake.failNext('POST /channels/:id/messages', { status: 429, retryAfter: 1.5 });
      const limited = await deliverer.post(target, { fallback: 'x', body: 'x' }).catch((error: unknown) => error);
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect((limited as RateLimitedError).retryAfterSeconds).toBe(2);

      const unknown = await deliverer.post({ ...target, id: snowflake() }, { fallback: 'x', body: 'x' }).catch((error: unknown) => error);
      expect(unknown).toBeInstanceOf(PermanentDeliveryError);
      expect(String(unknown)).toContain('10003');

      const refused = new DiscordDeliverer(createRest({ token: 'wrong.token.value', apiUrl: fake.apiUrl }));
      const auth = await refused.post(target, { fallback: 'x', body: 'x' }).catch((error: unknown) => error);
      expect(auth).toBeInstanceOf(Error);
      expect(auth).not.toBeInstanceOf(PermanentDeliveryError);
    });
  });
});
