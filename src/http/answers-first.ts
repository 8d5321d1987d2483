// Background work gives way to HTTP requests that wait for their answer (issue #15 item 4). A Slack
// click is acknowledged at once and handled afterwards, and the handling enqueues a card edit and a
// DM that the outbox dispatcher delivers; on one Node thread all of that competes with the next
// requests' acks. Measured (bench/results.md, "Session of 2026-11-30"): with the handling and the
// deliveries removed, the bot's acks cost what bare Bolt's do; with them, acks waited behind them.
// So the handling of acknowledged clicks and the dispatcher's deliveries wait here while requests
// wait for their answer, for a bounded time, so that sustained load cannot starve them.

/** Requests waiting for an answer: the HTTP server's (src/http/server.ts). */
export interface AnswerGauge {
  /** Requests received and not answered yet. */
  readonly unanswered: number;
  /** Resolves once none is left unanswered. */
  answered(): Promise<void>;
}

/** How long background work waits at most for requests to be answered, ms from when it became due. */
export const DEFAULT_MAX_GIVE_WAY_MS = 1000;

/**
 * A turnstile for background work: `turn(since)` resolves at once when no request waits for its
 * answer, else when none is left or `maxDelayMs` after `since`, whichever comes first. One wait for
 * the server to be idle is shared by everything waiting at the time. Throws (constructor) on a
 * negative delay.
 */
export class AnswersFirst {
  private idle: Promise<void> | undefined;

  constructor(
    private readonly gauge: AnswerGauge,
    readonly maxDelayMs: number = DEFAULT_MAX_GIVE_WAY_MS,
  ) {
    if (!(maxDelayMs >= 0)) throw new Error(`maxDelayMs must not be negative, got ${maxDelayMs}`);
  }

  /** `since`: when the work became due, `performance.now()` ms. Never rejects. */
  async turn(since: number): Promise<void> {
    if (this.gauge.unanswered === 0) return;
    const left = since + this.maxDelayMs - performance.now();
    if (left <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, left)));
    try {
      this.idle ??= this.gauge.answered().finally(() => (this.idle = undefined));
      await Promise.race([this.idle, bound]);
    } finally {
      clearTimeout(timer);
    }
  }
}
