import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser, type StoredMessage } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';

// Real time on purpose: Home republications are spaced by wall-clock seconds (coalescing).
const SIGNING_SECRET = 'e2e-signing-secret-home-0123456';
const FAULTS = 'C0FAULTS';
const CHANGES = 'C0CHANGES';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const RITA: SlackUser = { id: 'U0RITA', name: 'rita' };
const ANN: SlackUser = { id: 'U0ANN', name: 'ann' };
const LI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };
const GAP_MS = 5_000;

const REPORT = { title: 'Mail server unreachable', description: 'Nobody on floor 3 can send mail', category: 'network', impact: '1', urgency: '2', affectedSystem: 'mail-01' };

/** `YYYY-MM-DD HH:mm` in UTC (the bot runs with TZ_NAME=UTC), `days` from now. */
function windowTime(days: number, hour: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  return `${date.toISOString().slice(0, 10)} ${String(hour).padStart(2, '0')}:00`;
}

const CHANGE = {
  title: 'Upgrade PostgreSQL on db-01',
  type: 'normal',
  risk: 'low',
  content: 'pg_upgrade from 15 to 16',
  reason: 'Version 15 support ends',
  expectedImpact: 'Billing read-only for 15 minutes',
  testPlan: 'Rehearsed on staging',
  rollbackPlan: 'Restore the snapshot',
  windowStart: windowTime(3, 15),
  windowEnd: windowTime(3, 16),
  configItems: 'db-01',
};

function textOf(message: { text?: unknown; blocks?: unknown } | undefined): string {
  return message ? `${typeof message.text === 'string' ? message.text : ''}\n${JSON.stringify(message.blocks)}` : '';
}

function buttonIds(blocks: unknown): string[] {
  const ids: string[] = [];
  for (const block of Array.isArray(blocks) ? blocks : []) {
    const typed = block as { type?: string; elements?: { action_id?: string; value?: string }[] };
    if (typed.type !== 'actions') continue;
    for (const element of typed.elements ?? []) if (element.action_id) ids.push(`${element.action_id}:${element.value ?? ''}`);
  }
  return ids;
}

describe('Slack App Home through the bot process and the fake Slack server', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;

  const home = (user: SlackUser) => fake.homes.get(user.id);
  const homeText = (user: SlackUser) => textOf(home(user)?.view);
  const versionOf = (user: SlackUser) => home(user)?.version ?? 0;
  const dmsTo = (user: SlackUser) => (fake.dmChannelOf(user.id) ? fake.messagesIn(fake.dmChannelOf(user.id) ?? '') : []);
  const changeCard = () => fake.messagesIn(CHANGES).find((m) => m.text.includes('CHG-1 '));
  const faultCard = (id: string) => fake.messagesIn(FAULTS).find((m) => m.text.includes(`${id} `));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    bot = new BotProcess({
      DATABASE_URL: await freshTestDatabase('opsdesk-slack-home-'),
      PORT: '0',
      TZ_NAME: 'UTC',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      FAULT_CHANNEL: `slack:${FAULTS}`,
      CHANGE_CHANNEL: `slack:${CHANGES}`,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/))[1];
    await bot.waitForLog(/opsdesk started/);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
    for (const [user, role] of [[ANN, 'approver'], [LI, 'engineer']] as const) {
      const answer = await driver.slashCommand({ command: '/ops', text: `role add <@${user.id}|${user.name}> ${role}`, user: ADMIN });
      expect(JSON.stringify(answer.json)).toContain(`${user.name} is now`);
    }
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('publishes nothing for people who never opened Home', async () => {
    await driver.slashCommand({ command: '/fault', user: RITA });
    const submitted = await driver.submitView({ values: REPORT, user: RITA });
    expect(submitted.problems).toEqual([]);
    await fake.waitFor(() => faultCard('INC-1'), 5_000);
    await sleep(500);
    expect(fake.callsTo('views.publish')).toHaveLength(0);
  });

  it('answers app_home_opened at once and publishes the Home with the person\'s records, most urgent first', async () => {
    const [answer] = await driver.openHome({ user: RITA });
    expect(answer?.status).toBe(200);
    expect(answer?.problems).toEqual([]);
    await fake.waitFor(() => home(RITA), 5_000);
    const text = homeText(RITA);
    expect(text).toContain('Your overview');
    expect(text).toContain('Your open records (1)');
    // The wall clock: a deadline past midnight (a run near 23:30 UTC) is shown with its date.
    expect(text).toMatch(/🟠 INC-1 · P2 · Mail server unreachable — Reported · Respond by (\d{4}-\d\d-\d\d )?\d\d:\d\d \(in (29|30) min\) \(you reported it\)/);
    expect(buttonIds(home(RITA)?.view.blocks)).toEqual(['home.newFault:new', 'home.newRequest:new', 'home.newChange:new']);
    expect(text).toContain('You have no on-call turn in the next 14 days.');
  });

  it('applies a redelivered event once: Slack retries with the same event_id change nothing', async () => {
    const answers = await driver.openHome({ user: ANN, eventId: 'Ev0HOMEANN1' }, 2);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.flatMap((a) => a.problems)).toEqual([]);
    await fake.waitFor(() => home(ANN), 5_000);
    await sleep(1_500);
    expect(versionOf(ANN)).toBe(1);
    await bot.waitForLog(/repeated event ignored/);
    // The same event again much later, as Socket Mode may redeliver it: still nothing.
    await driver.openHome({ user: ANN, eventId: 'Ev0HOMEANN1' });
    await sleep(1_000);
    expect(versionOf(ANN)).toBe(1);
    expect(homeText(ANN)).toContain('Nothing open that you reported or that is assigned to you.');
  });

  it('opens the same form as /change from the Home button, and the new change reaches the approver\'s Home', async () => {
    const click = await driver.clickHomeButton({ user: RITA, actionId: 'home.newChange' });
    expect(click.status).toBe(200);
    const form = await fake.waitFor(() => fake.views.find((v) => v.triggerId === click.triggerId), 5_000);
    expect(form.view.callback_id).toBe('change.request');
    const submitted = await driver.submitView({ view: form, values: CHANGE, user: RITA });
    expect(submitted.problems).toEqual([]);
    await fake.waitFor(() => changeCard(), 5_000);
    await fake.waitFor(() => (homeText(ANN).includes('Waiting for your approval (1)') ? true : undefined), 10_000);
    const text = homeText(ANN);
    expect(text).toContain('⏳ CHG-1 · Low risk · Upgrade PostgreSQL on db-01');
    expect(text).toContain('Requested by <@U0RITA>');
    const buttons = buttonIds(home(ANN)?.view.blocks);
    expect(buttons).toEqual(expect.arrayContaining(['change.approve:CHG-1', 'change.approveWithComment:CHG-1', 'change.reject:CHG-1', 'change.details:CHG-1']));
    // The requester's own Home shows the change among her records, not as an approval.
    await fake.waitFor(() => (homeText(RITA).includes('CHG-1') ? true : undefined), 10_000);
    expect(homeText(RITA)).not.toContain('Waiting for your approval');
  });

  it('approving from Home works as in the DM: the card, the DMs and the Home view all change', async () => {
    const dm = await fake.waitFor(() => dmsTo(ANN).find((m: StoredMessage) => textOf(m).includes('Your decision is requested on CHG-1.')), 5_000);
    const before = versionOf(ANN);
    const click = await driver.clickHomeButton({ user: ANN, actionId: 'change.approve', value: 'CHG-1' });
    expect(click.status).toBe(200);
    expect(click.problems).toEqual([]);
    const card = await fake.waitFor(() => ((changeCard()?.version ?? 0) > 1 ? changeCard() : undefined), 5_000);
    expect(textOf(card)).toContain('Approved by <@U0ANN>');
    expect(buttonIds(card.blocks)).not.toContain('change.approve:CHG-1');
    const updatedDm = await fake.waitFor(() => {
      const now = fake.message(dm.channel, dm.ts);
      return now && now.version > dm.version ? now : undefined;
    }, 5_000);
    expect(buttonIds(updatedDm.blocks)).not.toContain('change.approve:CHG-1');
    await fake.waitFor(() => (versionOf(ANN) > before && !homeText(ANN).includes('CHG-1') ? true : undefined), 10_000);
    expect(homeText(ANN)).not.toContain('Waiting for your approval');
    await fake.waitFor(() => (homeText(RITA).includes('CHG-1') && homeText(RITA).includes('Scheduled') ? true : undefined), 10_000);
  });

  it('republishes the Home of the people a record concerns, coalesced to one view every few seconds', async () => {
    // Let any earlier republication of Rita's Home go out first.
    await sleep(GAP_MS + 500);
    const start = versionOf(RITA);
    const card = faultCard('INC-1');
    if (!card) throw new Error('no card');
    await driver.clickButton({ channelId: FAULTS, ts: card.ts, actionId: 'fault.ack', user: LI });
    for (const title of ['VPN drops every hour', 'Wi-Fi slow in room 4']) {
      await driver.slashCommand({ command: '/fault', user: RITA });
      await driver.submitView({ values: { ...REPORT, title }, user: RITA });
    }
    await fake.waitFor(() => (homeText(RITA).includes('Wi-Fi slow in room 4') && homeText(RITA).includes('INC-1 · P2 · Mail server unreachable — Acknowledged') ? true : undefined), 15_000);
    await sleep(GAP_MS + 1_000);
    const published = home(RITA)?.publishedAt.slice(start) ?? [];
    // Three changes in about a second: at most two publications, at least the gap apart.
    expect(published.length).toBeGreaterThanOrEqual(1);
    expect(published.length).toBeLessThanOrEqual(2);
    const all = home(RITA)?.publishedAt ?? [];
    for (let i = Math.max(1, start); i < all.length; i++) expect((all[i] ?? 0) - (all[i - 1] ?? 0)).toBeGreaterThanOrEqual(GAP_MS - 300);
    expect(homeText(RITA)).toContain('Your open records (4)');
    // The engineer it is now assigned to never opened Home, so nothing was published for him.
    expect(home(LI)).toBeUndefined();
  });

  it('answers /ops me privately on Slack with the same overview', async () => {
    const answer = await driver.slashCommand({ command: '/ops', text: 'me', user: RITA });
    expect(answer.problems).toEqual([]);
    const body = JSON.stringify(answer.json);
    expect(body).toContain('ephemeral');
    expect(body).toContain('Your open records (4)');
    expect(body).toContain('home.newFault');
  });
});
