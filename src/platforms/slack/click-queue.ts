// The work behind acknowledged clicks, a few at a time. A click is acknowledged before it is handled
// (listeners.ts), but the handling of every click in flight used to run interleaved with the HTTP
// requests still waiting for their ack: each await of each handler let the others' synchronous
// database work run first, so under load acks waited behind record changes and Slack saw the bot as
// slow as its slowest click (bench/results.md, "Slack clicks"). Here at most `concurrency` handlers
// run, each started after pending I/O (the next requests and their acks) had its turn, and, given
// the server's requests (`yieldTo`), only once no request waits for its answer or the click has
// waited `maxDelayMs` since it was queued (src/http/answers-first.ts).
import { AnswersFirst, DEFAULT_MAX_GIVE_WAY_MS, type AnswerGauge } from '../../http/answers-first.js';

export interface ClickQueueOptions {
  /** Handlers give way to these requests: the HTTP mode's server. Without it, only to pending I/O. */
  yieldTo?: AnswerGauge;
  /**
   * The longest a click waits for the requests to be answered before its handler starts anyway, ms
   * from when it was queued, so that sustained load cannot starve the handling (default 1000 ms).
   */
  maxDelayMs?: number;
}

/**
 * A FIFO limiter for click handling. `run` resolves with the work's result once it has run;
 * `drain` resolves when nothing is queued or running (the adapter's stop waits for it, so that a
 * graceful stop still makes the changes whose clicks Slack already saw acknowledged).
 *
 * Trade-off: an acknowledged click that waits here is lost if the process dies before its turn, as an
 * acknowledged click whose handler was still running was before; Slack does not resend acknowledged
 * interactions either way. The queue makes that window longer only while clicks arrive faster than
 * they can be handled, which is also when answering them late would have made Slack show an error;
 * giving way to unanswered requests makes it at most `maxDelayMs` longer, and only while requests
 * keep arriving.
 *
 * Not done (issue #15 item 4, considered): writing each click to a durable inbox table before its ack,
 * so that a click acknowledged by a process that then died is handled by a restart or another replica.
 * On SQLite the bot has one connection and serialises its transactions (src/store/store.ts), so the
 * insert before the ack would wait behind the handlers' transactions (the very wait this queue removes
 * from the ack) or need a second connection blocking on the write lock; and the commit per click is
 * already the largest single cost of a changing click, which the inbox would double (the insert, then
 * the handler marking its row done). Handling a row again after a crash between the change and the
 * mark would also repeat its reply ("already acknowledged by …") unless the mark joined the handler's
 * own transactions. The window it closes is the one above: a process dying with clicks queued.
 */
export class ClickQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly drained: (() => void)[] = [];
  private readonly answersFirst: AnswersFirst | undefined;

  /** `concurrency`: handlers running at once (>= 1). Throws on anything else or a negative delay. */
  constructor(
    private readonly concurrency: number,
    private readonly options: ClickQueueOptions = {},
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`ClickQueue concurrency must be a positive integer, got ${concurrency}`);
    const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_GIVE_WAY_MS;
    if (!(maxDelayMs >= 0)) throw new Error(`ClickQueue maxDelayMs must not be negative, got ${maxDelayMs}`);
    this.answersFirst = options.yieldTo ? new AnswersFirst(options.yieldTo, maxDelayMs) : undefined;
  }

  /** Clicks queued or being handled. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const queuedAt = performance.now();
    if (this.running < this.concurrency) this.running += 1;
    // The finishing handler hands its slot over (release), so `running` stays as it was.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      // Requests that arrived meanwhile are read and acknowledged before this handler starts.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.answersFirst?.turn(queuedAt);
      return await work();
    } finally {
      this.release();
    }
  }

  /** Resolves once no click is queued or being handled. */
  async drain(): Promise<void> {
    if (this.size === 0) return;
    await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) return next();
    this.running -= 1;
    if (this.running === 0) for (const done of this.drained.splice(0)) done();
  }
}
