// Issue 9, item 1 on Discord: a fault reported with masked links, headings and mention syntax is
// announced with all of it neutralised; only the bot's own mention of the reporter is live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBotDriver, FakeDiscordServer, InteractionSigner, textOf } from '../fakes/discord/index.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';
import { discordLiveMarkup, discordMarkdownTexts } from '../helpers/live-markup.js';
import { ANNA, FAULTS, dmsTo, reportFault, startDiscordBot, type DiscordWorld } from './discord-scenario.js';

const HOSTILE = {
  title: '@everyone [urgent](https://evil.example)',
  description: '# Official notice\n@everyone @here see [the fix](https://evil.example), ask <@123456789012345678> in <#987654321098765432> or <@&555555555555555555>\n-# small print',
  affectedSystem: '[mail-01](https://evil.example)',
};

describe('user text that looks like Discord markdown, through the bot process', () => {
  const signer = new InteractionSigner();
  let fake: FakeDiscordServer;
  let bot: BotProcess;
  let world: DiscordWorld;

  beforeAll(async () => {
    fake = await FakeDiscordServer.start({ channels: [FAULTS] });
    const started = await startDiscordBot(fake, await freshTestDatabase('opsdesk-discord-text-'), { DISCORD_PUBLIC_KEY: signer.publicKeyHex });
    bot = started.bot;
    world = { fake, bot, baseUrl: started.baseUrl, driver: new DiscordBotDriver(fake, { kind: 'http', url: `${started.baseUrl}/discord/interactions`, signer }) };
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('announces the fault with masked links, headings and mentions neutralised and nobody pinged', async () => {
    await reportFault(world, ANNA, HOSTILE, { category: 'network', impact: '1', urgency: '2' });
    const card = await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => textOf(m).includes('INC-1')), 8_000);
    expect(discordMarkdownTexts(card).flatMap(discordLiveMarkup)).toEqual([`<@${ANNA.id}>`]);
    const shown = discordMarkdownTexts(card).join('\n');
    expect(shown).toContain('\\# Official notice');
    expect(shown).toContain('\\[the fix\\](https://evil.example)');
    expect(shown).toContain('\\<@123456789012345678>');

    const receipt = await fake.waitFor(() => dmsTo(fake, ANNA).find((m) => textOf(m).includes('INC-1')), 5_000);
    expect(discordMarkdownTexts(receipt).flatMap(discordLiveMarkup).filter((live) => live !== `<@${ANNA.id}>`)).toEqual([]);
    const sent = fake.callsTo('POST /channels/:id/messages');
    expect(sent.length).toBeGreaterThan(0);
    for (const call of sent) expect(call.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });
});
