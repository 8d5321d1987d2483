import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBotDriver, FakeDiscordServer } from '../fakes/discord/index.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';
import { overviewScenarioOnDiscord } from './discord-overview.js';
import { customIdsOf, textOf } from '../fakes/discord/index.js';
import { ANNA, FAULTS, OPS, REPORT, answeredWell, faultScenarioOnDiscord, messageOf, modalOf, startDiscordBot, type DiscordWorld } from './discord-scenario.js';

describe('the bot process on the fake Discord gateway', () => {
  let fake: FakeDiscordServer;
  let bot: BotProcess;
  let world: DiscordWorld;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await freshTestDatabase('opsdesk-discord-gw-');
    fake = await FakeDiscordServer.start({ channels: [FAULTS], heartbeatIntervalMs: 300 });
    const started = await startDiscordBot(fake, databaseUrl);
    bot = started.bot;
    world = { fake, bot, baseUrl: started.baseUrl, driver: new DiscordBotDriver(fake, { kind: 'gateway' }) };
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('logs in through GET /gateway/bot, identifies with the Guilds intent only, keeps heartbeating and reports ready', async () => {
    expect(fake.callsTo('GET /gateway/bot').map((c) => c.status)).toEqual([200]);
    expect(fake.identifies.map((i) => i.intents)).toEqual([1]);
    await fake.waitFor(() => (fake.heartbeats.length >= 2 ? true : undefined), 3_000);
    const ready = await fetch(`${world.baseUrl}/readyz`);
    expect(await ready.json()).toEqual({ ready: true, checks: { running: true, migrations: true, database: true, discord: true } });
  });

  faultScenarioOnDiscord(() => world);
  overviewScenarioOnDiscord(() => world);

  it('stops cleanly, and a form half filled in before a restart is finished after it', async () => {
    const opened = answeredWell(await world.driver.command({ user: ANNA, channelId: OPS, command: 'fault report' }));
    const submitted = answeredWell(await world.driver.submitModal({ user: ANNA, modal: modalOf(fake, opened), values: { ...REPORT, title: 'Badge reader dead' } }));
    const step = messageOf(fake, submitted);

    expect(await bot.stop()).toBe(0);
    await fake.waitFor(() => (fake.connectedSockets === 0 ? true : undefined));
    const restarted = await startDiscordBot(fake, databaseUrl);
    bot = restarted.bot;
    world = { ...world, bot, baseUrl: restarted.baseUrl };
    expect(fake.identifies).toHaveLength(2);

    const picked = answeredWell(await world.driver.select({ user: ANNA, message: step, customId: customIdsOf(step).find((id) => id.endsWith('|category')) ?? '', values: ['hardware'] }));
    const report = answeredWell(await world.driver.click({ user: ANNA, message: messageOf(fake, picked), customId: customIdsOf(step).find((id) => id.endsWith('|next')) ?? '' }));
    expect(messageOf(fake, report).content).toContain('INC-3 (P3) is reported');
    await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => textOf(m).includes('INC-3 · P3 · Badge reader dead')));
  });
});
