// The work behind acknowledged clicks, a few at a time. A click is acknowledged before it is handled
// (listeners.ts), but the handling of every click in flight used to run interleaved with the HTTP
// requests still waiting for their ack: each await of each handler let the others' synchronous
// database work run first, so under load acks waited behind record changes and Slack saw the bot as
// slow as its slowest click (bench/results.md, "Slack clicks"). Here at most `concurrency` handlers
// run, each started after pending I/O (the next requests and their acks) had its turn.

/**
 * A FIFO limiter for click handling. `run` resolves with the work's result once it has run;
 * `drain` resolves when nothing is queued or running (the adapter's stop waits for it, so that a
 * graceful stop still makes the changes whose clicks Slack already saw acknowledged).
 *
 * Trade-off: an acknowledged click that waits here is lost if the process dies before its turn, as an
 * acknowledged click whose handler was still running was before; Slack does not resend acknowledged
 * interactions either way. The queue makes that window longer only while clicks arrive faster than
 * they can be handled, which is also when answering them late would have made Slack show an error.
 */
export class ClickQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly drained: (() => void)[] = [];

  /** `concurrency`: handlers running at once (>= 1). */
  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`ClickQueue concurrency must be a positive integer, got ${concurrency}`);
  }

  /** Clicks queued or being handled. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running += 1;
    // The finishing handler hands its slot over (release), so `running` stays as it was.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      // Requests that arrived meanwhile are read and acknowledged before this handler starts.
      await new Promise<void>((resolve) => setImmediate(resolve));
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
