// How the outbox retries a failed delivery and what it keeps of the error (never a token).
import type { ClaimedRow } from './claims.js';

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 500;

/**
 * The shortest wait before trying again after an attempt whose outcome is unknown (a timeout or a
 * connection reset after the request went out; ms). Slack can store a message after its answer to us
 * was lost (a slow answer our Web API client's 10 s timeout gave up on), and conversations.history
 * shows it only from then on: a retry that looked into the history sooner found nothing and posted a
 * second copy. 30 s gives the platform three times the client's timeout to settle, and is half of a
 * default claim (60 s, DEFAULT_CLAIM_TTL_MS), so that a row taken over after a crash is, by default,
 * looked up no sooner either (settlesAt in dispatcher.ts covers shorter claims).
 */
export const OUTCOME_SETTLE_MS = 30_000;

/** Delay before retry number `attempts` (1-based): 1 s, 2 s, 4 s ... capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

/**
 * Delay before retry number `attempts` after a failure (ms): backoffMs, and at least OUTCOME_SETTLE_MS
 * when the failed attempt's outcome is unknown (it may have reached the platform).
 */
export function retryDelayMs(attempts: number, outcomeUnknown: boolean): number {
  return outcomeUnknown ? Math.max(backoffMs(attempts), OUTCOME_SETTLE_MS) : backoffMs(attempts);
}

/**
 * `settlesAt` (DeliveryIdentity) for a row taken over from a claim that lapsed (its holder died or
 * hung), when the platform may not show that holder's message yet at `now`. The holder started its
 * call no later than half a claim (`claimTtlMs`) before its claim ran out (the dispatcher renews a
 * claim with less than half left, a keyed row's right before the call), assuming every replica has
 * the same OUTBOX_CLAIM_SECONDS; its message settles OUTCOME_SETTLE_MS after that. With the default
 * claim (60 s) that moment has passed at take-over, so only shorter claims make the look-up wait.
 */
export function settling(claim: ClaimedRow, claimTtlMs: number, now: Date): { settlesAt?: Date } {
  const lapsed = claim.previousClaimant === null ? null : claim.previousClaimExpiresAt;
  if (lapsed === null) return {};
  const settlesAt = lapsed.getTime() - claimTtlMs / 2 + OUTCOME_SETTLE_MS;
  return settlesAt > now.getTime() ? { settlesAt: new Date(settlesAt) } : {};
}

/** The part of an error worth storing: its message, shortened, with anything token-like removed. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/xox[a-z]-[A-Za-z0-9-]+/g, '[redacted]')
    .replace(/\b(Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{16,}/g, '$1 [redacted]')
    .slice(0, MAX_ERROR_LENGTH);
}
