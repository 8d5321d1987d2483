// Responses not sent yet, counted so that other work can wait for them (src/http/answers-first.ts,
// HttpServer.drain).
import type { ServerResponse } from 'node:http';
import type { AnswerGauge } from './answers-first.js';

/**
 * A set of responses that leave it when they close ('close': sent, or the connection dropped first)
 * or are taken out.
 * `unanswered` is how many are in it; `answered()` resolves once it is empty (at once when it is).
 */
export class ResponseTracker implements AnswerGauge {
  private readonly responses = new Set<ServerResponse>();
  private readonly waiting: (() => void)[] = [];
  /** Responses whose 'close' is already listened for. */
  private readonly watched = new WeakSet<ServerResponse>();

  /** Adds `res` until it closes (or `untrack`); a response already closed is not added. */
  track(res: ServerResponse): void {
    if (res.closed) return;
    this.responses.add(res);
    if (this.watched.has(res)) return;
    this.watched.add(res);
    res.once('close', () => this.untrack(res));
  }

  /** Takes `res` out before it closes; `track` may add it again. */
  untrack(res: ServerResponse): void {
    if (this.responses.delete(res) && this.responses.size === 0) for (const resume of this.waiting.splice(0)) resume();
  }

  get unanswered(): number {
    return this.responses.size;
  }

  answered(): Promise<void> {
    if (this.responses.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** The responses in the set now (a copy). */
  list(): ServerResponse[] {
    return [...this.responses];
  }
}
