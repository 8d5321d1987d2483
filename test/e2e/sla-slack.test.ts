import { ClockFile } from '../helpers/clock-file.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser, type StoredMessage } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';

const SIGNING_SECRET = 'e2e-sla-signing-secret-0123456789';
const FAULTS = 'C0FAULTS';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const ANNA: SlackUser = { id: 'U0ANNA', name: 'anna' };
const LI_WEI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };
const SAM: SlackUser = { id: 'U0SAM', name: 'sam' };

function textOf(message: { text: string; blocks: unknown[] } | undefined): string {
  return message ? `${message.text}\n${JSON.stringify(message.blocks)}` : '';
}

function buttonIds(message: StoredMessage | undefined): string[] {
  const ids: string[] = [];
  for (const block of message?.blocks ?? []) {
    const typed = block as { type?: string; elements?: { action_id?: string }[] };
    if (typed.type === 'actions') for (const element of typed.elements ?? []) if (element.action_id) ids.push(element.action_id);
  }
  return ids;
}

/**
 * SLA reminders, escalation and service requests through the real bot process on the fake Slack
 * server. Time is a file (OPSDESK_CLOCK_FILE) the test rewrites; the bot's scheduler fires every
 * minute the clock passes, so an hour of SLA clock takes seconds.
 */
describe('SLA reminders, escalation and service requests on the fake Slack server', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;
  const clock = new ClockFile('2026-11-23T09:00:00.000Z');
  const setClock = (iso: string) => clock.set(iso);

  const dmsTo = (user: SlackUser) => {
    const channel = fake.dmChannelOf(user.id);
    return channel ? fake.messagesIn(channel) : [];
  };
  const reminders = (user: SlackUser) => dmsTo(user).filter((m) => m.text.startsWith('⏰'));
  const ephemeralsFor = (user: SlackUser) => fake.ephemerals.filter((e) => e.user === user.id).map((e) => textOf(e));
  /** Waits until the bot finished the SLA sweep of the minute `iso` (UTC). */
  const sweptAt = (iso: string) => bot.waitForLog(new RegExp(`"job":"sla-sweep","fire":"${iso.replace(/\./g, '\\.')}"`), 20_000);
  const command = async (user: SlackUser, name: string, text = '') => {
    const answer = await driver.slashCommand({ command: name, text, user });
    expect(answer.problems).toEqual([]);
    return JSON.stringify(answer.json);
  };

  beforeAll(async () => {
    setClock('2026-11-23T09:00:00.000Z'); // Monday, 10:00 in Berlin
    fake = await FakeSlackServer.start();
    bot = new BotProcess({
      DATABASE_URL: await freshTestDatabase('opsdesk-sla-e2e-'),
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      FAULT_CHANNEL: `slack:${FAULTS}`,
      TZ_NAME: 'Europe/Berlin',
      OPSDESK_CLOCK_FILE: clock.path,
    });
    // Generous: starting tsx on a busy two-core machine can take a while.
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/, 90_000))[1];
    await bot.waitForLog(/opsdesk started/, 30_000);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  }, 150_000);
  afterAll(async () => {
    if (process.env.SLA_E2E_DEBUG) process.stderr.write(bot?.stderr.slice(-20000) ?? '');
    await bot?.kill();
    await fake?.stop();
  });

  it('sets up engineers, a shorter P1 resolution target and the on-call rotations', async () => {
    for (const engineer of [LI_WEI, SAM]) expect(await command(ADMIN, '/ops', `role add <@${engineer.id}|${engineer.name}> engineer`)).toContain('is now engineer');
    expect(await command(ADMIN, '/ops', 'sla set sla_fault_p1 15m/1h 24x7')).toContain('sla_fault_p1 is now 15m/1h 24x7');
    expect(await command(ANNA, '/ops', 'sla set sla_fault_p1 1m/1h 24x7')).toContain('needs the admin role');
    expect(await command(ADMIN, '/oncall', `rotation set primary <@${LI_WEI.id}|${LI_WEI.name}>`)).toContain('The Primary rotation now has 1 person,');
    expect(await command(ADMIN, '/oncall', `rotation set secondary <@${SAM.id}|${SAM.name}> handoff="Mon 09:00" length=1w`)).toContain('Secondary rotation');
    expect(await command(LI_WEI, '/oncall', 'rotation set primary <@U0X|x>')).toContain('needs the manager role');
    await fake.waitFor(() => dmsTo(LI_WEI).find((m) => m.text.includes('You are on call as Primary from Mon 2026-11-23 09:00 until Mon 2026-11-30 09:00')), 5_000);
    const now = await command(ANNA, '/oncall');
    expect(now).toContain('*Primary*\\n<@U0LIWEI>, no hand-off planned');
    expect(now).toContain('*Secondary*\\n<@U0SAM>, no hand-off planned');
  });

  it('reminds the on-call engineer of an unacknowledged P1 at 50, 75 and 90 % and escalates to the secondary at the breach', async () => {
    await driver.slashCommand({ command: '/fault', user: ANNA });
    const submitted = await driver.submitView({
      values: { title: 'Mail server down', description: 'Nobody can send mail', category: 'network', impact: '1', urgency: '1', affectedSystem: 'mail-01' },
      user: ANNA,
    });
    expect(submitted.problems).toEqual([]);
    const card = await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-1')), 5_000);
    expect(textOf(card)).toContain('Respond by 10:15 (in 15 min)');

    setClock('2026-11-23T09:08:00.000Z');
    const first = await fake.waitFor(() => reminders(LI_WEI)[0], 15_000);
    expect(first.text).toBe('⏰ INC-1 (P1): the response is due by 10:15, 7 min left (50% of the time used).');
    expect(buttonIds(first)).toEqual(['fault.ack', 'sla.snooze15', 'sla.snooze60']);
    setClock('2026-11-23T09:12:00.000Z');
    await fake.waitFor(() => reminders(LI_WEI)[1], 10_000);
    setClock('2026-11-23T09:14:00.000Z');
    await fake.waitFor(() => reminders(LI_WEI)[2], 10_000);
    expect(reminders(LI_WEI).map((m) => /\((\d+)% of the time used\)/.exec(m.text)?.[1])).toEqual(['50', '75', '90']);

    setClock('2026-11-23T09:15:00.000Z');
    const escalation = await fake.waitFor(() => dmsTo(SAM).find((m) => m.text.startsWith('🚨')), 10_000);
    expect(escalation.text).toContain('Escalation to you as Secondary: INC-1 (P1) is overdue by 1 min for its response (due 10:15). Responsible: <@U0LIWEI>.');
    expect(escalation.text).toContain('Reminded before: <@U0LIWEI> at 10:08, <@U0LIWEI> at 10:12, <@U0LIWEI> at 10:14');
    const breach = await fake.waitFor(() => dmsTo(LI_WEI).find((m) => m.text.startsWith('⚠️')), 5_000);
    expect(breach.text).toContain('INC-1 (P1): the response is overdue');
    await fake.waitFor(() => (textOf(fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-1'))).includes('⚠ response overdue') ? true : undefined), 5_000);

    setClock('2026-11-23T09:16:00.000Z');
    await sweptAt('2026-11-23T09:16:00.000Z');
    expect(reminders(LI_WEI)).toHaveLength(3);
    expect(dmsTo(SAM).filter((m) => m.text.startsWith('🚨'))).toHaveLength(1);
    expect(fake.messagesIn(FAULTS).filter((m) => m.text.includes('INC-1'))).toHaveLength(1); // the card, edited in place
  });

  it('acknowledges from the DM, and Snooze delays the next resolution reminder', async () => {
    const breach = dmsTo(LI_WEI).find((m) => m.text.startsWith('⚠️'));
    const dm = fake.dmChannelOf(LI_WEI.id);
    if (!breach || !dm) throw new Error('no breach DM');
    const ack = await driver.clickButton({ channelId: dm, ts: breach.ts, actionId: 'fault.ack', user: LI_WEI });
    expect(ack.problems).toEqual([]);
    await fake.waitFor(() => (textOf(fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-1'))).includes('Acknowledged by <@U0LIWEI>') ? true : undefined), 5_000);

    // Resolution target 1 h: 50 % at 09:30, 75 % at 09:45.
    setClock('2026-11-23T09:30:00.000Z');
    const half = await fake.waitFor(() => reminders(LI_WEI).find((m) => m.text.includes('the resolution is due by 11:00')), 10_000);
    expect(half.text).toContain('30 min left (50% of the time used)');
    expect(buttonIds(half)).toEqual(['fault.resolve', 'sla.snooze15', 'sla.snooze60']);

    setClock('2026-11-23T09:31:00.000Z');
    const snooze = await driver.clickButton({ channelId: dm, ts: half.ts, actionId: 'sla.snooze15', user: LI_WEI });
    expect(snooze.problems).toEqual([]);
    await fake.waitFor(() => ephemeralsFor(LI_WEI).find((t) => t.includes('Snoozed: no reminder for INC-1 before 10:46. Next: 10:46.')), 5_000);

    setClock('2026-11-23T09:45:00.000Z');
    await sweptAt('2026-11-23T09:45:00.000Z');
    await new Promise((r) => setTimeout(r, 300));
    expect(reminders(LI_WEI).filter((m) => m.text.includes('resolution'))).toHaveLength(1);
    setClock('2026-11-23T09:46:00.000Z');
    const delayed = await fake.waitFor(() => reminders(LI_WEI).find((m) => m.text.includes('(75% of the time used)') && m.text.includes('resolution')), 10_000);
    expect(delayed.text).toContain('the resolution is due by 11:00, 14 min left');
  });

  it('takes and fulfils a service request, telling the requester at each step', async () => {
    await driver.slashCommand({ command: '/request', user: ANNA });
    expect(fake.lastView()?.view.callback_id).toBe('request.new');
    const submitted = await driver.submitView({
      values: { title: 'Laptop for Bo', details: 'Starts Monday', forWhom: '', requestType: 'hardware', urgency: '2', importance: '2' },
      user: ANNA,
    });
    expect(submitted.problems).toEqual([]);
    expect(submitted.body).toBe('');
    await fake.waitFor(() => ephemeralsFor(ANNA).find((t) => t.includes('REQ-1 (P3) is submitted to IT')), 5_000);
    await fake.waitFor(() => dmsTo(ANNA).find((m) => m.text.includes('We received your request REQ-1 (P3)')), 5_000);
    const card = await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => m.text.includes('REQ-1')), 5_000);
    expect(buttonIds(card)).toEqual(['request.take', 'request.assign']);
    expect(textOf(card)).toContain('Respond by');

    expect((await driver.clickButton({ channelId: FAULTS, ts: card.ts, actionId: 'request.take', user: LI_WEI })).problems).toEqual([]);
    await fake.waitFor(() => dmsTo(ANNA).find((m) => m.text.includes('<@U0LIWEI> took REQ-1 and is working on it.')), 5_000);
    const taken = await fake.waitFor(() => {
      const updated = fake.messagesIn(FAULTS).find((m) => m.text.includes('REQ-1'));
      return buttonIds(updated).includes('request.fulfil') ? updated : undefined;
    }, 5_000);

    expect((await driver.clickButton({ channelId: FAULTS, ts: taken.ts, actionId: 'request.fulfil', user: LI_WEI })).problems).toEqual([]);
    const form = await fake.waitFor(() => fake.views.find((v) => v.view.callback_id === 'request.fulfil'), 5_000);
    const done = await driver.submitView({ view: form, values: { fulfilment: 'Laptop imaged and handed to Bo' }, user: LI_WEI });
    expect(done.problems).toEqual([]);
    const fulfilled = await fake.waitFor(() => dmsTo(ANNA).find((m) => m.text.includes('<@U0LIWEI> fulfilled REQ-1')), 5_000);
    expect(buttonIds(fulfilled)).toEqual(['request.close', 'request.reopen']);
    expect(textOf(fulfilled)).toContain('Laptop imaged and handed to Bo');

    const anna = fake.dmChannelOf(ANNA.id);
    if (!anna) throw new Error('no DM with anna');
    expect((await driver.clickButton({ channelId: anna, ts: fulfilled.ts, actionId: 'request.close', user: ANNA })).problems).toEqual([]);
    await fake.waitFor(() => (textOf(fake.messagesIn(FAULTS).find((m) => m.text.includes('REQ-1'))).includes('Closed') ? true : undefined), 5_000);
    const show = await command(ANNA, '/request', 'show REQ-1');
    expect(show).toContain('li.wei: took it');
    expect(show).toContain('li.wei: fulfilled');
  });
});
