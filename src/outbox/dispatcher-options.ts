// The dispatcher's options and the fallbacks it calls (dispatcher.ts).
import type { EntityManager } from 'typeorm';
import type { Platform } from '../chat/model.js';
import type { Clock } from '../clock.js';
import type { AnswersFirst } from '../http/answers-first.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { Deliverer } from '../platforms/port.js';
import type { OutboxMessage } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export type DelivererLookup = ReadonlyMap<Platform, Deliverer> | ((platform: Platform) => Deliverer | undefined);

/**
 * What happens, inside the transaction that settles the row, when a message cannot be delivered as
 * written (DESIGN.md: "a message that cannot be delivered is never dropped silently").
 */
export interface DeliveryFallbacks {
  /** A DM whose person can never be reached was just marked dead. */
  unreachable(manager: EntityManager, row: OutboxMessage, now: Date): Promise<void>;
  /** A keyed message whose original was deleted was posted anew; its ref is already replaced. */
  reposted(manager: EntityManager, row: OutboxMessage, now: Date): Promise<void>;
}

export interface OutboxDispatcherOptions {
  store: Store;
  /** The configured platforms' deliverers; a platform without one keeps its messages pending. */
  deliverers: DelivererLookup;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** This process's id, written into the rows it claims (at most 64 characters). */
  holder: string;
  /** Pause between passes of the poll loop (default 200 ms). */
  pollIntervalMs?: number;
  /** Most rows looked at in one pass (default 50). */
  batchSize?: number;
  /** Fallbacks for undeliverable DMs and deleted messages; without them such rows are only marked dead. */
  fallbacks?: DeliveryFallbacks;
  /**
   * How long a claim on a row lasts (ms, default 60 s). A row whose claimant died is retried after
   * this; it must stay below Discord's nonce window ("a few minutes") for the nonce to catch a repeat.
   */
  claimTtlMs?: number;
  /** Called right after a successful platform call, before the row is marked sent (fault injection). */
  afterPlatformCall?: () => void;
  /**
   * Deliveries give way to HTTP requests waiting for their answer (the server's), at most the gate's
   * bound per pass (src/http/answers-first.ts). Without it they go as soon as claimed.
   */
  answersFirst?: AnswersFirst;
  /**
   * Whether this process can reach a platform right now: its adapter's `isReady()`, what /readyz
   * reports per platform (default: always). Rows of a platform that is not ready are left unclaimed, so
   * that a replica that can reach it delivers them instead of this one retrying into a dead connection;
   * they are claimed again from the first pass after the platform is ready again.
   */
  ready?: (platform: Platform) => boolean;
}
