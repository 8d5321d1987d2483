// Slack sends no locale with slash commands: a person whose first contact is a command is answered in
// the locale users.info gives (asked once per person per process), or in DEFAULT_LOCALE when Slack
// is slow, refuses or gives none, still within Slack's 3-second windows. The bot process against the
// fake Slack, whose users.info gives a locale only with include_locale, as Slack's does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { FakeSlackServer, SlackBotDriver, type SlackUser } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';

const SIGNING_SECRET = 'e2e-signing-secret-0123456789';
const zh = translator('zh-CN');
const en = translator('en');

const MEI: SlackUser = { id: 'U0MEI', name: 'mei' };
const SLOW: SlackUser = { id: 'U0SLOW', name: 'slow.wang' };
const REFUSED: SlackUser = { id: 'U0HIDDEN', name: 'hidden.li' };
const NO_LOCALE: SlackUser = { id: 'U0NOLOC', name: 'no.locale' };
const JUN: SlackUser = { id: 'U0JUN', name: 'jun' };

describe('the locale of a Slack person whose first contact is a slash command', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;

  let databaseUrl: string;

  async function startBot(): Promise<void> {
    bot = new BotProcess({
      DATABASE_URL: databaseUrl,
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      DEFAULT_LOCALE: 'en',
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/))[1];
    await bot.waitForLog(/opsdesk started/);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  }

  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    for (const user of [MEI, SLOW, REFUSED, JUN]) fake.addUser({ ...user, locale: 'zh-CN' });
    fake.addUser(NO_LOCALE);
    databaseUrl = await freshTestDatabase('opsdesk-slack-locale-');
    await startBot();
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  const lookupsOf = (user: SlackUser) => fake.callsTo('users.info').filter((call) => call.body.user === user.id);

  /** `/fault` as a first contact: the report form opens in time, in the language returned. */
  async function openReportForm(user: SlackUser): Promise<{ title: unknown; close: unknown }> {
    const views = fake.views.length;
    const answer = await driver.slashCommand({ command: '/fault', user });
    expect(answer.status).toBe(200);
    expect(answer.problems).toEqual([]);
    const opened = fake.views.at(-1);
    expect(fake.views).toHaveLength(views + 1);
    const view = opened?.view as { title?: { text?: unknown }; close?: { text?: unknown } } | undefined;
    return { title: view?.title?.text, close: view?.close?.text };
  }

  /** `/ops help`, answered in the ack: its text. */
  async function help(user: SlackUser): Promise<string> {
    const answer = await driver.slashCommand({ command: '/ops', text: 'help', user });
    expect(answer.problems).toEqual([]);
    return answer.body;
  }

  it('opens the form in zh-CN for a zh-CN person on their first /fault, and asks users.info only that once', async () => {
    expect(await openReportForm(MEI)).toEqual({ title: zh('faults.form.reportTitle'), close: zh('slack.form.close') });
    const [lookup] = lookupsOf(MEI);
    expect(lookupsOf(MEI)).toHaveLength(1);
    expect(lookup?.body.include_locale).toBe('true');

    // The locale is stored on the person: later commands need no lookup.
    expect(await help(MEI)).toContain(zh('core.help.title'));
    expect(lookupsOf(MEI)).toHaveLength(1);
  });

  it('answers in DEFAULT_LOCALE within the window when users.info is slow, and does not ask again', async () => {
    fake.delayNext('users.info', 2_500);
    const started = Date.now();
    expect(await openReportForm(SLOW)).toEqual({ title: en('faults.form.reportTitle'), close: en('slack.form.close') });
    // Well before the slow answer: the lookup was given up on after its bound, not waited for.
    expect(Date.now() - started).toBeLessThan(2_500);
    // The fake records the call once it has answered it, after the delay.
    await fake.waitFor(() => (lookupsOf(SLOW).length > 0 ? true : undefined), 5_000);

    expect(await help(SLOW)).toContain(en('core.help.title'));
    expect(lookupsOf(SLOW)).toHaveLength(1);
  });

  it('answers in DEFAULT_LOCALE when users.info refuses or gives no locale, asking once per person', async () => {
    fake.failNext('users.info', { error: 'user_not_visible' });
    for (const user of [REFUSED, NO_LOCALE]) {
      expect(await openReportForm(user)).toEqual({ title: en('faults.form.reportTitle'), close: en('slack.form.close') });
      expect(lookupsOf(user)).toHaveLength(1);
      expect(await help(user)).toContain(en('core.help.title'));
      expect(await help(user)).toContain(en('core.help.title'));
      expect(lookupsOf(user)).toHaveLength(1);
    }
    expect(lookupsOf(REFUSED)[0]?.response).toMatchObject({ ok: false, error: 'user_not_visible' });
    expect(lookupsOf(NO_LOCALE)[0]?.response).toMatchObject({ ok: true });
  });

  it('keeps the stored locale after a restart: the form and its close button in zh-CN, with no new lookup', async () => {
    // MEI's locale was stored by the first test; the new process has asked Slack about nobody.
    const before = lookupsOf(MEI).length;
    await bot.kill();
    await startBot();
    expect(await openReportForm(MEI)).toEqual({ title: zh('faults.form.reportTitle'), close: zh('slack.form.close') });
    expect(lookupsOf(MEI)).toHaveLength(before);
  });

  it('publishes a first Home tab in zh-CN for a zh-CN person whose first contact is opening Home', async () => {
    const [answer] = await driver.openHome({ user: JUN });
    expect(answer?.status).toBe(200);
    const published = await fake.waitFor(() => fake.homes.get(JUN.id), 5_000);
    const text = JSON.stringify(published.view);
    expect(text).toContain(zh('home.title'));
    expect(text).not.toContain(en('home.title'));
    expect(lookupsOf(JUN)).toHaveLength(1);
  });

});
