import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBotDriver, FakeDiscordServer, InteractionSigner, validateCommands } from '../fakes/discord/index.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';
import { overviewScenarioOnDiscord } from './discord-overview.js';
import { ADMIN, ANNA, FAULTS, OPS, ephemeralText, faultScenarioOnDiscord, startDiscordBot, type DiscordWorld } from './discord-scenario.js';

describe('the bot process answering Discord HTTP interactions', () => {
  const signer = new InteractionSigner();
  let fake: FakeDiscordServer;
  let bot: BotProcess;
  let world: DiscordWorld;

  beforeAll(async () => {
    fake = await FakeDiscordServer.start({ channels: [FAULTS] });
    const started = await startDiscordBot(fake, await freshTestDatabase('opsdesk-discord-http-'), { DISCORD_PUBLIC_KEY: signer.publicKeyHex });
    bot = started.bot;
    const url = `${started.baseUrl}/discord/interactions`;
    world = { fake, bot, baseUrl: started.baseUrl, driver: new DiscordBotDriver(fake, { kind: 'http', url, signer }) };
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('uses no gateway, proves the token with GET /users/@me and answers PING with {"type":1}', async () => {
    expect(fake.callsTo('GET /gateway/bot')).toEqual([]);
    expect(fake.connectedSockets).toBe(0);
    expect(fake.callsTo('GET /users/@me').map((c) => c.status)).toEqual([200]);
    expect(await world.driver.ping()).toEqual({ status: 200, body: '{"type":1}' });
    const ready = await fetch(`${world.baseUrl}/readyz`);
    expect(await ready.json()).toEqual({ ready: true, checks: { running: true, migrations: true, database: true, discord: true } });
  });

  it("refuses Discord's bad-signature spot checks and forged commands with 401, and stores nothing", async () => {
    for (const mode of ['forged', 'tampered', 'stale', 'missing'] as const) {
      expect((await world.driver.ping(mode)).status).toBe(401);
      const evil = { id: '1111111111111111111', username: 'evil' };
      const forged = await world.driver.command({ user: ADMIN, channelId: OPS, command: 'ops role add', options: { user: evil, role: 'admin' } }, mode);
      expect(forged.status).toBe(401);
      expect(forged.response).toBeUndefined();
      const report = await world.driver.command({ user: ANNA, channelId: OPS, command: 'fault report' }, mode);
      expect(report.status).toBe(401);
    }
    expect(fake.modals).toEqual([]);
    expect(ephemeralText(fake, ADMIN)).toEqual([]);
    const list = await world.driver.command({ user: ADMIN, channelId: OPS, command: 'ops role list' });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.response)).not.toContain('evil');
    // Only the bootstrap admin holds a role.
    expect(list.response).toMatchObject({ type: 4, data: { embeds: [{ title: 'Roles', description: 'admin: admin' }] } });
  });

  faultScenarioOnDiscord(() => world);
  overviewScenarioOnDiscord(() => world);

  it('registers the same commands globally with `npm run register:discord`', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const { stdout } = await promisify(execFile)(resolve(root, 'node_modules/.bin/tsx'), ['src/platforms/discord/register-cli.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DISCORD_TOKEN: fake.botToken, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl },
    });
    expect(stdout).toMatch(/^Registered \d+ commands globally/);
    expect(validateCommands(fake.registered.global)).toEqual([]);
    expect(fake.registered.global?.map((c) => c.name)).toEqual(fake.registered.guilds.get(fake.guildId)?.map((c) => c.name));
  });
});
