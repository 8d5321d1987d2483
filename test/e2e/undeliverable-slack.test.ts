import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { ClockFile } from '../helpers/clock-file.js';
import { freshTestDatabase } from '../helpers/db.js';

const SIGNING_SECRET = 'e2e-undeliverable-signing-secret-01';
const FAULTS = 'C0FAULTS';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const ANNA: SlackUser = { id: 'U0ANNA', name: 'anna' };
const LI_WEI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };

/**
 * Issue #9 item 2 through the real bot process: a reporter and an on-call engineer whose accounts are
 * deactivated, and a fault card someone deleted. Nothing is lost: the DMs land in the fault channel,
 * the card comes back, the breach still escalates, and `/fault show` tells the story.
 */
describe('undeliverable messages on the fake Slack (bot process)', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;
  const clock = new ClockFile('2026-11-23T10:00:00.000Z');
  const inChannel = (prefix: string) => fake.messagesIn(FAULTS).filter((m) => m.text.startsWith(prefix));
  const command = async (user: SlackUser, name: string, text = '') => {
    const answer = await driver.slashCommand({ command: name, text, user });
    expect(answer.problems).toEqual([]);
    return JSON.stringify(answer.json);
  };

  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    bot = new BotProcess({
      DATABASE_URL: await freshTestDatabase('opsdesk-undeliverable-e2e-'),
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      FAULT_CHANNEL: `slack:${FAULTS}`,
      TZ_NAME: 'UTC',
      OPSDESK_CLOCK_FILE: clock.path,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/, 90_000))[1];
    await bot.waitForLog(/opsdesk started/, 30_000);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  }, 150_000);
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('falls back to the channel, re-posts the deleted card and still escalates the breach', async () => {
    expect(await command(ADMIN, '/ops', `role add <@${LI_WEI.id}|${LI_WEI.name}> engineer`)).toContain('is now engineer');
    expect(await command(ADMIN, '/oncall', `rotation set primary <@${LI_WEI.id}|${LI_WEI.name}>`)).toContain('Primary rotation');
    await fake.waitFor(() => fake.messagesIn(fake.dmChannelOf(LI_WEI.id) ?? '')[0], 5_000);

    fake.makeUnreachable(ANNA.id, 'user_disabled');
    await driver.slashCommand({ command: '/fault', user: ANNA });
    const submitted = await driver.submitView({
      values: { title: 'Mail server down', description: 'Nobody can send mail', category: 'network', impact: '1', urgency: '1', affectedSystem: 'mail-01' },
      user: ANNA,
    });
    expect(submitted.problems).toEqual([]);
    const card = await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => m.text.startsWith('INC-1')), 5_000);
    const receipt = await fake.waitFor(() => inChannel('📭 <@U0ANNA>')[0], 5_000);
    expect(receipt.text).toContain('│ We received your fault report INC-1 (P1)');

    fake.deleteMessage(FAULTS, card.ts);
    fake.makeUnreachable(LI_WEI.id, 'account_inactive');
    clock.set('2026-11-23T10:07:31.000Z'); // 50 % of the 15-minute response target
    const reminder = await fake.waitFor(() => inChannel('📭 <@U0LIWEI>')[0], 10_000);
    expect(reminder.text).toContain('│ ⏰ INC-1 (P1): the response is due by 10:15');

    clock.set('2026-11-23T10:12:00.000Z');
    await fake.waitFor(() => (inChannel('📭 <@U0LIWEI>').length === 2 ? true : undefined), 10_000); // 75 %
    clock.set('2026-11-23T10:15:01.000Z');
    const escalation = await fake.waitFor(() => inChannel('🚨')[0], 10_000);
    expect(escalation.text).toContain('INC-1 (P1) is overdue');
    const reposted = await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => m.text.startsWith('INC-1')), 10_000);
    expect(reposted.ts).not.toBe(card.ts);
    await fake.waitFor(() => (JSON.stringify(fake.message(FAULTS, reposted.ts)?.blocks).includes('response overdue') ? true : undefined), 10_000);

    // The repost is noted in the transaction that settles its row, just after Slack answered the post.
    const deadline = Date.now() + 10_000;
    let show = await command(LI_WEI, '/fault', 'show INC-1');
    while (!show.includes('card was deleted') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      show = await command(LI_WEI, '/fault', 'show INC-1');
    }
    expect(show).toContain('direct message could not be delivered; posted in the channel (anna)');
    expect(show).toContain('direct message could not be delivered; posted in the channel (li.wei)');
    expect(show).toContain('card was deleted; posted anew');
  });
});
