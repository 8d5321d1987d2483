// `npm run register:discord`: registers the slash commands globally for DISCORD_APPLICATION_ID.
//   --guild ID   into one server instead (visible at once; handy while trying the bot)
//   --print      print the command payloads as JSON and register nothing
import { COMMANDS } from '../../../commands/index.js';
import { ConfigError, loadConfig, loadDotEnv } from '../../config.js';
import { commandPayloads } from './commands.js';
import { discordSettings } from './config.js';
import { registerCommands } from './register.js';
import { createRest } from './rest.js';

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  if (process.argv.includes('--print')) {
    process.stdout.write(`${JSON.stringify(commandPayloads(COMMANDS), null, 2)}\n`);
    return;
  }
  loadDotEnv();
  const settings = discordSettings(loadConfig());
  if (!settings) throw new Error('set DISCORD_TOKEN and DISCORD_APPLICATION_ID (see .env.example) to register the commands');
  const guildId = argValue('--guild');
  if (guildId !== undefined && !/^\d{17,20}$/.test(guildId)) throw new Error('--guild expects a server id (17 to 20 digits)');
  const rest = createRest({ token: settings.token, ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}) });
  const count = await registerCommands(rest, settings.applicationId, COMMANDS, guildId);
  process.stdout.write(
    guildId
      ? `Registered ${count} commands in server ${guildId}.\n`
      : `Registered ${count} commands globally; Discord may take a few minutes to show them everywhere.\n`,
  );
}

main().catch((error: unknown) => {
  const lines = error instanceof ConfigError ? error.problems : [error instanceof Error ? error.message : String(error)];
  process.stderr.write(`discord command registration failed:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  process.exit(1);
});
