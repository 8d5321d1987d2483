// Issue 9, item 1: a fault reported with text that looks like Slack markup is announced, updated and
// told to its reporter with that text shown as typed: no live `<!channel>`, `<@…>` or masked link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';
import { slackLiveTokens as liveTokens, slackMrkdwn as mrkdwnOf } from '../helpers/live-markup.js';

const SIGNING_SECRET = 'e2e-signing-secret-0123456789';
const FAULTS = 'C0FAULTS';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const ANNA: SlackUser = { id: 'U0ANNA', name: 'anna' };
const LI_WEI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };

const HOSTILE = {
  title: '<!channel> please look',
  description: '<!channel> please look. Ask <@U123> or <!here>, details at <https://evil.example|click here> & more',
  affectedSystem: '<https://evil.example|mail-01>',
  rootCause: '<!everyone> it was <@U0ADMIN>, see <https://evil.example|the report>',
};

describe('user text that looks like Slack markup, through the bot process', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;

  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    bot = new BotProcess({
      DATABASE_URL: await freshTestDatabase('opsdesk-slack-text-'),
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      FAULT_CHANNEL: `slack:${FAULTS}`,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/))[1];
    await bot.waitForLog(/opsdesk started/);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  const card = () => fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-1'));
  const dmsTo = (user: SlackUser) => {
    const channel = fake.dmChannelOf(user.id);
    return channel ? fake.messagesIn(channel) : [];
  };

  it('announces the fault with the text escaped and only the reporter mentioned', async () => {
    await driver.slashCommand({ command: '/fault', user: ANNA });
    const submitted = await driver.submitView({
      values: { title: HOSTILE.title, description: HOSTILE.description, category: 'network', impact: '1', urgency: '2', affectedSystem: HOSTILE.affectedSystem },
      user: ANNA,
    });
    expect(submitted.status).toBe(200);
    expect(submitted.problems).toEqual([]);

    const announced = await fake.waitFor(card, 8_000);
    expect(liveTokens(announced)).toEqual(['<@U0ANNA>']);
    const shown = mrkdwnOf(announced).join('\n');
    expect(shown).toContain('&lt;!channel&gt; please look. Ask &lt;@U123&gt; or &lt;!here&gt;');
    expect(shown).toContain('&lt;https://evil.example|click here&gt; &amp; more');
    expect(shown).toContain('&lt;https://evil.example|mail-01&gt;');
    // The header is plain_text: Slack shows it as typed and never parses it.
    expect(announced.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `🟠 INC-1 · P2 · ${HOSTILE.title}`, emoji: true } });

    const receipt = await fake.waitFor(() => dmsTo(ANNA).find((m) => m.text.includes('INC-1')), 5_000);
    expect(liveTokens(receipt).filter((token) => token !== '<@U0ANNA>')).toEqual([]);
    for (const ephemeral of fake.ephemerals) expect(liveTokens(ephemeral)).toEqual([]);
  });

  it('keeps a hostile root cause harmless on the resolved card, while the engineer is mentioned', async () => {
    await driver.slashCommand({ command: '/ops', text: `role add <@${LI_WEI.id}|${LI_WEI.name}> engineer`, user: ADMIN });
    const announced = card();
    if (!announced) throw new Error('no card');
    await driver.clickButton({ channelId: FAULTS, ts: announced.ts, actionId: 'fault.resolve', user: LI_WEI });
    const form = await fake.waitFor(() => fake.views.find((v) => v.view.callback_id === 'fault.resolve'), 5_000);
    const done = await driver.submitView({ view: form, values: { rootCause: HOSTILE.rootCause, resolutionSteps: '# Restarted <!here>' }, user: LI_WEI });
    expect(done.status).toBe(200);

    const resolved = await fake.waitFor(() => (card()?.version === 2 ? card() : undefined), 8_000);
    expect(new Set(liveTokens(resolved))).toEqual(new Set(['<@U0ANNA>', '<@U0LIWEI>']));
    expect(mrkdwnOf(resolved).join('\n')).toContain('&lt;!everyone&gt; it was &lt;@U0ADMIN&gt;, see &lt;https://evil.example|the report&gt;');
    const told = await fake.waitFor(() => dmsTo(ANNA).find((m) => m.text.includes('INC-1 is resolved')), 5_000);
    expect(new Set(liveTokens(told))).toEqual(new Set(['<@U0LIWEI>']));
  });
});
