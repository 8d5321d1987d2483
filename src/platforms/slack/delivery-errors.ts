// Web API failures -> what the outbox understands: wait (429), give up (the message itself can never
// be delivered), or retry later (everything else, including network errors).
import { WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { PermanentDeliveryError, RateLimitedError } from '../port.js';

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

/** The Slack error code of a failed call (`channel_not_found`...), if Slack gave one. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof WebAPIPlatformError ? error.data.error : undefined;
}

/** Rethrows a Web API failure as the error the outbox acts on. */
export function toDeliveryError(error: unknown): Error {
  if (error instanceof WebAPIRateLimitedError) return new RateLimitedError(error.retryAfter);
  const code = slackErrorCode(error);
  if (code && PERMANENT_ERRORS.has(code)) return new PermanentDeliveryError(`slack: ${code}`);
  if (code) return new Error(`slack: ${code}`);
  return error instanceof Error ? error : new Error(String(error));
}
