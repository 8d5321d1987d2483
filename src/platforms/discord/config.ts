// Discord's part of the configuration: which mode, which application, where the REST API is.
import type { Config } from '../../config.js';

export type DiscordMode = 'gateway' | 'http';

export interface DiscordSettings {
  /** `gateway` (discord.js over a WebSocket) or `http` (interactions at POST /discord/interactions). */
  mode: DiscordMode;
  token: string;
  applicationId: string;
  /** Hex Ed25519 public key of the application; set, it switches to HTTP interactions. */
  publicKey?: string;
  /** REST base without the version (`http://127.0.0.1:4000/api`); Discord's own when unset. */
  apiUrl?: string;
  /** Commands are registered into this server at start-up (instantly visible, for trying out). */
  guildId?: string;
}

/** The REST base @discordjs/rest expects: no trailing slash and no `/v10` (it adds the version itself). */
export function restApiBase(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.replace(/\/+$/, '').replace(/\/v\d+$/, '');
}

/** Discord's settings, or undefined when Discord is not configured. */
export function discordSettings(config: Config): DiscordSettings | undefined {
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) return undefined;
  const settings: DiscordSettings = {
    mode: config.DISCORD_PUBLIC_KEY ? 'http' : 'gateway',
    token: config.DISCORD_TOKEN,
    applicationId: config.DISCORD_APPLICATION_ID,
  };
  if (config.DISCORD_PUBLIC_KEY) settings.publicKey = config.DISCORD_PUBLIC_KEY;
  const apiUrl = restApiBase(config.DISCORD_API_URL);
  if (apiUrl) settings.apiUrl = apiUrl;
  if (config.DISCORD_GUILD_ID) settings.guildId = config.DISCORD_GUILD_ID;
  return settings;
}
