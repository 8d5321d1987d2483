// Slack sends no locale with slash commands (it does with clicks, submissions and suggestions:
// inbound.ts), so the locale of someone whose first contact is a command is asked of users.info.
// Each account is asked at most once per process, whatever the answer, and never for long.
import { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { EventHooks } from '../port.js';
import { sdkLogger } from './sdk-logger.js';
import { webClientOptions } from './web-client.js';

/**
 * How long one users.info lookup may take (ms) before the request goes on without it, in
 * DEFAULT_LOCALE. The lookup runs before the command is handled, inside Slack's 3-second window for
 * the ack and for the trigger_id a form needs (PLATFORM-FACTS.md); the answer is wanted within
 * replyBudgetMs (2.2 s, listeners.ts). Users.info normally answers in tens of milliseconds, so 1 s
 * leaves a slow Slack time to answer and still more than a second for the command itself.
 */
export const LOCALE_LOOKUP_TIMEOUT_MS = 1_000;

/**
 * Accounts remembered as looked up in this process, the least recently asked forgotten first. Each
 * entry is an account id and a short locale string (about 100 bytes), so the cap bounds the memory
 * to about 1 MB; a workspace with more people who use the bot than this asks again for the ones
 * forgotten, one Tier 4 call (100+ per minute) each.
 */
export const LOOKED_UP_CAP = 10_000;

/** What users.info gives the lookup: Slack's answer, reduced to what is used. */
export type UsersInfo = (userId: string) => Promise<string | undefined>;

/**
 * The `users.info` lookup over its own WebClient, with LOCALE_LOOKUP_TIMEOUT_MS as the client's
 * timeout (the call is aborted then, not left running) and no retries. Resolves to the `locale` of
 * the answer (Slack spells it `zh-CN`, `en-US`), only present because `include_locale` is true
 * (https://api.slack.com/methods/users.info; scope `users:read`, in the manifest); rejects with the
 * Web API's errors (`user_not_found`, a timeout, a 429).
 */
export function slackUsersInfo(token: string, apiUrl: string | undefined, logger: Logger): UsersInfo {
  const client = new WebClient(token, { ...webClientOptions(apiUrl), timeout: LOCALE_LOOKUP_TIMEOUT_MS, logger: sdkLogger(logger, 'slack-web-api') });
  return async (userId) => {
    const answer = await client.users.info({ user: userId, include_locale: true });
    const locale = answer.user?.locale;
    return locale ? locale : undefined;
  };
}

/**
 * The Slack adapter's EventHooks.localeOf: users.info once per account per process. A lookup that
 * failed, timed out or gave no locale is remembered like one that succeeded, so a person whose Slack
 * gives nothing costs one call per process, not one per command; two requests of the same account at
 * once share one call. Never rejects.
 */
export class SlackUserLocales implements Required<EventHooks> {
  /** By account id, the lookup (settled or not), least recently asked first. */
  private readonly lookups = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly usersInfo: UsersInfo,
    private readonly logger: Logger,
    private readonly cap = LOOKED_UP_CAP,
  ) {}

  localeOf(userId: string): Promise<string | undefined> {
    const known = this.lookups.get(userId);
    if (known) {
      // Most recently asked goes last, so that the people who use the bot are the ones kept.
      this.lookups.delete(userId);
      this.lookups.set(userId, known);
      return known;
    }
    const lookup = this.ask(userId);
    this.lookups.set(userId, lookup);
    for (const oldest of this.lookups.keys()) {
      if (this.lookups.size <= this.cap) break;
      this.lookups.delete(oldest);
    }
    return lookup;
  }

  private async ask(userId: string): Promise<string | undefined> {
    try {
      return await this.usersInfo(userId);
    } catch (error) {
      this.logger.warn({ err: error, user: userId }, 'slack: users.info gave no locale; the default locale applies');
      return undefined;
    }
  }
}
