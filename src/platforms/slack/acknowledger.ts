// Slack gives every command, click and submission 3 seconds to be acknowledged, over HTTP and Socket
// Mode alike. This wraps a listener's Bolt `ack`: it answers exactly once, answers empty by itself if
// the deadline comes first, and tells the listener whether its answer was the one Slack got.
import { ReceiverMultipleAckError, type AckFn } from '@slack/bolt';
import type { Logger } from '../../logger.js';

export class Acknowledger<Body> {
  private answered = false;
  private readonly guard: NodeJS.Timeout;

  constructor(
    private readonly send: AckFn<Body>,
    deadlineMs: number,
    private readonly logger: Logger,
  ) {
    this.guard = setTimeout(() => {
      void this.ack().then((sent) => sent && this.logger.warn('slack: nothing acknowledged before the deadline; answered empty'));
    }, deadlineMs);
    this.guard.unref();
  }

  /** True when this call was the answer; false when something (a deadline) answered first. */
  async ack(body?: Body): Promise<boolean> {
    if (this.answered) return false;
    this.answered = true;
    clearTimeout(this.guard);
    try {
      await this.send(body);
    } catch (error) {
      // The HTTP receiver answers by itself at its own deadline, and refuses an answer after that.
      if (error instanceof ReceiverMultipleAckError) return false;
      this.logger.warn({ err: error }, 'slack: sending the ack failed');
    }
    return true;
  }

  get done(): boolean {
    return this.answered;
  }
}
