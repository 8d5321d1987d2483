// One bot process serving Slack and Discord against one database: a person links their two accounts
// with /ops link, a fault reported on Discord is announced in the Slack fault channel and acknowledged
// there by the linked engineer, and the other way round once the fault channel is on Discord.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBotDriver, FakeDiscordServer, customIdsOf, snowflake, textOf } from '../fakes/discord/index.js';
import { FakeSlackServer, SlackBotDriver, type SlackUser, type StoredMessage } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';
import { ADMIN as DISCORD_ADMIN, ANNA as DISCORD_ANNA, FAULTS as DISCORD_FAULTS, OPS, REPORT, answeredWell, dmsTo, reportFault } from './discord-scenario.js';

const SIGNING_SECRET = 'e2e-signing-secret-cross-platform';
const SLACK_FAULTS = 'C0FAULTS';
const SLACK_ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const SLACK_LI_WEI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };
const SLACK_SAM: SlackUser = { id: 'U0SAM', name: 'sam' };
const DISCORD_LI_WEI = { id: snowflake(), username: 'liwei', globalName: 'Li Wei' };

function slackText(message: { text: string; blocks: unknown[] } | undefined): string {
  return message ? `${message.text}\n${JSON.stringify(message.blocks)}` : '';
}

function slackButtons(message: StoredMessage | undefined): string[] {
  const ids: string[] = [];
  for (const block of message?.blocks ?? []) {
    const elements = (block as { type?: string; elements?: { action_id?: string }[] }).type === 'actions' ? ((block as { elements?: { action_id?: string }[] }).elements ?? []) : [];
    for (const element of elements) if (element.action_id) ids.push(element.action_id);
  }
  return ids;
}

describe('one process on Slack and Discord, with linked accounts', () => {
  let slack: FakeSlackServer;
  let discord: FakeDiscordServer;
  let bot: BotProcess;
  let slackDriver: SlackBotDriver;
  let discordDriver: DiscordBotDriver;
  let baseUrl: string;

  /** What the bot answered a Slack user privately: in the ack, by response_url or as an ephemeral. */
  const slackPrivate = (user: SlackUser, answer?: { json: unknown }) =>
    [JSON.stringify(answer?.json ?? ''), ...slack.ephemerals.filter((e) => e.user === user.id).map(slackText), ...slack.responseUrlPosts.map((p) => JSON.stringify(p.body))].join('\n');

  beforeAll(async () => {
    slack = await FakeSlackServer.start();
    discord = await FakeDiscordServer.start({ channels: [DISCORD_FAULTS] });
    bot = new BotProcess({
      DATABASE_URL: await freshTestDatabase('opsdesk-cross-'),
      PORT: '0',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.botToken,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guildId,
      ADMIN_USERS: `slack:${SLACK_ADMIN.id},discord:${DISCORD_ADMIN.id}`,
      FAULT_CHANNEL: `slack:${SLACK_FAULTS}`,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/, 45_000))[1];
    await bot.waitForLog(/opsdesk started/, 30_000);
    baseUrl = `http://127.0.0.1:${port}`;
    slackDriver = new SlackBotDriver({ fake: slack, eventsUrl: `${baseUrl}/slack/events`, signingSecret: SIGNING_SECRET });
    discordDriver = new DiscordBotDriver(discord, { kind: 'gateway' });
  });
  afterAll(async () => {
    await bot?.kill();
    await slack?.stop();
    await discord?.stop();
  });

  it('runs both adapters and reports both ready', async () => {
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(await ready.json()).toEqual({ ready: true, checks: { running: true, migrations: true, database: true, slack: true, discord: true } });
  });

  it('links the Slack and Discord accounts of one engineer with a one-time code', async () => {
    const granted = await slackDriver.slashCommand({ command: '/ops', text: `role add <@${SLACK_LI_WEI.id}|${SLACK_LI_WEI.name}> engineer`, user: SLACK_ADMIN });
    expect(JSON.stringify(granted.json)).toContain('li.wei is now engineer');

    const asked = answeredWell(await discordDriver.command({ user: DISCORD_LI_WEI, channelId: OPS, command: 'ops link' }));
    expect(asked.response).toMatchObject({ type: 4, data: { flags: 64 } });
    const code = /\b([A-Z2-9]{4}-[A-Z2-9]{4})\b/.exec(JSON.stringify(asked.response))?.[1];
    expect(code).toBeDefined();

    // The code works on the other platform only.
    const samePlatform = answeredWell(await discordDriver.command({ user: DISCORD_LI_WEI, channelId: OPS, command: 'ops link', options: { code: code ?? '' } }));
    expect(JSON.stringify(samePlatform.response)).toContain('This code was made on Discord');

    const linked = await slackDriver.slashCommand({ command: '/ops', text: `link ${code?.toLowerCase() ?? ''}`, user: SLACK_LI_WEI });
    expect(linked.status).toBe(200);
    await slack.waitFor(() => (slackPrivate(SLACK_LI_WEI, linked).includes('Linked: your Slack, Discord accounts are now one person, li.wei') ? true : undefined), 5_000);
    expect(slackPrivate(SLACK_LI_WEI, linked)).toContain('with the roles: engineer');

    const again = await slackDriver.slashCommand({ command: '/ops', text: `link ${code ?? ''}`, user: SLACK_SAM });
    await slack.waitFor(() => (slackPrivate(SLACK_SAM, again).includes('That code is not valid, was used already or has expired') ? true : undefined), 5_000);
  });

  it('announces a fault reported on Discord in the Slack channel; the linked engineer acknowledges it on Slack', async () => {
    const reported = await reportFault({ fake: discord, driver: discordDriver }, DISCORD_ANNA, REPORT, { category: 'network', impact: '1' });
    expect(reported.content).toContain('INC-1 (P2) is reported');
    const card = () => slack.messagesIn(SLACK_FAULTS).find((m) => m.text.includes('INC-1'));
    const announced = await slack.waitFor(card, 5_000);
    expect(slackText(announced)).toContain('🟠 INC-1 · P2 · Mail server unreachable');
    // Anna has no Slack account: the Slack card names her instead of mentioning her.
    expect(slackText(announced)).toContain('anna');
    expect(discord.messagesIn(DISCORD_FAULTS)).toEqual([]);
    await discord.waitFor(() => dmsTo(discord, DISCORD_ANNA).find((m) => textOf(m).includes('We received your fault report INC-1')));

    const click = await slackDriver.clickButton({ channelId: SLACK_FAULTS, ts: announced.ts, actionId: 'fault.ack', user: SLACK_LI_WEI });
    expect(click.status).toBe(200);
    const updated = await slack.waitFor(() => (card()?.version === 2 ? card() : undefined), 5_000);
    expect(slackText(updated)).toContain(`Acknowledged by <@${SLACK_LI_WEI.id}>`);
    expect(slackButtons(updated)).toEqual(['fault.start', 'fault.resolve', 'fault.wait', 'fault.reassign']);
    // Anna hears it on Discord, where the engineer is mentioned with his Discord account: one person.
    await discord.waitFor(() => dmsTo(discord, DISCORD_ANNA).find((m) => textOf(m).includes(`<@${DISCORD_LI_WEI.id}> acknowledged INC-1`)));
  });

  it('shows one person holding the role, whichever platform asks', async () => {
    const shown = answeredWell(await discordDriver.command({ user: DISCORD_LI_WEI, channelId: OPS, command: 'fault show', options: { id: 'INC-1' } }));
    // The person carries the name of the account they last acted from (here: Discord's "Li Wei").
    expect(JSON.stringify(shown.response)).toMatch(/(li\.wei|Li Wei): acknowledged/);
    expect(JSON.stringify(shown.response)).toMatch(/Acknowledged by @(li\.wei|Li Wei) at/);
    const roles = answeredWell(await discordDriver.command({ user: DISCORD_ADMIN, channelId: OPS, command: 'ops role list' }));
    const list = JSON.stringify(roles.response);
    expect(list).toMatch(/(li\.wei|Li Wei): engineer/);
    expect(list.match(/engineer/g)).toHaveLength(1);
  });

  it('announces a fault reported on Slack in the Discord channel once fault_channel is discord:ID', async () => {
    const set = await slackDriver.slashCommand({ command: '/ops', text: `config set fault_channel discord:${DISCORD_FAULTS}`, user: SLACK_ADMIN });
    await slack.waitFor(() => (slackPrivate(SLACK_ADMIN, set).includes(`discord:${DISCORD_FAULTS}`) ? true : undefined), 5_000);

    await slackDriver.slashCommand({ command: '/fault', user: SLACK_SAM });
    const view = await slack.waitFor(() => slack.views.find((v) => v.view.callback_id === 'fault.report'), 5_000);
    const submitted = await slackDriver.submitView({
      view,
      values: { title: 'VPN down', description: 'Nobody can connect from home', category: 'network', impact: '2', urgency: '1', affectedSystem: 'vpn-gw' },
      user: SLACK_SAM,
    });
    expect(submitted.status).toBe(200);
    const posted = await discord.waitFor(() => discord.messagesIn(DISCORD_FAULTS).find((m) => textOf(m).includes('INC-2 ·')), 5_000);
    expect(textOf(posted)).toContain('INC-2 · P2 · VPN down');
    expect(customIdsOf(posted)).toEqual(['a|fault.ack|INC-2', 'a|fault.resolve|INC-2', 'a|fault.reassign|INC-2']);
    // The Slack reporter is told on Slack.
    await slack.waitFor(() => {
      const channel = slack.dmChannelOf(SLACK_SAM.id);
      return channel ? slack.messagesIn(channel).find((m) => m.text.includes('We received your fault report INC-2')) : undefined;
    }, 5_000);

    // The linked engineer acknowledges this one on Discord: the card there changes in place.
    const ack = answeredWell(await discordDriver.click({ user: DISCORD_LI_WEI, message: posted, customId: 'a|fault.ack|INC-2' }));
    expect(ack.response?.type).toBe(6);
    const updated = await discord.waitFor(() => {
      const current = discord.message(posted.id);
      return current && current.version === 2 ? current : undefined;
    });
    expect(textOf(updated)).toMatch(/Acknowledged by @(li\.wei|Li Wei) at/);
    expect(discord.refusals).toEqual([]);
  });

  it('leaves the audit chain intact after the merge', async () => {
    const verify = await slackDriver.slashCommand({ command: '/ops', text: 'audit verify', user: SLACK_ADMIN });
    await slack.waitFor(() => (/The audit log is intact/.test(slackPrivate(SLACK_ADMIN, verify)) ? true : undefined), 5_000);
  });
});
