// Exactly once to the platform (issue #15 item 3): the bot process is killed at the one moment that
// used to cause a duplicate, right after the platform accepted a message and before the outbox row
// was marked sent (OPSDESK_FAULT_INJECT=after-send); restarted on the same database, it finishes the
// row without a second message. Discord by `nonce` + `enforce_nonce`; Slack by message metadata and
// a look into the conversation's history.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscordServer, snowflake } from '../fakes/discord/index.js';
import { FakeSlackServer, SlackBotDriver } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { TEST_DATABASE, TEST_POLL_SECRET, freshTestDatabase } from '../helpers/db.js';
import { queryDatabase } from '../helpers/db-query.js';
import { ADMIN as DISCORD_ADMIN, startDiscordBot } from './discord-scenario.js';
import { DiscordBotDriver } from '../fakes/discord/index.js';

const SIGNING_SECRET = 'e2e-signing-secret-0123456789';
const SLACK_ADMIN = { id: 'U0ADMIN', name: 'admin' };
const SLACK_FEEDBACK = 'C0FEEDBACK';
const DISCORD_FEEDBACK = snowflake();
const QUESTION = 'Is the new VPN fast enough?';
/** The shortest claim the configuration allows, so that the restarted bot retries the row soon. */
const CLAIM_SECONDS = '5';
const CRASH = { NODE_ENV: 'test', OPSDESK_FAULT_INJECT: 'after-send' };
/** PostgreSQL has no key file beside the database: the poll key comes from the environment. */
const POLL_KEY: Record<string, string> = TEST_DATABASE === 'postgres' ? { POLL_SECRET: TEST_POLL_SECRET } : {};

interface OutboxRow {
  status: string;
  claimed_by: string | null;
}

function outboxRows(databaseUrl: string): Promise<OutboxRow[]> {
  return queryDatabase<OutboxRow>(databaseUrl, 'SELECT status, claimed_by FROM outbox ORDER BY id');
}

async function waitUntilAllSent(databaseUrl: string, bot: BotProcess): Promise<OutboxRow[]> {
  return bot.waitFor(
    async () => {
      const rows = await outboxRows(databaseUrl);
      return rows.length > 0 && rows.every((r) => r.status === 'sent') ? rows : undefined;
    },
    'every outbox row to be sent',
    45_000,
  );
}

const running: BotProcess[] = [];
const fakes: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const bot of running.splice(0)) await bot.kill();
  for (const fake of fakes.splice(0)) await fake.stop();
});

describe('exactly once to the platform across a crash after the platform call', () => {
  it('Slack: the restarted bot finds the posted message by its metadata in the history and posts nothing', async () => {
    const fake = await FakeSlackServer.start();
    fakes.push(fake);
    const databaseUrl = await freshTestDatabase('opsdesk-once-slack-');
    const env = {
      DATABASE_URL: databaseUrl,
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${SLACK_ADMIN.id}`,
      FEEDBACK_CHANNEL: `slack:${SLACK_FEEDBACK}`,
      OUTBOX_CLAIM_SECONDS: CLAIM_SECONDS,
      ...POLL_KEY,
    };
    const start = async (extra: Record<string, string>): Promise<{ bot: BotProcess; driver: SlackBotDriver }> => {
      const bot = new BotProcess({ ...env, ...extra });
      running.push(bot);
      const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/))[1];
      await bot.waitForLog(/opsdesk started/);
      return { bot, driver: new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET }) };
    };

    const first = await start(CRASH);
    const answer = await first.driver.slashCommand({ command: '/feedback', text: `poll ${QUESTION}`, user: SLACK_ADMIN });
    expect(answer.status).toBe(200);
    await first.bot.waitForExit();
    // The poll reached Slack, with the row's identity in its metadata; the row is still unsent.
    expect(fake.messagesIn(SLACK_FEEDBACK)).toHaveLength(1);
    const [posted] = fake.messagesIn(SLACK_FEEDBACK);
    expect(posted?.metadata).toMatchObject({ event_type: 'opsdesk_outbox', event_payload: { delivery_id: expect.stringMatching(/./) as unknown } });
    expect(await outboxRows(databaseUrl)).toEqual([{ status: 'pending', claimed_by: expect.stringMatching(/./) as unknown }]);

    const second = await start({});
    await waitUntilAllSent(databaseUrl, second.bot);
    expect(fake.messagesIn(SLACK_FEEDBACK)).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage').filter((c) => c.body.channel === SLACK_FEEDBACK)).toHaveLength(1);
    const lookups = fake.callsTo('conversations.history');
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    expect(lookups[0]?.body).toMatchObject({ channel: SLACK_FEEDBACK, include_all_metadata: 'true' });
    // The poll card is keyed: what was found is brought up to date in place, never posted again.
    expect(fake.callsTo('chat.update').map((c) => c.body.ts)).toEqual([posted?.ts]);
    expect(fake.message(SLACK_FEEDBACK, posted?.ts ?? '')?.text).toContain(QUESTION);
  }, 120_000);

  it('Discord: the restarted bot sends the same nonce and Discord returns the first message', async () => {
    const fake = await FakeDiscordServer.start({ channels: [DISCORD_FEEDBACK] });
    fakes.push(fake);
    const databaseUrl = await freshTestDatabase('opsdesk-once-discord-');
    const extra = { FEEDBACK_CHANNEL: `discord:${DISCORD_FEEDBACK}`, OUTBOX_CLAIM_SECONDS: CLAIM_SECONDS, ...POLL_KEY };

    const first = await startDiscordBot(fake, databaseUrl, { ...extra, ...CRASH });
    running.push(first.bot);
    const driver = new DiscordBotDriver(fake, { kind: 'gateway' });
    const answer = await driver.command({ user: DISCORD_ADMIN, channelId: DISCORD_FEEDBACK, command: 'feedback poll', options: { question: QUESTION } });
    expect(answer.problems).toEqual([]);
    await first.bot.waitForExit();
    expect(fake.messagesIn(DISCORD_FEEDBACK)).toHaveLength(1);
    const creates = () => fake.callsTo('POST /channels/:id/messages').filter((c) => c.path.includes(DISCORD_FEEDBACK));
    const [firstCreate] = creates();
    expect(firstCreate?.body).toMatchObject({ nonce: expect.stringMatching(/./) as unknown, enforce_nonce: true });
    expect(await outboxRows(databaseUrl)).toEqual([{ status: 'pending', claimed_by: expect.stringMatching(/./) as unknown }]);

    const second = await startDiscordBot(fake, databaseUrl, extra);
    running.push(second.bot);
    await waitUntilAllSent(databaseUrl, second.bot);
    // Asked twice with one nonce, Discord created one message and returned it the second time.
    const calls = creates();
    expect(calls).toHaveLength(2);
    const nonces = calls.map((c) => (c.body as { nonce?: unknown }).nonce);
    expect(nonces[1]).toBe(nonces[0]);
    expect(fake.messagesIn(DISCORD_FEEDBACK)).toHaveLength(1);
    const [only] = fake.messagesIn(DISCORD_FEEDBACK);
    expect(calls.map((c) => (c.response as { id?: string }).id)).toEqual([only?.id, only?.id]);
  }, 120_000);
});
