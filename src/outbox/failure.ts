// What a failed delivery attempt does to its outbox row: marked dead, paused for a 429, or retried
// later, with the delay depending on whether the platform may have taken the message after all.
import { NotDeliveredError, PermanentDeliveryError, RateLimitedError, RecipientUnreachableError } from '../platforms/port.js';
import type { OutboxMessage } from '../store/entities/index.js';
import { UNREACHABLE_ERROR_PREFIX } from './outbox.js';
import { describeError, retryDelayMs } from './retry.js';

/** A failed attempt's effect: the row's changes, the metric's reason and the log line. */
export interface FailureOutcome {
  reason: 'permanent' | 'rate_limited' | 'error';
  changes: Partial<OutboxMessage>;
  /** For a 429: the end of the platform's pause (ms since the epoch). */
  pausedUntil?: number;
  level: 'error' | 'warn';
  msg: string;
  fields: Record<string, unknown>;
}

/**
 * The effect of `error` (thrown by a deliverer for `row` at `now`, UTC): PermanentDeliveryError marks
 * the row dead; RateLimitedError pauses the platform for Retry-After; anything else is retried with
 * backoffMs, and, when the failed attempt was `posting` a message, no sooner than OUTCOME_SETTLE_MS
 * unless it is a NotDeliveredError (a definite "not posted"). `claimed_by` stays on a retried row as
 * the mark that the message may be on the platform.
 */
export function failureOutcome(row: OutboxMessage, platform: string, error: unknown, now: Date, posting: boolean): FailureOutcome {
  // The prefix lets the fallbacks find who could not be reached (src/changes/approvers-reach.ts).
  const lastError = error instanceof RecipientUnreachableError ? `${UNREACHABLE_ERROR_PREFIX}${describeError(error)}` : describeError(error);
  const attempts = row.attempts + 1;
  const fields = { outboxId: row.id, platform, key: row.messageKey, attempts, error: lastError };
  if (error instanceof PermanentDeliveryError) {
    const changes: Partial<OutboxMessage> = { status: 'dead', attempts, lastError, claimedBy: null, claimExpiresAt: null };
    return { reason: 'permanent', changes, level: 'error', msg: 'outbox: message cannot be delivered; marked dead', fields };
  }
  if (error instanceof RateLimitedError) {
    const pausedUntil = now.getTime() + Math.max(0, Math.ceil(error.retryAfterSeconds * 1000));
    // A 429 is a definite "not posted": the next attempt need not look for the message first.
    const changes: Partial<OutboxMessage> = { attempts, lastError, nextAttemptAt: new Date(pausedUntil), claimedBy: null, claimExpiresAt: null };
    const logged = { ...fields, retryAfterSeconds: error.retryAfterSeconds };
    return { reason: 'rate_limited', changes, pausedUntil, level: 'warn', msg: 'outbox: platform rate limit; pausing it', fields: logged };
  }
  // Unless the platform definitely refused, the outcome is unknown (a timeout may hide a success): the
  // retry, which looks the message up first, waits until the platform would show it.
  const delayMs = retryDelayMs(attempts, posting && !(error instanceof NotDeliveredError));
  const changes: Partial<OutboxMessage> = { attempts, lastError, nextAttemptAt: new Date(now.getTime() + delayMs), claimExpiresAt: null };
  return { reason: 'error', changes, level: 'warn', msg: 'outbox: delivery failed; will retry', fields };
}
