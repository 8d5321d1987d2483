import { afterAll, beforeAll, describe } from 'vitest';
import { DiscordBotDriver, FakeDiscordServer, InteractionSigner } from '../fakes/discord/index.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { tempSqliteUrl } from '../helpers/db.js';
import { CI_WEBHOOK_TOKEN, ciAutocompleteScenarioOnDiscord } from './discord-ci-autocomplete.js';
import { FAULTS, startDiscordBot, type DiscordWorld } from './discord-scenario.js';

describe.each(['http', 'gateway'] as const)('configuration item autocomplete through the bot process (Discord %s mode)', (mode) => {
  let fake: FakeDiscordServer;
  let bot: BotProcess;
  let world: DiscordWorld;

  beforeAll(async () => {
    fake = await FakeDiscordServer.start({ channels: [FAULTS] });
    const signer = new InteractionSigner();
    const extra = { WEBHOOK_TOKEN: CI_WEBHOOK_TOKEN, ...(mode === 'http' ? { DISCORD_PUBLIC_KEY: signer.publicKeyHex } : {}) };
    const started = await startDiscordBot(fake, tempSqliteUrl(`opsdesk-discord-ci-${mode}-`), extra);
    bot = started.bot;
    const driver = new DiscordBotDriver(fake, mode === 'http' ? { kind: 'http', url: `${started.baseUrl}/discord/interactions`, signer } : { kind: 'gateway' });
    world = { fake, bot, baseUrl: started.baseUrl, driver };
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  ciAutocompleteScenarioOnDiscord(() => world);
});
