// The change approval scenario of slack-changes.test.ts, on Discord with HTTP interactions: the bot
// process, the fake Discord server, and the change form taken in its Discord steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBotDriver, FakeDiscordServer, InteractionSigner, buttonActions, customIdsOf, snowflake, textOf, type DiscordUser, type StoredMessage } from '../fakes/discord/index.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { ClockFile } from '../helpers/clock-file.js';
import { freshTestDatabase } from '../helpers/db.js';
import { buttonId, fillForm, modalInputs, privateAnswer } from './discord-forms.js';
import { ADMIN, OPS, answeredWell, dmsTo, ephemeralText, modalOf, startDiscordBot, type DiscordWorld } from './discord-scenario.js';

const CHANGES = snowflake();
const ANN: DiscordUser = { id: snowflake(), username: 'ann' };
const BOB: DiscordUser = { id: snowflake(), username: 'bob' };
/** The admin requests the changes, so that ann and bob are the two other approvers. */
const REQUESTER = ADMIN;

/** Window times are typed in TZ_NAME (Europe/Berlin, UTC+1 in November); the clock file is UTC. */
const REQUEST = {
  title: 'Upgrade PostgreSQL on db-01',
  type: 'normal',
  risk: 'medium',
  content: 'pg_upgrade from 15 to 16 in link mode',
  reason: 'Version 15 support ends',
  expectedImpact: 'Billing is read-only for 15 minutes',
  testPlan: 'Rehearsed on staging; smoke tests after',
  rollbackPlan: 'Restore the snapshot taken right before',
  windowStart: '2026-11-23 15:00',
  windowEnd: '2026-11-23 16:00',
  configItems: 'db-01',
};
const DECISION_BUTTONS = ['change.approve', 'change.approveWithComment', 'change.reject', 'change.details'];

describe('change approvals through the bot process and the fake Discord server (HTTP interactions)', () => {
  const signer = new InteractionSigner();
  const clock = new ClockFile('2026-11-23T09:00:00.000Z');
  let fake: FakeDiscordServer;
  let bot: BotProcess;
  let world: DiscordWorld;

  const card = (id: string) => fake.messagesIn(CHANGES).find((m) => textOf(m).includes(`${id} ·`));
  const request = (user: DiscordUser, id: string) => dmsTo(fake, user).find((m) => textOf(m).includes(`Your decision is requested on ${id}.`));
  const fresh = (message: StoredMessage | undefined) => (message ? fake.message(message.id) : undefined);
  /** Waits until the current version of `message` says `text`, and returns that version. */
  const untilSays = (message: StoredMessage | undefined, text: string) => fake.waitFor(() => (textOf(fresh(message)).includes(text) ? fresh(message) : undefined));

  beforeAll(async () => {
    fake = await FakeDiscordServer.start({ channels: [CHANGES] });
    const started = await startDiscordBot(fake, await freshTestDatabase('opsdesk-discord-changes-'), {
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      TZ_NAME: 'Europe/Berlin',
      CHANGE_CHANNEL: `discord:${CHANGES}`,
      OPSDESK_CLOCK_FILE: clock.path,
    });
    bot = started.bot;
    world = { fake, bot, baseUrl: started.baseUrl, driver: new DiscordBotDriver(fake, { kind: 'http', url: `${started.baseUrl}/discord/interactions`, signer }) };
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('lets the admin name ann and bob approvers', async () => {
    for (const user of [ANN, BOB]) {
      const granted = answeredWell(await world.driver.command({ user: ADMIN, channelId: OPS, command: 'ops role add', options: { user, role: 'approver' } }));
      expect(granted.response).toMatchObject({ type: 4, data: { flags: 64, content: `${user.username} is now approver.` } });
    }
  });

  it('takes /change new through two modals and the choices, and refuses a normal change without a rollback plan next to the field', async () => {
    const opened = await world.driver.command({ user: REQUESTER, channelId: OPS, command: 'change new' });
    const { result, modals } = await fillForm(world, REQUESTER, opened, { ...REQUEST, rollbackPlan: '' });
    // Nine text fields: five in the first modal, four in the second; type and risk are select menus.
    expect(modals.map((m) => m.data.title)).toEqual(['Request a change (1/2)', 'Request a change (2/2)']);
    expect(modals.map((m) => modalInputs(m).map((i) => i.id))).toEqual([
      ['title', 'content', 'reason', 'expectedImpact', 'testPlan'],
      ['rollbackPlan', 'windowStart', 'windowEnd', 'configItems'],
    ]);
    const refused = await privateAnswer(world, REQUESTER, result, 'Not saved: Rollback plan: Normal changes need a rollback plan.');
    // The only button reopens the second modal: "Edit and send again".
    expect(customIdsOf(refused).map((id) => id.split('|')[3])).toEqual(['edit']);
    expect(fake.messagesIn(CHANGES)).toHaveLength(0);
  });

  it('keeps what was typed; with the rollback plan added, posts CHG-1 to the change channel and DMs ann and bob, not the requester', async () => {
    const privateAnswers = ephemeralText(fake, REQUESTER).length;
    const notSaved = must(fake.ephemeralsFor(REQUESTER.id).find((m) => m.content.includes('Not saved: Rollback plan')), 'the refusal');
    const editId = customIdsOf(notSaved).find((id) => id.endsWith('|edit'));
    expect(editId).toBeDefined();
    const edit = answeredWell(await world.driver.click({ user: REQUESTER, message: notSaved, customId: editId ?? '' }));
    const again = modalOf(fake, edit);
    expect(modalInputs(again)).toEqual([
      { id: 'rollbackPlan', required: false },
      { id: 'windowStart', required: true, value: REQUEST.windowStart },
      { id: 'windowEnd', required: true, value: REQUEST.windowEnd },
      { id: 'configItems', required: true, value: REQUEST.configItems },
    ]);
    const { result } = await fillForm(world, REQUESTER, edit, { rollbackPlan: REQUEST.rollbackPlan });
    await privateAnswer(world, REQUESTER, result, 'CHG-1 is submitted and sent to the approvers; it needs 2 approvals.');
    // The submission answered in place of the refusal, not in a new message.
    expect(ephemeralText(fake, REQUESTER)).toHaveLength(privateAnswers);

    const posted = await fake.waitFor(() => card('CHG-1'));
    expect(posted.embeds[0]?.title).toBe('⏳ CHG-1 · Medium risk · Upgrade PostgreSQL on db-01');
    expect(textOf(posted)).toContain('2026-11-23 15:00 – 16:00 (Europe/Berlin)');
    expect(textOf(posted)).toContain('Restore the snapshot taken right before');
    expect(buttonActions(posted)).toEqual(DECISION_BUTTONS);
    for (const approver of [ANN, BOB]) {
      const dm = await fake.waitFor(() => request(approver, 'CHG-1'));
      expect(buttonActions(dm)).toEqual(DECISION_BUTTONS);
      expect(textOf(dm)).toContain('0 of 2 approvals');
    }
    await fake.waitFor(() => dmsTo(fake, REQUESTER).find((m) => textOf(m).includes('Your change CHG-1 is submitted')));
    expect(request(REQUESTER, 'CHG-1')).toBeUndefined();
  });

  it('refuses the requester approving their own change, privately (flag 64), and changes nothing', async () => {
    const posted = card('CHG-1');
    const click = answeredWell(await world.driver.click({ user: REQUESTER, message: must(posted, 'card'), customId: buttonId(posted, 'change.approve') }));
    await privateAnswer(world, REQUESTER, click, 'You requested CHG-1, so you cannot approve or reject it yourself');
    expect(card('CHG-1')?.version).toBe(1);
  });

  it('asks for a reason before rejecting: the modal requires one, and a blank reason is refused', async () => {
    const dm = request(BOB, 'CHG-1');
    const click = answeredWell(await world.driver.click({ user: BOB, message: must(dm, 'DM'), customId: buttonId(dm, 'change.reject') }));
    const modal = modalOf(fake, click);
    expect(modal.data.title).toBe('Reject CHG-1');
    expect(modalInputs(modal)).toEqual([{ id: 'reason', required: true }]);
    // Discord itself does not send an empty required input; spaces get through and are refused.
    const blank = answeredWell(await world.driver.submitModal({ user: BOB, modal, values: { reason: '   ' } }));
    await privateAnswer(world, BOB, blank, 'Not saved: Reason for rejecting: This field is required.');
    expect([card('CHG-1')?.version, fresh(dm)?.version]).toEqual([1, 1]);
  });

  it('counts ann\'s approval in her DM and edits every copy in place: "1 of 2 approvals: approved by ann"', async () => {
    const annDm = request(ANN, 'CHG-1');
    const bobDm = request(BOB, 'CHG-1');
    answeredWell(await world.driver.click({ user: ANN, message: must(annDm, 'DM'), customId: buttonId(annDm, 'change.approve') }));

    const annCopy = await untilSays(annDm, 'You approved CHG-1 at 2026-11-23 10:00');
    expect(buttonActions(annCopy)).toEqual([]);
    const bobCopy = await untilSays(bobDm, `1 of 2 approvals: approved by <@${ANN.id}>`);
    expect(buttonActions(bobCopy)).toEqual(DECISION_BUTTONS);
    const channelCopy = await untilSays(card('CHG-1'), `1 of 2 approvals: approved by <@${ANN.id}>`);
    expect(buttonActions(channelCopy)).toEqual(DECISION_BUTTONS);
    expect(fake.messagesIn(CHANGES)).toHaveLength(1);
  });

  it('approves CHG-1 with bob\'s approval: every copy shows it without buttons, and the requester is told', async () => {
    const bobDm = request(BOB, 'CHG-1');
    answeredWell(await world.driver.click({ user: BOB, message: must(bobDm, 'DM'), customId: buttonId(bobDm, 'change.approve') }));

    const decided = await untilSays(card('CHG-1'), 'Approved (2)');
    expect(decided.embeds[0]?.title).toContain('📅 CHG-1');
    expect(buttonActions(decided)).toEqual([]);
    for (const approver of [ANN, BOB]) {
      const copies = dmsTo(fake, approver).filter((m) => textOf(m).includes('CHG-1'));
      expect([approver.username, copies.length]).toEqual([approver.username, 1]);
      const copy = await untilSays(copies[0], 'Approved (2)');
      expect([approver.username, buttonActions(copy)]).toEqual([approver.username, []]);
    }
    await fake.waitFor(() => dmsTo(fake, REQUESTER).find((m) => textOf(m).includes('Your change CHG-1 is approved and scheduled for 2026-11-23 15:00 – 16:00')));
    expect(fake.messagesIn(CHANGES)).toHaveLength(1);
  });

  it('reminds ann and bob of a waiting change once, when the clock passes the 4-hour interval', async () => {
    const opened = await world.driver.command({ user: REQUESTER, channelId: OPS, command: 'change new' });
    const { result } = await fillForm(world, REQUESTER, opened, {
      ...REQUEST,
      title: 'Rotate TLS certificates',
      windowStart: '2026-11-24 10:00',
      windowEnd: '2026-11-24 11:00',
      configItems: 'lb-01',
    });
    await privateAnswer(world, REQUESTER, result, 'CHG-2 is submitted and sent to the approvers');
    for (const approver of [ANN, BOB]) await fake.waitFor(() => request(approver, 'CHG-2'));
    const reminders = (user: DiscordUser) => dmsTo(fake, user).filter((m) => textOf(m).includes('⏰ Reminder: CHG-2'));

    clock.set('2026-11-23T12:59:00.000Z');
    await bot.waitForLog(/"job":"change-approval-reminders","fire":"2026-11-23T12:45:00.000Z".*"msg":"job run finished"/);
    expect([reminders(ANN), reminders(BOB)]).toEqual([[], []]);

    clock.set('2026-11-23T13:01:00.000Z');
    for (const approver of [ANN, BOB]) await fake.waitFor(() => (reminders(approver).length === 1 ? true : undefined), 8_000);
    expect(textOf(reminders(ANN)[0])).toContain('since 2026-11-23 10:00');
    expect(buttonActions(reminders(ANN)[0])).toContain('change.reject');

    clock.set('2026-11-23T13:40:00.000Z');
    await bot.waitForLog(/"job":"change-approval-reminders","fire":"2026-11-23T13:30:00.000Z".*"msg":"job run finished"/);
    await new Promise((r) => setTimeout(r, 300));
    expect([reminders(ANN).length, reminders(BOB).length, reminders(REQUESTER).length]).toEqual([1, 1, 0]);
  });

  it('rejects CHG-2 from the reminder with a reason, removes its buttons, and tells the requester why', async () => {
    const reminder = dmsTo(fake, ANN).find((m) => textOf(m).includes('⏰ Reminder: CHG-2'));
    const click = answeredWell(await world.driver.click({ user: ANN, message: must(reminder, 'reminder'), customId: buttonId(reminder, 'change.reject') }));
    answeredWell(await world.driver.submitModal({ user: ANN, modal: modalOf(fake, click), values: { reason: 'Clashes with the quarter-end billing run' } }));
    await fake.waitFor(() => dmsTo(fake, REQUESTER).find((m) => textOf(m).includes(`Your change CHG-2 is rejected by <@${ANN.id}>: Clashes with the quarter-end billing run`)));
    await fake.waitFor(() => (buttonActions(fresh(reminder)).length === 0 ? true : undefined));
    const rejected = await untilSays(card('CHG-2'), '⛔ CHG-2 · Medium risk · Rotate TLS certificates');
    expect(buttonActions(rejected)).toEqual([]);
  });

  it('never sent Discord anything it refuses', () => {
    expect(fake.refusals).toEqual([]);
  });
});

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what}`);
  return value;
}
