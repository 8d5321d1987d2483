import { describe, expect, it } from 'vitest';
import { ConfigError, hasDiscord, loadConfig } from '../../src/config.js';
import { discordSettings, restApiBase } from '../../src/platforms/discord/config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabCdE.abcdefghijklmnopqrstuvwxyz0123456789AB';
const APP = '123456789012345678';
const KEY = 'a'.repeat(64);

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Discord configuration', () => {
  it('chooses the gateway with a token and an application id, HTTP interactions with the public key too', () => {
    const gateway = loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP });
    expect(hasDiscord(gateway)).toBe(true);
    expect(discordSettings(gateway)).toEqual({ mode: 'gateway', token: TOKEN, applicationId: APP });
    const http = loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_PUBLIC_KEY: KEY, DISCORD_API_URL: 'http://127.0.0.1:4000/api/v10/', DISCORD_GUILD_ID: APP });
    expect(discordSettings(http)).toEqual({ mode: 'http', token: TOKEN, applicationId: APP, publicKey: KEY, apiUrl: 'http://127.0.0.1:4000/api', guildId: APP });
    expect(hasDiscord(loadConfig({}))).toBe(false);
  });

  it('says which variable is wrong and how to fix it, one line each, without echoing the token', () => {
    const lines = problems({ DISCORD_TOKEN: `Bot ${TOKEN}`, DISCORD_APPLICATION_ID: 'my-app', DISCORD_PUBLIC_KEY: 'xyz', DISCORD_GUILD_ID: '12' });
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_PUBLIC_KEY', 'DISCORD_TOKEN']);
    expect(lines.find((l) => l.startsWith('DISCORD_TOKEN'))).toContain('without "Bot "');
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.find((l) => l.startsWith('DISCORD_PUBLIC_KEY'))).toContain('64 hex characters');
  });

  it('cross-checks the variables that only work together', () => {
    expect(problems({ DISCORD_TOKEN: TOKEN })).toEqual([expect.stringMatching(/^DISCORD_APPLICATION_ID: required with DISCORD_TOKEN/) as string]);
    expect(problems({ DISCORD_PUBLIC_KEY: KEY, DISCORD_APPLICATION_ID: APP })).toEqual([expect.stringMatching(/^DISCORD_TOKEN: required when other DISCORD_\* variables are set/) as string]);
  });

  it('strips a version and trailing slashes from the REST base, which @discordjs/rest adds itself', () => {
    expect(restApiBase('https://discord.com/api/v10')).toBe('https://discord.com/api');
    expect(restApiBase('http://127.0.0.1:4000/api/')).toBe('http://127.0.0.1:4000/api');
    expect(restApiBase(undefined)).toBeUndefined();
  });
});
