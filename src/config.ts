import { existsSync } from 'node:fs';
import { z } from 'zod';
import { PLATFORMS } from './chat/model.js';
import { LOCALES } from './chat/i18n/catalog.js';

const platformRef = z
  .string()
  .regex(new RegExp(`^(${PLATFORMS.join('|')}):[A-Za-z0-9_.-]+$`), 'expected platform:id, e.g. slack:C123 or discord:789');

const optional = (schema: z.ZodString) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const optionalUrl = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.url({ message: 'expected a URL such as http://127.0.0.1:4000/api/' }).optional(),
);

/** Discord ids are snowflakes: 17 to 20 digits. */
const snowflake = (what: string) => z.string().regex(/^\d{17,20}$/, `expected ${what}: 17 to 20 digits`);

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const configSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .default('sqlite:./data/opsdesk.db')
      .refine((v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v), 'expected sqlite:PATH or postgres://...'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    TZ_NAME: z.string().default('UTC').refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin'),
    DEFAULT_LOCALE: z.enum(LOCALES).default('en'),
    ADMIN_USERS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
      .pipe(z.array(platformRef)),
    SLACK_BOT_TOKEN: optional(z.string().startsWith('xoxb-', 'expected a bot token starting with xoxb-')),
    SLACK_SIGNING_SECRET: optional(z.string().min(8, 'expected the signing secret from the Slack app settings')),
    SLACK_APP_TOKEN: optional(z.string().startsWith('xapp-', 'expected an app-level token starting with xapp-')),
    SLACK_API_URL: optionalUrl,
    DISCORD_TOKEN: optional(
      z.string().regex(/^[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{10,}$/, 'expected the bot token from the Discord Developer Portal (Bot -> Reset Token), three parts separated by dots, without "Bot "'),
    ),
    DISCORD_APPLICATION_ID: optional(snowflake('the Application ID from the Developer Portal (General Information)')),
    DISCORD_PUBLIC_KEY: optional(z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected the Public Key from the Developer Portal (General Information): 64 hex characters')),
    DISCORD_API_URL: optionalUrl,
    DISCORD_GUILD_ID: optional(snowflake('a server id (Server Settings -> Widget, or right-click the server with Developer Mode on)')),
    WEBHOOK_TOKEN: optional(z.string().min(16, 'expected at least 16 characters')),
    POLL_SECRET: optional(z.string().min(32, 'expected at least 32 random characters, e.g. from `openssl rand -hex 32`')),
    GRAFANA_WEBHOOK_SECRET: optional(z.string().min(8, 'expected the HMAC secret of the Grafana contact point (at least 8 characters)')),
    GRAFANA_WEBHOOK_SIGNATURE_HEADER: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected an HTTP header name').default('X-Grafana-Alerting-Signature'),
    GRAFANA_WEBHOOK_TIMESTAMP_HEADER: optional(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected an HTTP header name, e.g. X-Grafana-Alerting-Timestamp')),
    WEBHOOK_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
    FAULT_CHANNEL: optional(platformRef),
    CHANGE_CHANNEL: optional(platformRef),
    FEEDBACK_CHANNEL: optional(platformRef),
    MANAGEMENT_CHANNEL: optional(platformRef),
    OPSDESK_CLOCK_FILE: optional(z.string().min(1)),
    // Tests only, and only with NODE_ENV=test (src/outbox/fault-injection.ts).
    OPSDESK_FAULT_INJECT: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.enum(['after-send']).optional()),
    // Below Discord's nonce window ("a few minutes"), so that a retried post after a crash is caught.
    OUTBOX_CLAIM_SECONDS: z.coerce.number().int().min(5, 'expected 5 to 120 seconds').max(120, 'expected 5 to 120 seconds').default(60),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((c, ctx) => {
    if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'required with SLACK_BOT_TOKEN for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
    if (!c.SLACK_BOT_TOKEN && (c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN)) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'required when other SLACK_* variables are set' });
    }
    if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'required with DISCORD_TOKEN (commands are registered for this application)' });
    }
    if (!c.DISCORD_TOKEN && (c.DISCORD_APPLICATION_ID || c.DISCORD_PUBLIC_KEY || c.DISCORD_GUILD_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_TOKEN'],
        message: 'required when other DISCORD_* variables are set (HTTP interactions too: replies and messages use the bot token)',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
  }
}

/** Variables whose whole value is a credential: a problem with one names it but never shows it. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD/;

/**
 * Masks the credentials a URL-like value may carry, for error messages and logs: the password of
 * `scheme://user:password@host` becomes `***` (`user:***@host`), and so do the values of query
 * parameters whose name says password, secret, token or key (node-postgres takes `?password=`).
 * Works on text that is not a valid URL too (`postgresql+asyncpg://...`, an unencoded `@` in the
 * password): the userinfo runs to the last `@` of the value, so a `/` or `?` in the password is
 * masked too (an `@` later in the value masks more than needed, never less).
 */
export function maskCredentials(value: string): string {
  return value
    .replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(.*)@/, (_all, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
    })
    .replace(/([?&][^=&#]*(?:pass|secret|token|key)[^=&#]*=)[^&#]*/gi, '$1***');
}

/**
 * Parses the environment; every problem becomes one line naming the variable, with the offending value
 * (credentials masked, src/config.ts maskCredentials) unless the variable is a secret as a whole.
 * @throws ConfigError listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || 'environment';
    const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
    const shown = value === undefined || SECRET_NAME.test(name) ? '' : ` (got "${maskCredentials(value)}")`;
    return `${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}

export function hasSlack(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN);
}

export function hasDiscord(config: Config): boolean {
  return Boolean(config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID);
}

/** Reads `.env` from the working directory when there is one; real environment variables win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
