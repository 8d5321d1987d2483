// The fault scenario of test/e2e/slack.test.ts, on Discord: the same steps whether interactions
// arrive over the gateway or as signed HTTP requests (discord-gateway.test.ts, discord-http.test.ts).
import { expect, it } from 'vitest';
import {
  buttonActions,
  customIdsOf,
  textOf,
  validateCommands,
  type DiscordBotDriver,
  type DiscordUser,
  type FakeDiscordServer,
  type InteractionResult,
  type ModalRecord,
  type StoredMessage,
} from '../fakes/discord/index.js';
import { snowflake } from '../fakes/discord/index.js';
import { BotProcess } from '../helpers/bot-process.js';

export const FAULTS = snowflake();
export const OPS = snowflake();
export const ADMIN: DiscordUser = { id: snowflake(), username: 'admin' };
export const ANNA: DiscordUser = { id: snowflake(), username: 'anna' };
export const LI_WEI: DiscordUser = { id: snowflake(), username: 'li.wei' };
export const SAM: DiscordUser = { id: snowflake(), username: 'sam' };

export const REPORT = { title: 'Mail server unreachable', description: 'Nobody on floor 3 can send mail since 08:50', affectedSystem: 'mail-01' };

export interface DiscordWorld {
  fake: FakeDiscordServer;
  driver: DiscordBotDriver;
  bot: BotProcess;
  baseUrl: string;
}

/** Starts the bot against the fake, with the environment of one mode, and waits until it is up. */
export async function startDiscordBot(fake: FakeDiscordServer, databaseUrl: string, extra: Record<string, string> = {}): Promise<{ bot: BotProcess; baseUrl: string }> {
  const bot = new BotProcess({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    DISCORD_TOKEN: fake.botToken,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: fake.guildId,
    ADMIN_USERS: `discord:${ADMIN.id}`,
    FAULT_CHANNEL: `discord:${FAULTS}`,
    ...extra,
  });
  // Generous: the machine may be busy compiling other test processes.
  const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/, 45_000))[1];
  await bot.waitForLog(/opsdesk started/, 30_000);
  return { bot, baseUrl: `http://127.0.0.1:${port}` };
}

/** Fails with what Discord refused, so that a broken answer says why. */
export function answeredWell(result: InteractionResult): InteractionResult {
  expect(result.problems).toEqual([]);
  return result;
}

export function ephemeralText(fake: FakeDiscordServer, user: DiscordUser): string[] {
  return fake.ephemeralsFor(user.id).map(textOf);
}

export function dmsTo(fake: FakeDiscordServer, user: DiscordUser): StoredMessage[] {
  const channel = fake.dmChannelOf(user.id);
  return channel ? fake.messagesIn(channel) : [];
}

/** A modal opened by this interaction's initial response. */
export function modalOf(fake: FakeDiscordServer, result: InteractionResult): ModalRecord {
  expect(result.response?.type).toBe(9);
  const modal = fake.modals.find((m) => m.interactionId === result.record.id);
  if (!modal) throw new Error('no modal');
  return modal;
}

/** The message an interaction's initial response created (type 4) or updated (type 7). */
export function messageOf(fake: FakeDiscordServer, result: InteractionResult): StoredMessage {
  const id = result.record.originalMessageId;
  const message = id ? fake.message(id) : undefined;
  if (!message) throw new Error(`interaction answered with ${result.response?.type}, no message`);
  return message;
}

/** Reports a fault the Discord way: the modal for the text, then the select menus, then Report. */
export async function reportFault(
  world: Pick<DiscordWorld, 'fake' | 'driver'>,
  user: DiscordUser,
  text: typeof REPORT,
  choices: { category: string; impact?: string; urgency?: string },
): Promise<StoredMessage> {
  const { fake, driver } = world;
  const opened = answeredWell(await driver.command({ user, channelId: OPS, command: 'fault report' }));
  const submitted = answeredWell(await driver.submitModal({ user, modal: modalOf(fake, opened), values: text }));
  expect(submitted.response?.type).toBe(4);
  let step = messageOf(fake, submitted);
  const selectId = (field: string) => customIdsOf(step).find((id) => id.endsWith(`|${field}`)) ?? '';
  for (const [field, value] of Object.entries(choices)) {
    if (value === undefined) continue;
    const picked = answeredWell(await driver.select({ user, message: step, customId: selectId(field), values: [value] }));
    expect(picked.response?.type).toBe(7);
    step = messageOf(fake, picked);
  }
  const next = customIdsOf(step).find((id) => id.endsWith('|next')) ?? '';
  const reported = answeredWell(await driver.click({ user, message: step, customId: next }));
  expect(reported.response?.type).toBe(7);
  return messageOf(fake, reported);
}

/** The scenario's tests; `world()` gives the running bot and fake of the calling file. */
export function faultScenarioOnDiscord(world: () => DiscordWorld): void {
  const card = () => world().fake.messagesIn(FAULTS).find((m) => textOf(m).includes('INC-1 ·'));

  it('registered commands that satisfy Discord naming and size rules, with typed options and choices', () => {
    const { fake } = world();
    const commands = fake.registered.guilds.get(fake.guildId);
    expect(commands).toBeDefined();
    expect(validateCommands(commands)).toEqual([]);
    const fault = commands?.find((c) => c.name === 'fault');
    expect(JSON.stringify(fault)).toContain('"name":"report"');
    const ops = commands?.find((c) => c.name === 'ops');
    const role = (ops?.options as { name: string; type: number; options: { name: string; options: { name: string; type: number; choices?: unknown[] }[] }[] }[]).find((o) => o.name === 'role');
    expect(role?.type).toBe(2);
    const add = role?.options.find((o) => o.name === 'add');
    expect(add?.options.map((o) => [o.name, o.type])).toEqual([['user', 6], ['role', 3]]);
    expect(add?.options[1]?.choices).toEqual([
      { name: 'engineer', value: 'engineer' },
      { name: 'approver', value: 'approver' },
      { name: 'manager', value: 'manager' },
      { name: 'admin', value: 'admin' },
    ]);
  });

  it('lets the bootstrap admin grant the engineer role with a user option, privately', async () => {
    const { fake, driver } = world();
    const granted = answeredWell(await driver.command({ user: ADMIN, channelId: OPS, command: 'ops role add', options: { user: LI_WEI, role: 'engineer' } }));
    expect(granted.response).toMatchObject({ type: 4, data: { flags: 64, content: 'li.wei is now engineer.' } });
    expect(ephemeralText(fake, ADMIN).some((t) => t.includes('li.wei is now engineer'))).toBe(true);
  });

  it('takes the report through the modal and the select menus, creates INC-1, announces it and DMs the reporter', async () => {
    const { fake, driver } = world();
    const opened = answeredWell(await driver.command({ user: ANNA, channelId: OPS, command: 'fault report' }));
    const modal = modalOf(fake, opened);
    expect(modal.data.title).toBe('Report a fault');
    const submitted = answeredWell(await driver.submitModal({ user: ANNA, modal, values: REPORT }));
    const step = messageOf(fake, submitted);
    expect(step.visibleTo).toBe(ANNA.id);
    // Impact and urgency default to medium; the category must be chosen.
    const notYet = answeredWell(await driver.click({ user: ANNA, message: step, customId: customIdsOf(step).find((id) => id.endsWith('|next')) ?? '' }));
    expect(textOf(messageOf(fake, notYet))).toContain('Choose Category first.');
    expect(fake.messagesIn(FAULTS)).toHaveLength(0);

    const picked = answeredWell(await driver.select({ user: ANNA, message: step, customId: customIdsOf(step).find((id) => id.endsWith('|category')) ?? '', values: ['network'] }));
    const withImpact = answeredWell(
      await driver.select({ user: ANNA, message: messageOf(fake, picked), customId: customIdsOf(step).find((id) => id.endsWith('|impact')) ?? '', values: ['1'] }),
    );
    const report = answeredWell(await driver.click({ user: ANNA, message: messageOf(fake, withImpact), customId: customIdsOf(step).find((id) => id.endsWith('|next')) ?? '' }));
    expect(report.response?.type).toBe(7);
    expect(messageOf(fake, report).content).toContain('INC-1 (P2) is reported');
    expect(messageOf(fake, report).components).toEqual([]);

    const announced = await fake.waitFor(card);
    expect(textOf(announced)).toContain('🟠 INC-1 · P2 · Mail server unreachable');
    expect(textOf(announced)).toContain(`<@${ANNA.id}>`);
    expect(textOf(announced)).toContain('mail-01');
    expect(buttonActions(announced)).toEqual(['fault.ack', 'fault.resolve', 'fault.reassign']);
    await fake.waitFor(() => dmsTo(fake, ANNA).find((m) => textOf(m).includes('We received your fault report INC-1')));
  });

  it('refuses a requester clicking Acknowledge, privately, and changes nothing', async () => {
    const { fake, driver } = world();
    const announced = card();
    if (!announced) throw new Error('no card');
    const click = answeredWell(await driver.click({ user: ANNA, message: announced, customId: customIdsOf(announced)[0] ?? '' }));
    expect(click.response).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(textOf(messageOf(fake, click))).toContain('Only engineers can acknowledge faults');
    expect(card()?.version).toBe(1);
  });

  it('acknowledges once on a double click, updating the card in place and telling the second click who was first', async () => {
    const { fake, driver } = world();
    const announced = card();
    if (!announced) throw new Error('no card');
    const ack = customIdsOf(announced)[0] ?? '';
    const clicks = await Promise.all([driver.click({ user: LI_WEI, message: announced, customId: ack }), driver.click({ user: LI_WEI, message: announced, customId: ack })]);
    for (const click of clicks) answeredWell(click);
    expect(clicks.map((c) => c.response?.type).sort()).toEqual([4, 6]);
    await fake.waitFor(() => ephemeralText(fake, LI_WEI).find((t) => t.includes('INC-1 was already acknowledged by li.wei')));
    const updated = await fake.waitFor(() => (card()?.version === 2 ? card() : undefined));
    // An embed footer does not render mentions: the name, not `<@id>` (PLATFORM-FACTS.md).
    expect(textOf(updated)).toContain('Acknowledged by @li.wei at');
    expect(textOf(updated)).not.toContain('Acknowledged by <@');
    expect(buttonActions(updated)).toEqual(['fault.start', 'fault.resolve', 'fault.wait', 'fault.reassign']);
    await fake.waitFor(() => dmsTo(fake, ANNA).find((m) => textOf(m).includes(`<@${LI_WEI.id}> acknowledged INC-1`)));
    expect(fake.messagesIn(FAULTS)).toHaveLength(1);
  });

  it('reassigns with a user select, refusing a non-engineer next to the field, and DMs the new engineer the card', async () => {
    const { fake, driver } = world();
    answeredWell(await driver.command({ user: ADMIN, channelId: OPS, command: 'ops role add', options: { user: SAM, role: 'engineer' } }));
    const announced = card();
    if (!announced) throw new Error('no card');
    const opened = answeredWell(await driver.click({ user: LI_WEI, message: announced, customId: customIdsOf(announced).find((id) => id.includes('|fault.reassign|')) ?? '' }));
    // The reassign form has only a person to pick: a user select, no modal.
    expect(opened.response).toMatchObject({ type: 4, data: { flags: 64 } });
    const step = messageOf(fake, opened);
    const [pick, send] = customIdsOf(step);
    const wrong = answeredWell(await driver.select({ user: LI_WEI, message: step, customId: pick ?? '', values: [ANNA] }));
    const refused = answeredWell(await driver.click({ user: LI_WEI, message: messageOf(fake, wrong), customId: send ?? '' }));
    expect(messageOf(fake, refused).content).toContain('Not saved: Assignee: anna');
    expect(card()?.version).toBe(2);

    const right = answeredWell(await driver.select({ user: LI_WEI, message: step, customId: pick ?? '', values: [SAM] }));
    const sent = answeredWell(await driver.click({ user: LI_WEI, message: messageOf(fake, right), customId: send ?? '' }));
    expect(messageOf(fake, sent)).toMatchObject({ content: 'Sent.', components: [] });
    const updated = await fake.waitFor(() => (card()?.version === 3 ? card() : undefined));
    expect(JSON.stringify(updated.embeds)).toContain(`{"name":"Assignee","value":"<@${SAM.id}>","inline":true}`);
    const dm = await fake.waitFor(() => dmsTo(fake, SAM).find((m) => textOf(m).includes('@li.wei assigned INC-1 to you.')));
    expect(buttonActions(dm)).toEqual(['fault.start', 'fault.resolve', 'fault.wait', 'fault.reassign']);
  });

  it('needs a root cause to resolve, keeps what was typed, then updates the card and tells the reporter', async () => {
    const { fake, driver } = world();
    const announced = card();
    if (!announced) throw new Error('no card');
    const resolveId = customIdsOf(announced).find((id) => id.includes('|fault.resolve|')) ?? '';
    const opened = answeredWell(await driver.click({ user: LI_WEI, message: announced, customId: resolveId }));
    const modal = modalOf(fake, opened);
    expect(modal.data.title).toBe('Resolve INC-1');

    const empty = answeredWell(await driver.submitModal({ user: LI_WEI, modal, values: { rootCause: '   ', resolutionSteps: 'Renewed the certificate' } }));
    expect(empty.response).toMatchObject({ type: 4, data: { flags: 64 } });
    const notSaved = messageOf(fake, empty);
    expect(notSaved.content).toContain('Not saved: Root cause: This field is required.');
    expect(card()?.version).toBe(3);

    const edit = answeredWell(await driver.click({ user: LI_WEI, message: notSaved, customId: customIdsOf(notSaved)[0] ?? '' }));
    const again = modalOf(fake, edit);
    expect(JSON.stringify(again.data)).toContain('Renewed the certificate');
    const done = answeredWell(
      await driver.submitModal({ user: LI_WEI, modal: again, values: { rootCause: 'Expired TLS certificate', resolutionSteps: 'Renewed the certificate and reloaded postfix' } }),
    );
    expect(done.response?.type).toBe(7);
    expect(messageOf(fake, done).content).toBe('Sent.');

    const resolved = await fake.waitFor(() => (card()?.version === 4 ? card() : undefined));
    expect(textOf(resolved)).toContain('✅ INC-1 · P2 · Mail server unreachable');
    expect(textOf(resolved)).toContain('Expired TLS certificate');
    expect(buttonActions(resolved)).toEqual([]);
    const dm = await fake.waitFor(() => dmsTo(fake, ANNA).find((m) => textOf(m).includes(`INC-1 is resolved by <@${LI_WEI.id}>`)));
    expect(buttonActions(dm)).toEqual(['fault.close', 'fault.reopen']);
    expect(fake.messagesIn(FAULTS)).toHaveLength(1);
  });

  it('waits out a 429 with retry_after and then posts the announcement exactly once', async () => {
    const { fake, driver } = world();
    fake.failNext('POST /channels/:id/messages', { status: 429, retryAfter: 1 });
    await reportFault({ fake, driver }, ANNA, { ...REPORT, title: 'Printer on fire' }, { category: 'hardware', impact: '3', urgency: '3' });
    const posted = await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => textOf(m).includes('INC-2 ·')), 8_000);
    const limited = fake.callsTo('POST /channels/:id/messages').find((c) => c.status === 429);
    expect(limited?.response).toMatchObject({ retry_after: 1, global: false });
    // Messages to different channels go out side by side (src/outbox/lanes.ts): the 429 may hit the
    // announcement or another post in flight (the DM to the reporter). That one is posted once more
    // (same channel, same body and nonce), after retry_after, and only then.
    const retriesOf = () => fake.callsTo('POST /channels/:id/messages').filter((c) => c.status === 200 && c.path === limited?.path && JSON.stringify(c.body) === JSON.stringify(limited.body));
    const [retried] = await fake.waitFor(() => (retriesOf().length > 0 ? retriesOf() : undefined), 8_000);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(textOf(posted)).toContain('INC-2 · P4 · Printer on fire');
    await new Promise((r) => setTimeout(r, 500));
    expect(retriesOf()).toHaveLength(1);
    expect(fake.messagesIn(FAULTS).filter((m) => textOf(m).includes('INC-2 ·'))).toHaveLength(1);
  });

  it('never sent Discord anything it refuses', () => {
    expect(world().fake.refusals).toEqual([]);
  });
}
