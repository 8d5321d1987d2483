// Log lines for requests refused as unauthenticated (a bad Slack or Discord signature, a missing
// webhook token). Anyone who can reach the port can send such requests at any rate, and one warning
// each let them flood the log: the first refusal is logged in full, later ones are counted and
// summarised in at most one line per interval.
import type { Logger } from '../logger.js';

/** The shortest time between two lines of one RefusalLog (ms). */
export const REFUSAL_LOG_INTERVAL_MS = 60_000;

/**
 * One kind of refusal in the log (e.g. `slack: request signature refused`). `refused(fields)` logs a
 * warning with `fields` when no line was written in the last `intervalMs`; otherwise it only counts,
 * and one summary line (the same message, `refusedSinceLastLine`: how many, `reasons`: how many of
 * each `fields.reason` when refusals give one, and the latest refusal's other fields) follows when the interval since the last line has passed. The summary's timer does not keep
 * the process alive; a count still open when the process exits is not logged.
 */
export class RefusalLog {
  private lastLineAt = Number.NEGATIVE_INFINITY;
  private unlogged = 0;
  private latest: Record<string, unknown> = {};
  private reasons = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly intervalMs = REFUSAL_LOG_INTERVAL_MS,
  ) {}

  /** Records one refusal; `fields` must hold nothing secret (no signature, token or body). */
  refused(fields: Record<string, unknown> = {}): void {
    const now = Date.now();
    if (this.unlogged === 0 && now - this.lastLineAt >= this.intervalMs) {
      this.logger.warn(fields, this.message);
      this.lastLineAt = now;
      return;
    }
    this.unlogged++;
    const { reason, ...rest } = fields;
    this.latest = rest;
    if (typeof reason === 'string') this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.summarise(), Math.max(0, this.lastLineAt + this.intervalMs - now));
      this.timer.unref();
    }
  }

  private summarise(): void {
    this.timer = undefined;
    if (this.unlogged === 0) return;
    const reasons = this.reasons.size > 0 ? { reasons: Object.fromEntries(this.reasons) } : {};
    this.logger.warn({ ...this.latest, ...reasons, refusedSinceLastLine: this.unlogged }, this.message);
    this.lastLineAt = Date.now();
    this.unlogged = 0;
    this.reasons = new Map();
  }
}
