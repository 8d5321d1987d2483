// Slack gives every command, click and submission 3 seconds to be acknowledged, over HTTP and Socket
// Mode alike. This answers exactly once, and answers empty by itself if the deadline comes first.
import type { Logger } from '../../logger.js';

/** The body of an ack: nothing, an ephemeral message (commands) or a response_action (modals). */
export type AckBody = Record<string, unknown> | undefined;

/** The transport's way of answering a request; called at most once. */
export type SendAck = (body: AckBody) => Promise<void>;

export class Acknowledger {
  private answered = false;
  private readonly guard: NodeJS.Timeout;

  constructor(
    private readonly send: SendAck,
    deadlineMs: number,
    private readonly logger: Logger,
  ) {
    this.guard = setTimeout(() => {
      this.logger.warn('slack: nothing acknowledged before the deadline; answering empty');
      void this.ack(undefined);
    }, deadlineMs);
    this.guard.unref();
  }

  /** True when this call was the answer; false when something (the deadline guard) answered first. */
  async ack(body: AckBody = undefined): Promise<boolean> {
    if (this.answered) return false;
    this.answered = true;
    clearTimeout(this.guard);
    try {
      await this.send(body);
    } catch (error) {
      this.logger.warn({ err: error }, 'slack: sending the ack failed');
    }
    return true;
  }

  get done(): boolean {
    return this.answered;
  }
}
