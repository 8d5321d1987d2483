import type { ChatMessage, ChatReply, ChatTarget, FormOption, InboundEvent, Platform, SuggestSource } from '../chat/model.js';

/** Where an outbox message landed, so that it can be edited in place later. */
export interface PostedRef {
  channelId: string;
  messageId: string;
}

/** Thrown by a deliverer when the platform said "slow down"; the outbox waits that long. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limited, retry after ${retryAfterSeconds}s`);
  }
}

/** Thrown by a deliverer when retrying cannot help (unknown channel, invalid payload). */
export class PermanentDeliveryError extends Error {}

/**
 * A direct message that can never reach its person: DMs closed, account deactivated or gone, or a bot
 * (Slack `cannot_dm_bot`, `user_not_found`, `user_disabled`, `account_inactive`, `channel_not_found`;
 * Discord 50007, 10013, HTTP 403). The outbox falls back to the record's channel.
 */
export class RecipientUnreachableError extends PermanentDeliveryError {}

/** The message to edit was deleted (Slack `message_not_found`, Discord 10008): the outbox posts it anew. */
export class MessageGoneError extends PermanentDeliveryError {}

/**
 * Thrown by a deliverer when the platform answered and definitely did not take the message, but a
 * retry may work (a token an admin will fix, a missing scope): Slack `ok: false` with a code that does
 * not hide a success, Discord 4xx. Any other error counts as an unknown outcome (a timeout, a reset
 * connection, a 5xx): the message may yet appear, and the retry waits for that (OUTCOME_SETTLE_MS).
 */
export class NotDeliveredError extends Error {}

/**
 * Thrown by a deliverer that looked for an earlier attempt's message (DeliveryIdentity.maybeSent)
 * before `identity.settlesAt`, did not find it, and so did not post: not finding it yet proves nothing.
 * The outbox tries again at `until` without counting a failed attempt.
 */
export class NotSettledError extends Error {
  constructor(readonly until: Date) {
    super(`an earlier attempt may still appear; looking again at ${until.toISOString()}`);
  }
}

/**
 * Who a post is, across attempts, so that a platform call repeated after a crash does not create a
 * second message (issue #15 item 3).
 */
export interface DeliveryIdentity {
  /**
   * The same for every attempt at the same message, at most 25 characters (Discord's `nonce` limit):
   * Discord gets it as `nonce` with `enforce_nonce`, Slack as message metadata.
   */
  id: string;
  /**
   * True when an earlier attempt may have reached the platform (its claim lapsed, or the call failed
   * without a definite answer): a platform without idempotent create looks for the message first.
   */
  maybeSent: boolean;
  /** No earlier attempt was made before this time (UTC): bounds that look-up. */
  since: Date;
  /**
   * Set when an earlier attempt may have been made so recently that the platform may not show its
   * message yet (UTC; see OUTCOME_SETTLE_MS): a deliverer that finds nothing by looking it up throws
   * NotSettledError(settlesAt) instead of posting. A platform with idempotent create ignores it.
   */
  settlesAt?: Date;
}

/** The outgoing half of an adapter: what the outbox dispatcher calls. */
export interface Deliverer {
  readonly platform: Platform;
  /** Posts a message; with `identity`, a repeat of an earlier successful post returns that message instead. */
  post(target: ChatTarget, message: ChatMessage, identity?: DeliveryIdentity): Promise<PostedRef>;
  update(ref: PostedRef, message: ChatMessage): Promise<void>;
}

/**
 * What an adapter can offer the runtime beside an event, for what the event itself lacks. Every
 * member is optional; an adapter whose events carry all it knows passes none.
 */
export interface EventHooks {
  /**
   * The platform's own locale of an account (`zh-CN`, `en-US`: the platform's spelling, which
   * matchLocale maps), asked of the platform; undefined when it gives none. The runtime asks only
   * when the event carries no locale and none is stored for the person (Slack slash commands of
   * someone first seen), and stores what it gets like any locale seen on an event. It must settle
   * within a bound short enough for the platform's answer window, and never reject: a lookup that
   * fails or times out resolves to undefined (the installation's DEFAULT_LOCALE applies).
   */
  localeOf?(userId: string): Promise<string | undefined>;
}

/** The incoming half: adapters hand every event to the runtime and render its reply. */
export interface EventHandler {
  handle(event: InboundEvent, hooks?: EventHooks): Promise<ChatReply>;
}

/**
 * What an adapter with searchable choices needs from the core: the options of a source matching
 * what someone typed so far (Slack external_select's block_suggestion, Discord autocomplete). The
 * adapter fits labels and values to its platform's limits; `limit` is its platform's maximum.
 */
export interface Suggestions {
  suggest(source: SuggestSource, query: string, limit: number): Promise<FormOption[]>;
  /**
   * The locale stored for an account (undefined: unknown account, or none stored), for the texts an
   * adapter adds to the options when the request carries no locale (Slack's block_suggestion).
   */
  storedLocale?(platform: Platform, userId: string): Promise<string | undefined>;
}

/** A running platform adapter. */
export interface PlatformAdapter {
  readonly platform: Platform;
  readonly deliverer: Deliverer;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True once connected and able to deliver (for /readyz). */
  isReady(): boolean;
}
