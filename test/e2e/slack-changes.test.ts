import { ClockFile } from '../helpers/clock-file.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser, type StoredMessage } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';

const SIGNING_SECRET = 'e2e-signing-secret-changes-0123';
const CHANGES = 'C0CHANGES';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const RITA: SlackUser = { id: 'U0RITA', name: 'rita' };
const ANN: SlackUser = { id: 'U0ANN', name: 'ann' };
const BOB: SlackUser = { id: 'U0BOB', name: 'bob' };
const MIA: SlackUser = { id: 'U0MIA', name: 'mia' };

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

function textOf(message: { text: string; blocks: unknown[] } | undefined): string {
  return message ? `${message.text}\n${JSON.stringify(message.blocks)}` : '';
}

function buttonIds(message: StoredMessage | undefined): string[] {
  const ids: string[] = [];
  for (const block of message?.blocks ?? []) {
    const typed = block as { type?: string; elements?: { action_id?: string }[] };
    if (typed.type !== 'actions') continue;
    for (const element of typed.elements ?? []) if (element.action_id) ids.push(element.action_id);
  }
  return ids;
}

describe('change approvals through the bot process and the fake Slack server', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;
  const clock = new ClockFile('2026-11-23T09:00:00.000Z');
  const setClock = (iso: string) => clock.set(iso);

  const dmChannel = (user: SlackUser) => fake.dmChannelOf(user.id) ?? '';
  const dmsTo = (user: SlackUser) => (fake.dmChannelOf(user.id) ? fake.messagesIn(dmChannel(user)) : []);
  const ephemeralsFor = (user: SlackUser) => fake.ephemerals.filter((e) => e.user === user.id).map((e) => textOf(e));
  const card = (id: string) => fake.messagesIn(CHANGES).find((m) => m.text.includes(`${id} `));
  const request = (user: SlackUser, id: string) => dmsTo(user).find((m) => textOf(m).includes(`Your decision is requested on ${id}.`));
  const fresh = (message: StoredMessage | undefined) => (message ? fake.message(message.channel, message.ts) : undefined);

  beforeAll(async () => {
    setClock('2026-11-23T09:00:00.000Z');
    fake = await FakeSlackServer.start();
    bot = new BotProcess({
      DATABASE_URL: await freshTestDatabase('opsdesk-slack-changes-'),
      PORT: '0',
      TZ_NAME: 'Europe/Berlin',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      CHANGE_CHANNEL: `slack:${CHANGES}`,
      OPSDESK_CLOCK_FILE: clock.path,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/))[1];
    await bot.waitForLog(/opsdesk started/);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('lets the admin name the approvers and a manager', async () => {
    for (const [user, role] of [[RITA, 'approver'], [ANN, 'approver'], [BOB, 'approver'], [MIA, 'manager']] as const) {
      const answer = await driver.slashCommand({ command: '/ops', text: `role add <@${user.id}|${user.name}> ${role}`, user: ADMIN });
      expect(answer.problems).toEqual([]);
      expect(JSON.stringify(answer.json)).toContain(`${user.name} is now`);
    }
  });

  it('refuses a normal change without a test plan and with a window it cannot read, next to the fields', async () => {
    const command = await driver.slashCommand({ command: '/change', user: RITA });
    expect(command.problems).toEqual([]);
    const form = fake.lastView();
    expect(form?.view.callback_id).toBe('change.request');
    const answer = await driver.submitView({ view: form, values: { ...REQUEST, testPlan: '', windowStart: 'tomorrow evening' }, user: RITA });
    expect(answer.problems).toEqual([]);
    expect(answer.json).toEqual({
      response_action: 'errors',
      errors: {
        testPlan: 'Normal changes need a test plan.',
        windowStart: 'This is not a time. Write one of: YYYY-MM-DD HH:mm, YYYY-MM-DDTHH:mm, HH:mm (today), now, +30m, +8h, +2d (Europe/Berlin time), e.g. 2026-11-25 22:00.',
      },
    });
    const planless = await driver.submitView({ view: form, values: { ...REQUEST, testPlan: '' }, user: RITA });
    expect(planless.json).toEqual({ response_action: 'errors', errors: { testPlan: 'Normal changes need a test plan.' } });
    expect(fake.messagesIn(CHANGES)).toHaveLength(0);
  });

  it('posts CHG-1 to the change channel and DMs each approver with Approve / Reject / Details, but not the requester', async () => {
    await driver.slashCommand({ command: '/change', user: RITA });
    const submitted = await driver.submitView({ values: REQUEST, user: RITA });
    expect(submitted.body).toBe('');
    await fake.waitFor(() => ephemeralsFor(RITA).find((t) => t.includes('CHG-1 is submitted and sent to the approvers; it needs 2 approvals')), 5_000);
    const posted = await fake.waitFor(() => card('CHG-1'), 5_000);
    expect(textOf(posted)).toContain('⏳ CHG-1 · Medium risk · Upgrade PostgreSQL on db-01');
    expect(textOf(posted)).toContain('2026-11-23 15:00 – 16:00 (Europe/Berlin)');
    expect(buttonIds(posted)).toEqual(['change.approve', 'change.approveWithComment', 'change.reject', 'change.details']);
    for (const approver of [ANN, BOB, MIA, ADMIN]) {
      const dm = await fake.waitFor(() => request(approver, 'CHG-1'), 5_000);
      expect(buttonIds(dm)).toEqual(['change.approve', 'change.approveWithComment', 'change.reject', 'change.details']);
      expect(textOf(dm)).toContain('Restore the snapshot taken right before');
    }
    await fake.waitFor(() => dmsTo(RITA).find((m) => m.text.includes('Your change CHG-1 is submitted')), 5_000);
    expect(request(RITA, 'CHG-1')).toBeUndefined();
  });

  it('refuses the requester approving their own change, privately, and changes nothing', async () => {
    const posted = card('CHG-1');
    if (!posted) throw new Error('no card');
    const click = await driver.clickButton({ channelId: CHANGES, ts: posted.ts, actionId: 'change.approve', user: RITA });
    expect(click.problems).toEqual([]);
    await fake.waitFor(() => ephemeralsFor(RITA).find((t) => t.includes('You requested CHG-1, so you cannot approve or reject it yourself')), 5_000);
    expect(card('CHG-1')?.version).toBe(1);
  });

  it('asks for a reason before rejecting: an empty reason gets a field error', async () => {
    const dm = request(BOB, 'CHG-1');
    if (!dm) throw new Error('no DM');
    const click = await driver.clickButton({ channelId: dm.channel, ts: dm.ts, actionId: 'change.reject', user: BOB });
    expect(click.problems).toEqual([]);
    const form = await fake.waitFor(() => fake.views.find((v) => v.view.callback_id === 'change.reject'), 5_000);
    const empty = await driver.submitView({ view: form, values: { reason: '   ' }, user: BOB });
    expect(empty.problems).toEqual([]);
    expect(empty.json).toEqual({ response_action: 'errors', errors: { reason: 'This field is required.' } });
    expect(card('CHG-1')?.version).toBe(1);
  });

  it('counts a double click once and updates every copy in place: "1 of 2 approvals: approved by ann"', async () => {
    const annDm = request(ANN, 'CHG-1');
    const bobDm = request(BOB, 'CHG-1');
    if (!annDm || !bobDm) throw new Error('no DMs');
    const clicks = await Promise.all([
      driver.clickButton({ channelId: annDm.channel, ts: annDm.ts, actionId: 'change.approve', user: ANN }),
      driver.clickButton({ channelId: annDm.channel, ts: annDm.ts, actionId: 'change.approve', user: ANN }),
    ]);
    expect(clicks.flatMap((c) => c.problems)).toEqual([]);
    await fake.waitFor(() => ephemeralsFor(ANN).find((t) => t.includes('You already approved CHG-1 at 2026-11-23 10:00')), 5_000);

    const bobCopy = await fake.waitFor(() => (textOf(fresh(bobDm)).includes('1 of 2 approvals: approved by <@U0ANN>') ? fresh(bobDm) : undefined), 5_000);
    expect(buttonIds(bobCopy)).toContain('change.approve');
    const annCopy = await fake.waitFor(() => (textOf(fresh(annDm)).includes('You approved CHG-1') ? fresh(annDm) : undefined), 5_000);
    expect(buttonIds(annCopy)).toEqual([]);
    await fake.waitFor(() => (textOf(card('CHG-1')).includes('1 of 2 approvals: approved by <@U0ANN>') ? card('CHG-1') : undefined), 5_000);
    expect(fake.messagesIn(CHANGES)).toHaveLength(1);
  });

  it('approves with the second distinct approver when two click at once; the other hears who approved; the requester is told', async () => {
    const bobDm = request(BOB, 'CHG-1');
    const miaDm = request(MIA, 'CHG-1');
    if (!bobDm || !miaDm) throw new Error('no DMs');
    await Promise.all([
      driver.clickButton({ channelId: bobDm.channel, ts: bobDm.ts, actionId: 'change.approve', user: BOB }),
      driver.clickButton({ channelId: miaDm.channel, ts: miaDm.ts, actionId: 'change.approve', user: MIA }),
    ]);
    const late = await fake.waitFor(() => [...ephemeralsFor(BOB), ...ephemeralsFor(MIA)].find((t) => t.includes('CHG-1 was already approved by ann, ')), 5_000);
    expect(late).toMatch(/CHG-1 was already approved by ann, (bob|mia) at 2026-11-23 10:00\./);

    const decided = await fake.waitFor(() => (textOf(card('CHG-1')).includes('Approved (2)') ? card('CHG-1') : undefined), 5_000);
    expect(textOf(decided)).toContain('📅 CHG-1');
    expect(buttonIds(decided)).toEqual([]);
    for (const approver of [ANN, BOB, MIA, ADMIN]) {
      const copy = dmsTo(approver).find((m) => textOf(m).includes('CHG-1'));
      await fake.waitFor(() => (textOf(fresh(copy)).includes('Approved (2)') ? fresh(copy) : undefined), 5_000);
      expect([approver.name, buttonIds(fresh(copy))]).toEqual([approver.name, []]);
    }
    await fake.waitFor(() => dmsTo(RITA).find((m) => m.text.includes('Your change CHG-1 is approved and scheduled for 2026-11-23 15:00 – 16:00')), 5_000);

    const show = await driver.slashCommand({ command: '/change', text: 'show CHG-1', user: RITA });
    expect(JSON.stringify(show.json).match(/ann: approved/g)).toHaveLength(1);
    expect(JSON.stringify(show.json).match(/: approved\b/g)).toHaveLength(2);
    const calendar = await driver.slashCommand({ command: '/change', text: 'calendar', user: RITA });
    expect(JSON.stringify(calendar.json)).toContain('15:00 – 16:00 · CHG-1 · Upgrade PostgreSQL on db-01');
  });

  it('reminds the approvers of a waiting change once when the clock passes the 4-hour interval', async () => {
    await driver.slashCommand({ command: '/change', user: RITA });
    await driver.submitView({ values: { ...REQUEST, title: 'Rotate TLS certificates', windowStart: '2026-11-24 10:00', windowEnd: '2026-11-24 11:00', configItems: 'lb-01' }, user: RITA });
    for (const approver of [ANN, BOB, MIA, ADMIN]) await fake.waitFor(() => request(approver, 'CHG-2'), 5_000);
    const reminders = (user: SlackUser) => dmsTo(user).filter((m) => m.text.includes('⏰ Reminder: CHG-2'));

    setClock('2026-11-23T12:59:00.000Z');
    await bot.waitForLog(/"job":"change-approval-reminders","fire":"2026-11-23T12:45:00.000Z".*"msg":"job run finished"/);
    expect(reminders(ANN)).toHaveLength(0);

    setClock('2026-11-23T13:01:00.000Z');
    for (const approver of [ANN, BOB, MIA, ADMIN]) await fake.waitFor(() => (reminders(approver).length === 1 ? true : undefined), 8_000);
    expect(textOf(reminders(ANN)[0])).toContain('since 2026-11-23 10:00');
    expect(buttonIds(reminders(ANN)[0])).toContain('change.reject');

    setClock('2026-11-23T13:40:00.000Z');
    await bot.waitForLog(/"job":"change-approval-reminders","fire":"2026-11-23T13:30:00.000Z".*"msg":"job run finished"/);
    await new Promise((r) => setTimeout(r, 300));
    for (const approver of [ANN, BOB, MIA, ADMIN]) expect([approver.name, reminders(approver).length]).toEqual([approver.name, 1]);
  });

  it('rejects from the reminder with a reason, and tells the requester why', async () => {
    const reminder = dmsTo(ANN).find((m) => m.text.includes('⏰ Reminder: CHG-2'));
    if (!reminder) throw new Error('no reminder');
    const opened = fake.views.length;
    await driver.clickButton({ channelId: reminder.channel, ts: reminder.ts, actionId: 'change.reject', user: ANN });
    const form = await fake.waitFor(() => fake.views.slice(opened).find((v) => v.view.callback_id === 'change.reject'), 5_000);
    const answer = await driver.submitView({ view: form, values: { reason: 'Clashes with the quarter-end billing run' }, user: ANN });
    expect(answer.body).toBe('');
    await fake.waitFor(() => dmsTo(RITA).find((m) => m.text.includes('Your change CHG-2 is rejected by <@U0ANN>: Clashes with the quarter-end billing run')), 5_000);
    await fake.waitFor(() => (buttonIds(fresh(reminder)).length === 0 ? true : undefined), 5_000);
    expect(textOf(card('CHG-2'))).toContain('⛔ CHG-2');
  });

  it('gives the implementer Start when the window opens, then Completed / Rolled back / Failed', async () => {
    setClock('2026-11-23T14:01:00.000Z');
    const prompt = await fake.waitFor(() => dmsTo(RITA).find((m) => m.text.includes('The window of CHG-1 is open')), 8_000);
    expect(buttonIds(prompt)).toEqual(['change.start', 'change.handOver', 'change.details']);
    await driver.clickButton({ channelId: prompt.channel, ts: prompt.ts, actionId: 'change.start', user: RITA });
    const running = await fake.waitFor(() => (buttonIds(fresh(prompt)).includes('change.complete') ? fresh(prompt) : undefined), 5_000);
    expect(buttonIds(running)).toEqual(['change.complete', 'change.rollBack', 'change.fail', 'change.handOver']);
    await driver.clickButton({ channelId: prompt.channel, ts: prompt.ts, actionId: 'change.complete', user: RITA });
    await fake.waitFor(() => (textOf(card('CHG-1')).includes('✅ CHG-1') ? true : undefined), 5_000);
    const done = await fake.waitFor(() => (textOf(fresh(prompt)).includes('CHG-1: Completed.') ? fresh(prompt) : undefined), 5_000);
    expect(buttonIds(done)).toEqual([]);
  });
});
