// Registers the slash commands: into one server at start-up (DISCORD_GUILD_ID, visible at once), or
// globally with `npm run register:discord`. A bulk overwrite (PUT) replaces whatever was there, so
// removed commands disappear too.
import type { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import type { CommandDef } from '../../chat/command-def.js';
import { commandPayloads } from './commands.js';

export async function registerCommands(rest: REST, applicationId: string, commands: readonly CommandDef[], guildId?: string): Promise<number> {
  const body = commandPayloads(commands);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  await rest.put(route, { body });
  return body.length;
}
