// Web API failures -> what the outbox understands: wait (429), give up (the message itself can never
// be delivered), or retry later: soon after a definite refusal, after a settle delay when the outcome
// is unknown (network errors, timeouts).
import { WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { MessageGoneError, NotDeliveredError, PermanentDeliveryError, RateLimitedError, RecipientUnreachableError } from '../port.js';

/**
 * Errors about this message or its target. Token and scope problems are deliberately absent: they are
 * fixed by an admin, after which the waiting messages should still go out.
 */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'msg_blocks_too_long',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'user_not_found',
  'users_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'restricted_action',
]);

/**
 * Answers to a direct message (conversations.open or chat.postMessage in the DM) meaning the person
 * can never be reached there: a bot, a deleted or deactivated account, a DM channel that is gone.
 */
const DM_UNREACHABLE = new Set(['cannot_dm_bot', 'user_not_found', 'users_not_found', 'user_disabled', 'account_inactive', 'channel_not_found']);

/** Of those, the answers that can only be about a person (not about a channel). */
const PERSON_GONE = new Set(['cannot_dm_bot', 'user_not_found', 'users_not_found', 'user_disabled', 'account_inactive']);

/**
 * Answers that may hide a success: Slack documents that "some aspect of the operation" may have
 * succeeded before `internal_error` or `fatal_error` was raised. Every other `ok: false` is a definite
 * "not posted".
 */
const MAYBE_DONE_ERRORS = new Set(['internal_error', 'fatal_error']);

/** What the failed call was doing: posting to a channel, posting a DM, or editing a posted message. */
export type SlackDeliveryCall = 'channel' | 'dm' | 'update';

/** The Slack error code of a failed call (`channel_not_found`...), if Slack gave one. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof WebAPIPlatformError ? error.data.error : undefined;
}

/** Rethrows a Web API failure as the error the outbox acts on. */
export function toDeliveryError(error: unknown, call: SlackDeliveryCall = 'channel'): Error {
  if (error instanceof WebAPIRateLimitedError) return new RateLimitedError(error.retryAfter);
  const code = slackErrorCode(error);
  if (code && call === 'dm' && DM_UNREACHABLE.has(code)) return new RecipientUnreachableError(`slack: ${code}`);
  // An edit names a person's DM copy only by its channel, so only answers about a person count here.
  if (code && call === 'update' && PERSON_GONE.has(code)) return new RecipientUnreachableError(`slack: ${code}`);
  if (code === 'message_not_found' && call === 'update') return new MessageGoneError(`slack: ${code}`);
  if (code && PERMANENT_ERRORS.has(code)) return new PermanentDeliveryError(`slack: ${code}`);
  if (code && MAYBE_DONE_ERRORS.has(code)) return new Error(`slack: ${code}`);
  if (code) return new NotDeliveredError(`slack: ${code}`);
  // No answer (a timeout, a reset connection) or an HTTP error status: the outcome is unknown.
  return error instanceof Error ? error : new Error(String(error));
}
