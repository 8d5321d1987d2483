import type { ChatMessage, ChatReply, ChatTarget, InboundEvent, Platform } from '../chat/model.js';

/** Where an outbox message landed, so that it can be edited in place later. */
export interface PostedRef {
  channelId: string;
  messageId: string;
}

/** Thrown by a deliverer when the platform said "slow down"; the outbox waits that long. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limited, retry after ${retryAfterSeconds}s`);
  }
}

/** Thrown by a deliverer when retrying cannot help (unknown channel, invalid payload). */
export class PermanentDeliveryError extends Error {}

/** The outgoing half of an adapter: what the outbox dispatcher calls. */
export interface Deliverer {
  readonly platform: Platform;
  post(target: ChatTarget, message: ChatMessage): Promise<PostedRef>;
  update(ref: PostedRef, message: ChatMessage): Promise<void>;
}

/** The incoming half: adapters hand every event to the runtime and render its reply. */
export interface EventHandler {
  handle(event: InboundEvent): Promise<ChatReply>;
}

/** A running platform adapter. */
export interface PlatformAdapter {
  readonly platform: Platform;
  readonly deliverer: Deliverer;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True once connected and able to deliver (for /readyz). */
  isReady(): boolean;
}
