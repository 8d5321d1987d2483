// REST failures -> what the outbox understands: wait (429), give up (the message or its target can
// never work), or retry later (everything else: network errors, 5xx, a refused token).
import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { MessageGoneError, NotDeliveredError, PermanentDeliveryError, RateLimitedError, RecipientUnreachableError } from '../port.js';

/**
 * Statuses about this message or its target (400 invalid body, 403 no access to the channel, 404
 * unknown channel, message or user). 401 is deliberately absent: a token is fixed by an admin, after
 * which the waiting messages should still go out.
 */
const PERMANENT_STATUSES = new Set([400, 403, 404, 413]);

/** JSON error codes of a DM that can never reach its person: 50007 cannot send messages to this user, 10013 unknown user. */
const DM_UNREACHABLE_CODES = new Set([50007, 10013]);
const UNKNOWN_MESSAGE = 10008;

/** What the failed call was doing: posting to a channel, posting a DM, or editing a posted message. */
export type DiscordDeliveryCall = 'channel' | 'dm' | 'update';

/**
 * Rethrows a REST failure as the error the outbox acts on: a DM refused with 50007, 10013 or 403 is
 * a person who cannot be reached (PLATFORM-FACTS.md), an edit refused with 10008 a deleted message.
 */
export function toDeliveryError(error: unknown, call: DiscordDeliveryCall = 'channel'): Error {
  if (error instanceof RateLimitError) {
    const waitMs = error.retryAfter > 0 ? error.retryAfter : error.timeToReset;
    return new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
  }
  if (error instanceof DiscordAPIError) {
    const what = `discord: ${error.status} ${String(error.code)} ${error.message}`;
    if (call === 'dm' && (DM_UNREACHABLE_CODES.has(Number(error.code)) || error.status === 403)) return new RecipientUnreachableError(what);
    if (call === 'update' && Number(error.code) === UNKNOWN_MESSAGE) return new MessageGoneError(what);
    // An edit of a DM copy whose person closed their DMs or left; the outbox only acts on this for DMs.
    if (call === 'update' && DM_UNREACHABLE_CODES.has(Number(error.code))) return new RecipientUnreachableError(what);
    if (PERMANENT_STATUSES.has(error.status)) return new PermanentDeliveryError(what);
    // A 4xx is Discord's definite refusal; a 5xx may come after the message was created.
    return error.status < 500 ? new NotDeliveredError(what) : new Error(what);
  }
  if (error instanceof HTTPError) return new Error(`discord: HTTP ${error.status}`);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * What a failed call may say in a log line. Interaction and webhook URLs carry the interaction token
 * (a secret for 15 minutes), so errors are logged by status, code and message, never with their URL.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (error instanceof DiscordAPIError) return { status: error.status, code: error.code, reason: error.message };
  if (error instanceof RateLimitError) return { status: 429, retryAfterMs: error.retryAfter, route: error.route };
  if (error instanceof HTTPError) return { status: error.status, reason: error.name };
  const message = error instanceof Error ? error.message : String(error);
  return { reason: message.replace(/\/(interactions|webhooks)\/\d+\/[\w.-]+/g, '/$1/[id]/[token]').slice(0, 300) };
}

/** Log fields for an error: REST failures without their URL, anything else with its stack. */
export function errorFields(error: unknown): Record<string, unknown> {
  const rest = error instanceof DiscordAPIError || error instanceof RateLimitError || error instanceof HTTPError;
  return rest ? { error: loggableError(error) } : { err: error };
}
