// Slack sends the user's locale with none of the requests the bot receives (slash commands, clicks,
// form submissions, option menus, app_home_opened), so the locale of someone with none stored is
// asked of users.info. Each account is asked at most once per process, and never for long.
import { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { EventHooks } from '../port.js';
import { sdkLogger } from './sdk-logger.js';
import { webClientOptions } from './web-client.js';

/**
 * How long a request waits for a users.info lookup (ms), from the moment it asks, before it goes on
 * without it in DEFAULT_LOCALE. The lookup runs before the command is handled, inside Slack's
 * 3-second window for the ack and for the trigger_id a form needs (PLATFORM-FACTS.md); the answer is
 * wanted within replyBudgetMs (2.2 s, listeners.ts). Users.info normally answers in tens of
 * milliseconds, so 1 s leaves a slow Slack time to answer and more than a second for the command.
 */
export const LOCALE_LOOKUP_TIMEOUT_MS = 1_000;

/**
 * At most this many lookups in flight at once; a request that would start one more goes on at once
 * in DEFAULT_LOCALE, and its person is asked about on a later request. A burst of new people (a
 * channel invited at once) then costs no one their 3-second window: the Web API client queues calls
 * past its own concurrency (100) before its per-call timeout starts, and users.info is a Tier 4
 * method (100+ a minute), so a bigger burst would only run into its rate limit.
 */
export const MAX_LOOKUPS_IN_FLIGHT = 20;

/**
 * Accounts remembered as looked up in this process, the least recently asked forgotten first. Each
 * entry is an account id and a short locale string (about 100 bytes), so the cap bounds the memory
 * to about 1 MB; a workspace with more people who use the bot than this asks again for the ones
 * forgotten, one call each.
 */
export const LOOKED_UP_CAP = 10_000;

/** Longest locale taken from users.info: a BCP 47 tag as platforms spell it (`zh-Hans-CN`) is far shorter. */
const MAX_LOCALE_LENGTH = 35;

/** What users.info gives the lookup: Slack's answer, reduced to what is used. */
export type UsersInfo = (userId: string) => Promise<string | undefined>;

/**
 * The `users.info` lookup over its own WebClient, with LOCALE_LOOKUP_TIMEOUT_MS as the client's
 * timeout (the call is aborted then, not left running) and no retries. Resolves to the `locale` of
 * the answer (Slack spells it `zh-CN`, `en-US`), only present because `include_locale` is true
 * (https://api.slack.com/methods/users.info; scope `users:read`, in the manifest), or undefined when
 * it is missing or not a short string; rejects with the Web API's errors (`user_not_found`, a
 * timeout, a 429).
 */
export function slackUsersInfo(token: string, apiUrl: string | undefined, logger: Logger): UsersInfo {
  const client = new WebClient(token, { ...webClientOptions(apiUrl), timeout: LOCALE_LOOKUP_TIMEOUT_MS, logger: sdkLogger(logger, 'slack-web-api') });
  return async (userId) => {
    const answer = await client.users.info({ user: userId, include_locale: true });
    // The SDK's types say string; the wire can say anything, and this value is matched and stored.
    const locale: unknown = answer.user?.locale;
    return typeof locale === 'string' && locale.length > 0 && locale.length <= MAX_LOCALE_LENGTH ? locale : undefined;
  };
}

/**
 * The Slack adapter's EventHooks.localeOf: users.info once per account per process, waited for at
 * most LOCALE_LOOKUP_TIMEOUT_MS. A lookup that failed or gave no locale is remembered like one that
 * succeeded, so a person whose Slack gives nothing costs one call per process, not one per command;
 * an answer that comes after its request stopped waiting serves that person's next request; two
 * requests of the same account at once share one call; past MAX_LOOKUPS_IN_FLIGHT nothing is asked.
 * Never rejects.
 */
export class SlackUserLocales implements Required<EventHooks> {
  /** By account id, the lookup (settled or not), least recently asked first. */
  private readonly lookups = new Map<string, Promise<string | undefined>>();
  /** Lookups that have settled (their answer): a person Slack gave no locale for asks on every click. */
  private readonly settled = new WeakMap<Promise<string | undefined>, { locale: string | undefined }>();
  private inFlight = 0;

  constructor(
    private readonly usersInfo: UsersInfo,
    private readonly logger: Logger,
    private readonly cap = LOOKED_UP_CAP,
    private readonly timeoutMs = LOCALE_LOOKUP_TIMEOUT_MS,
    private readonly maxInFlight = MAX_LOOKUPS_IN_FLIGHT,
  ) {}

  localeOf(userId: string): Promise<string | undefined> {
    let lookup = this.lookups.get(userId);
    if (lookup) {
      // Most recently asked goes last, so that the people who use the bot are the ones kept.
      this.lookups.delete(userId);
    } else {
      if (this.inFlight >= this.maxInFlight) return Promise.resolve(undefined);
      const asked = this.ask(userId);
      void asked.then((locale) => this.settled.set(asked, { locale }));
      lookup = asked;
    }
    this.lookups.set(userId, lookup);
    for (const oldest of this.lookups.keys()) {
      if (this.lookups.size <= this.cap) break;
      this.lookups.delete(oldest);
    }
    const answer = this.settled.get(lookup);
    return answer ? Promise.resolve(answer.locale) : this.within(lookup);
  }

  /** The lookup's answer, or undefined once timeoutMs has passed (the lookup itself goes on). */
  private async within(lookup: Promise<string | undefined>): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, this.timeoutMs, undefined);
    });
    try {
      return await Promise.race([lookup, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async ask(userId: string): Promise<string | undefined> {
    this.inFlight += 1;
    try {
      return await this.usersInfo(userId);
    } catch (error) {
      // One line per person without a stack (the Web API's message names the cause: user_not_found,
      // missing_scope on an install from before users:read, a timeout), cut short: it can quote a body.
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 200);
      this.logger.warn({ reason, user: userId }, 'slack: users.info gave no locale; the default locale applies');
      return undefined;
    } finally {
      this.inFlight -= 1;
    }
  }
}
