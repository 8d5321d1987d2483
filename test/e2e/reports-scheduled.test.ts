import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBotDriver, FakeDiscordServer, InteractionSigner } from '../fakes/discord/index.js';
import { FakeSlackServer, SlackBotDriver, type SlackUser } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { ClockFile } from '../helpers/clock-file.js';
import { tempSqliteUrl } from '../helpers/db.js';
import { ADMIN as DISCORD_ADMIN, startDiscordBot } from './discord-scenario.js';

const SIGNING_SECRET = 'e2e-reports-signing-secret-0123456';
const MGMT = 'C0MGMT';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const PNG_WIDTH = 1200;

const isPng = (bytes: Buffer | undefined) => bytes?.subarray(1, 4).toString('ascii') === 'PNG' && bytes.readUInt32BE(16) === PNG_WIDTH;

/**
 * Issue #13 items 2 and 3 through the real process: the weekly report fires on the schedule setting
 * by the clock file (TZ_NAME UTC), is posted once to management_channel with its chart uploaded
 * through Slack's upload flow, and a fresh database posts nothing about the time before its first start.
 */
describe('scheduled weekly report on the fake Slack (bot process, clock file)', { timeout: 150_000 }, () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;
  const databaseUrl = tempSqliteUrl('opsdesk-reports-e2e-');
  // A fresh install late on Sunday: the Monday 09:00 fire of this week reported on the week before it.
  // (Jobs follow the clock file minute by minute, so the test keeps its jumps short.)
  const clock = new ClockFile('2026-11-29T23:55:00.000Z');
  const ranAt = (iso: string) => bot.waitForLog(new RegExp(`"job":"reports-scheduled","fire":"${iso.replace(/\./g, '\\.')}"`), 60_000);
  const start = async () => {
    bot = new BotProcess({
      DATABASE_URL: databaseUrl,
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      MANAGEMENT_CHANNEL: `slack:${MGMT}`,
      TZ_NAME: 'UTC',
      OPSDESK_CLOCK_FILE: clock.path,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/, 90_000))[1];
    await bot.waitForLog(/opsdesk started/, 30_000);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  };
  const command = async (text: string) => {
    const answer = await driver.slashCommand({ command: '/ops', text, user: ADMIN });
    expect(answer.problems).toEqual([]);
    return answer;
  };

  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    await start();
  }, 150_000);
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('posts nothing at the first start about the week before it', async () => {
    await ranAt('2026-11-29T23:55:00.000Z');
    expect(fake.filesIn(MGMT)).toEqual([]);
    expect(fake.messagesIn(MGMT)).toEqual([]);
  });

  it('posts the weekly report at the report_schedule fire once, with the PNG through getUploadURLExternal, upload and completeUploadExternal', async () => {
    // The setting takes effect at the next minute, without a restart: Mondays 00:05.
    expect(JSON.stringify((await command('config set report_schedule 5 0 * * 1')).json)).toContain('report_schedule is now 5 0 * * 1');
    clock.set('2026-11-30T00:04:30.000Z');
    await ranAt('2026-11-30T00:04:00.000Z');
    expect(fake.filesIn(MGMT)).toEqual([]);
    clock.set('2026-11-30T00:05:20.000Z');
    const [file] = await fake.waitFor(() => (fake.filesIn(MGMT).length > 0 ? fake.filesIn(MGMT) : undefined), 60_000);
    expect(file?.filename).toBe('weekly-2026-11-23.png');
    expect(isPng(file?.bytes)).toBe(true);
    // The report travels as the share's blocks, which the fake checked against Slack's limits.
    const blocks = JSON.stringify(file?.blocks);
    expect(blocks).toContain('Weekly operations report · 2026-11-23 – 2026-11-29');
    expect(blocks).toContain('Alerts');
    expect(file?.blocks?.length).toBeLessThanOrEqual(50);
    const flow = fake.calls.map((c) => c.method).filter((m) => ['files.getUploadURLExternal', 'upload_url', 'files.completeUploadExternal'].includes(m));
    expect(flow).toEqual(['files.getUploadURLExternal', 'upload_url', 'files.completeUploadExternal']);
    expect(fake.calls.filter((c) => c.status !== 200 || c.response.ok === false)).toEqual([]);

    // Later minutes fire the job again and post nothing more.
    clock.set('2026-11-30T00:07:10.000Z');
    await ranAt('2026-11-30T00:07:00.000Z');
    expect(fake.filesIn(MGMT)).toHaveLength(1);
  });

  it('answers /ops report weekly privately and sends the chart to the manager by DM through the upload flow', async () => {
    const answer = await command('report weekly');
    const replied = await fake.waitFor(() => {
      const text = [JSON.stringify(answer.json ?? ''), ...fake.responseUrlPosts.map((p) => JSON.stringify(p.body)), ...fake.ephemerals.map((e) => JSON.stringify(e))].join('\n');
      return text.includes('Weekly operations report · 2026-11-23 – 2026-11-29') ? text : undefined;
    }, 30_000);
    expect(replied).toContain('The chart is in your direct messages with opsdesk.');
    const dm = await fake.waitFor(() => fake.dmChannelOf(ADMIN.id), 30_000);
    const [chart] = await fake.waitFor(() => (fake.filesIn(dm).length > 0 ? fake.filesIn(dm) : undefined), 30_000);
    expect(chart?.filename).toBe('weekly-2026-11-23.png');
    expect(isPng(chart?.bytes)).toBe(true);
    expect(JSON.stringify(chart?.blocks)).toContain('Chart · Weekly operations report · 2026-11-23 – 2026-11-29');
  });

  it('posts a fire of a changed schedule missed while the bot was down once, at start-up', async () => {
    await command('config set report_schedule 0 10 * * 2');
    await bot.kill();
    // Down over Tuesday 10:00; the next process posts the week before that Tuesday as it starts.
    clock.set('2026-12-01T10:30:00.000Z');
    await start();
    await ranAt('2026-12-01T10:30:00.000Z');
    // The 1 December fire of the monthly reports was missed too: November ended after the first start.
    const files = await fake.waitFor(() => (fake.filesIn(MGMT).length === 3 ? fake.filesIn(MGMT) : undefined), 60_000);
    expect(files.map((f) => f.filename)).toEqual(['weekly-2026-11-23.png', 'weekly-2026-11-24.png', 'monthly-2026-11-01.png']);
    const audit = await fake.waitFor(() => fake.messagesIn(MGMT).find((m) => JSON.stringify(m).includes('Audit report · 2026-11-01 – 2026-11-30')), 30_000);
    expect(JSON.stringify(audit)).toMatch(/\d+:[0-9a-f]{64}/);
    clock.set('2026-12-01T10:32:10.000Z');
    await ranAt('2026-12-01T10:32:00.000Z');
    expect(fake.filesIn(MGMT)).toHaveLength(3);
    expect(fake.messagesIn(MGMT)).toHaveLength(1);
  });
});

describe('scheduled weekly report on the fake Discord (HTTP interactions)', { timeout: 150_000 }, () => {
  const signer = new InteractionSigner();
  const MGMT_DISCORD = '1300000000000000042';
  let fake: FakeDiscordServer;
  let bot: BotProcess;
  let driver: DiscordBotDriver;
  const clock = new ClockFile('2026-11-29T23:55:00.000Z');

  beforeAll(async () => {
    fake = await FakeDiscordServer.start({ channels: [MGMT_DISCORD] });
    const started = await startDiscordBot(fake, tempSqliteUrl('opsdesk-reports-discord-'), {
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      MANAGEMENT_CHANNEL: `discord:${MGMT_DISCORD}`,
      TZ_NAME: 'UTC',
      OPSDESK_CLOCK_FILE: clock.path,
    });
    bot = started.bot;
    driver = new DiscordBotDriver(fake, { kind: 'http', url: `${started.baseUrl}/discord/interactions`, signer });
  }, 150_000);
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('posts the report once with the PNG attached and shown in its embed (attachment://NAME)', async () => {
    const set = await driver.command({ user: DISCORD_ADMIN, channelId: MGMT_DISCORD, command: 'ops config set', options: { key: 'report_schedule', value: '5 0 * * 1' } });
    expect(set.problems).toEqual([]);
    expect(JSON.stringify(set.response)).toContain('report_schedule is now 5 0 * * 1');
    clock.set('2026-11-30T00:05:20.000Z');
    const [message] = await fake.waitFor(() => (fake.messagesIn(MGMT_DISCORD).length > 0 ? fake.messagesIn(MGMT_DISCORD) : undefined), 60_000);
    if (!message) throw new Error('no report');
    expect(message.embeds[0]?.title).toBe('Weekly operations report · 2026-11-23 – 2026-11-29');
    expect(message.embeds[0]?.image).toEqual({ url: 'attachment://weekly-2026-11-23.png' });
    const shown = fake.embedImage(message);
    expect(shown?.contentType).toBe('image/png');
    expect(isPng(shown?.bytes)).toBe(true);
    expect(fake.refusals).toEqual([]);
    clock.set('2026-11-30T00:07:10.000Z');
    await bot.waitForLog(/"job":"reports-scheduled","fire":"2026-11-30T00:07:00\.000Z"/, 60_000);
    expect(fake.messagesIn(MGMT_DISCORD)).toHaveLength(1);
  });

  it('answers /ops report weekly privately and DMs the chart in an embed', async () => {
    const result = await driver.command({ user: DISCORD_ADMIN, channelId: MGMT_DISCORD, command: 'ops report weekly' });
    expect(result.problems).toEqual([]);
    const text = await fake.waitFor(() => {
      const all = JSON.stringify([result.response, ...fake.ephemeralsFor(DISCORD_ADMIN.id).map((m) => m.embeds)]);
      return all.includes('Weekly operations report · 2026-11-23 – 2026-11-29') ? all : undefined;
    }, 30_000);
    expect(text).toContain('The chart is in your direct messages with opsdesk.');
    const dm = await fake.waitFor(() => {
      const channel = fake.dmChannelOf(DISCORD_ADMIN.id);
      return channel ? fake.messagesIn(channel).find((m) => m.attachments.length > 0) : undefined;
    }, 30_000);
    expect(dm.embeds[0]?.image).toEqual({ url: 'attachment://weekly-2026-11-23.png' });
    expect(isPng(fake.embedImage(dm)?.bytes)).toBe(true);
    expect(fake.refusals).toEqual([]);
  });
});
