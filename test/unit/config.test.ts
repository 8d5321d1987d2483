import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('sqlite:./data/opsdesk.db');
    expect(config.PORT).toBe(3000);
    expect(config.TZ_NAME).toBe('UTC');
    expect(config.DEFAULT_LOCALE).toBe('en');
    expect(config.ADMIN_USERS).toEqual([]);
  });

  it('parses ADMIN_USERS and channels', () => {
    const config = loadConfig({ ADMIN_USERS: 'slack:U1, discord:42', FAULT_CHANNEL: 'slack:C9' });
    expect(config.ADMIN_USERS).toEqual(['slack:U1', 'discord:42']);
    expect(config.FAULT_CHANNEL).toBe('slack:C9');
  });

  it('reports one line per problem, naming the variable, never echoing secrets', () => {
    try {
      loadConfig({ PORT: 'eighty', TZ_NAME: 'Mars/Base', DEFAULT_LOCALE: 'fr', SLACK_BOT_TOKEN: 'xoxp-secret-value', FAULT_CHANNEL: 'C123' });
      expect.unreachable('bad configuration must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DEFAULT_LOCALE', 'FAULT_CHANNEL', 'PORT', 'SLACK_BOT_TOKEN', 'TZ_NAME']);
      expect(problems.join('\n')).not.toContain('xoxp-secret-value');
    }
  });

  it('masks the password of a URL it echoes, and the credentials in its query', () => {
    const problems = (env: NodeJS.ProcessEnv): string => {
      try {
        loadConfig(env);
      } catch (error) {
        if (error instanceof ConfigError) return error.problems.join('\n');
      }
      throw new Error('bad configuration must throw');
    };
    const db = problems({ DATABASE_URL: 'postgresql+asyncpg://opsdesk:SuperSecretPw@db.internal:5432/ops' });
    expect(db).toContain('DATABASE_URL: expected sqlite:PATH or postgres://... (got "postgresql+asyncpg://opsdesk:***@db.internal:5432/ops")');
    expect(db).not.toContain('SuperSecretPw');
    // A `/` or `?` in an unencoded password does not end the masking early.
    const slash = problems({ DATABASE_URL: 'postgresql+x://opsdesk:Sec/ret?Pw@db.internal/ops' });
    expect(slash).not.toMatch(/Sec\/ret|ret\?Pw/);
    expect(slash).toContain('(got "postgresql+x://opsdesk:***@db.internal/ops")');
    // An unencoded @ in the password, and node-postgres's ?password= parameter.
    const api = problems({ SLACK_API_URL: 'https://bot:pa@ss@slack host/api?password=Hidden1&sslkey=Hidden2&x=1', DATABASE_URL: 'mysql://u@h/db?Password=Hidden3' });
    expect(api).not.toMatch(/pa@ss|Hidden1|Hidden2|Hidden3/);
    expect(api).toContain('(got "https://bot:***@slack host/api?password=***&sslkey=***&x=1")');
    expect(api).toContain('(got "mysql://u@h/db?Password=***")');
    // Whole secrets are never shown, whatever their problem.
    const secrets = problems({ POLL_SECRET: 'short-but-secret', WEBHOOK_TOKEN: 'tok-secret', GRAFANA_WEBHOOK_SECRET: 'g', SLACK_SIGNING_SECRET: 'sig', DISCORD_TOKEN: 'discord-secret' });
    expect(secrets).not.toMatch(/short-but-secret|tok-secret|"g"|"sig"|discord-secret/);
    expect(secrets).toContain('POLL_SECRET: expected at least 32 random characters');
  });

  it('needs a signing secret or an app token with the Slack bot token', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN/);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).SLACK_APP_TOKEN).toBe('xapp-1');
  });
});
