// How the outbox retries a failed delivery and what it keeps of the error (never a token).

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 500;

/** Delay before retry number `attempts` (1-based): 1 s, 2 s, 4 s ... capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

/** The part of an error worth storing: its message, shortened, with anything token-like removed. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/xox[a-z]-[A-Za-z0-9-]+/g, '[redacted]')
    .replace(/\b(Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{16,}/g, '$1 [redacted]')
    .slice(0, MAX_ERROR_LENGTH);
}
