import type { Logger } from '../logger.js';

/** The longest wait between two failing passes of a background loop (ms). */
export const MAX_FAILURE_BACKOFF_MS = 30_000;

/**
 * Paces a background loop that polls the database (alert card redraws, the outbox dispatcher's loop)
 * while its passes fail, e.g. while the database is away: each failure doubles the
 * wait before the next pass, from twice the loop's interval up to `maxMs` (30 s); a success resets it.
 * Logging follows the same steps: the first failure with its stack, a repeat of the same message as one
 * warning per step without the stack, a different message with its stack again, and the recovery once.
 * Without it a loop of 200 ms logged some 100 stack traces in 20 s per replica.
 */
export class FailureBackoff {
  private failures = 0;
  private lastMessage: string | undefined;

  constructor(
    private readonly logger: Logger,
    /** The loop in the log, e.g. `monitoring: drawing due alert cards` (+ ` failed`, ` still failing`, ` works again`). */
    private readonly what: string,
    /** The loop's interval when healthy (ms). */
    private readonly intervalMs: number,
    private readonly maxMs = MAX_FAILURE_BACKOFF_MS,
  ) {}

  /** True after a failed pass until the next successful one. */
  get failing(): boolean {
    return this.failures > 0;
  }

  /** The wait before the next pass (ms): the interval, or the backoff after failures. */
  get nextDelayMs(): number {
    if (this.failures === 0) return this.intervalMs;
    return Math.min(this.maxMs, this.intervalMs * 2 ** this.failures);
  }

  /** Records a failed pass and logs it as described on the class. */
  failed(error: unknown): void {
    this.failures++;
    const message = error instanceof Error ? error.message : String(error);
    const retryInMs = this.nextDelayMs;
    if (message === this.lastMessage) {
      this.logger.warn({ error: message, failures: this.failures, retryInMs }, `${this.what} still failing`);
    } else {
      this.logger.error({ err: error, failures: this.failures, retryInMs }, `${this.what} failed`);
    }
    this.lastMessage = message;
  }

  /** Records a successful pass; after failures, logs the recovery and resets the backoff. */
  succeeded(): void {
    if (this.failures === 0) return;
    this.logger.info({ failures: this.failures }, `${this.what} works again`);
    this.failures = 0;
    this.lastMessage = undefined;
  }
}
