import type { EntityManager } from 'typeorm';
import { PLATFORMS, type ChatMessage, type ChatTarget, type Platform } from '../chat/model.js';
import type { Clock } from '../clock.js';
import type { Metrics } from '../http/metrics.js';
import { DISPATCHER_LEASE, acquireLease, releaseLease } from '../jobs/lease.js';
import type { Logger } from '../logger.js';
import { MessageGoneError, PermanentDeliveryError, RateLimitedError, RecipientUnreachableError, type Deliverer, type PostedRef } from '../platforms/port.js';
import { MessageRef, OutboxMessage } from '../store/entities/index.js';
import { UNREACHABLE_ERROR_PREFIX } from './outbox.js';
import type { Store } from '../store/store.js';

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 500;

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
  /** This process's id, written into the lease row. */
  holder: string;
  /** Pause between passes of the poll loop (default 200 ms). */
  pollIntervalMs?: number;
  /** Most rows looked at in one pass (default 50). */
  batchSize?: number;
  /** How long the dispatcher lease lasts without renewal (default 30 s). */
  leaseTtlMs?: number;
  /** Fallbacks for undeliverable DMs and deleted messages; without them such rows are only marked dead. */
  fallbacks?: DeliveryFallbacks;
}

/** Delay before retry number `attempts` (1-based): 1 s, 2 s, 4 s ... capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

/** The part of an error worth storing: its message, shortened, with anything token-like removed. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/xox[a-z]-[A-Za-z0-9-]+/g, '[redacted]')
    .replace(/\b(Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{16,}/g, '$1 [redacted]')
    .slice(0, MAX_ERROR_LENGTH);
}

function asPlatform(value: string): Platform | undefined {
  return (PLATFORMS as readonly string[]).includes(value) ? (value as Platform) : undefined;
}

function groupOf(row: OutboxMessage): string {
  return JSON.stringify([row.messageKey, row.platform, row.targetId]);
}

type Prepared = { kind: 'deliver'; row: OutboxMessage; ref: PostedRef | undefined } | { kind: 'skip' };

/**
 * Delivers the outbox. One process per database dispatches at a time (it holds the
 * `outbox-dispatcher` lease); a row is marked sent only after the platform accepted it, and a sent
 * row is never delivered again. Platform calls happen outside any transaction.
 */
export class OutboxDispatcher {
  private readonly store: Store;
  private readonly lookup: (platform: Platform) => Deliverer | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly holder: string;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly leaseTtlMs: number;
  private readonly fallbacks: DeliveryFallbacks | undefined;

  private readonly pausedUntil = new Map<Platform, number>();
  private readonly warnedUnconfigured = new Set<string>();
  private leader = false;
  private leaseRenewAt = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private kicked = false;
  private moreDue = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(options: OutboxDispatcherOptions) {
    this.store = options.store;
    const deliverers = options.deliverers;
    this.lookup = typeof deliverers === 'function' ? deliverers : (platform) => deliverers.get(platform);
    this.clock = options.clock;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.holder = options.holder;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.batchSize = options.batchSize ?? 50;
    this.leaseTtlMs = options.leaseTtlMs ?? 30_000;
    this.fallbacks = options.fallbacks;
  }

  /** Starts the poll loop (its timers do not keep the process alive). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops the loop, waits for the pass in progress and hands the lease over. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
    if (this.leader) {
      this.leader = false;
      try {
        await releaseLease(this.store, { name: DISPATCHER_LEASE, holder: this.holder, now: this.clock.now() });
      } catch (error) {
        this.logger.warn({ err: error }, 'outbox: could not release the dispatcher lease');
      }
    }
  }

  /** Asks for a pass soon, e.g. right after a transaction enqueued messages. */
  kick(): void {
    if (!this.running) return;
    this.kicked = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.schedule(0);
    }
  }

  /** Runs one pass and returns how many messages it delivered. Passes never overlap. */
  runOnce(): Promise<number> {
    const pass = this.chain.then(() => this.pass());
    this.chain = pass.catch(() => undefined);
    return pass;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.kicked = false;
    try {
      await this.runOnce();
    } catch (error) {
      this.logger.error({ err: error }, 'outbox: dispatch pass failed');
    }
    if (this.running && !this.timer) this.schedule(this.kicked || this.moreDue ? 0 : this.pollIntervalMs);
  }

  private async holdLease(): Promise<boolean> {
    const now = this.clock.now();
    const held = await acquireLease(this.store, { name: DISPATCHER_LEASE, holder: this.holder, now, ttlMs: this.leaseTtlMs });
    if (held !== this.leader) {
      this.logger.info({ holder: this.holder }, held ? 'outbox: this process now dispatches' : 'outbox: another process dispatches');
    }
    this.leader = held;
    // Renew well before expiry so that a slow pass never outlives the lease.
    this.leaseRenewAt = now.getTime() + this.leaseTtlMs / 3;
    return held;
  }

  private async stillLeader(): Promise<boolean> {
    if (this.clock.now().getTime() < this.leaseRenewAt) return true;
    return this.holdLease();
  }

  private async pass(): Promise<number> {
    this.moreDue = false;
    if (!(await this.holdLease())) return 0;
    const now = this.clock.now();
    const due = await this.store.transaction((manager) =>
      manager
        .getRepository(OutboxMessage)
        .createQueryBuilder('o')
        .where('o.status = :status AND o.nextAttemptAt <= :now', { status: 'pending', now: now.toISOString() })
        .orderBy('o.id', 'ASC')
        .limit(this.batchSize)
        .getMany(),
    );
    this.moreDue = due.length === this.batchSize;

    let delivered = 0;
    const handledGroups = new Set<string>();
    for (const candidate of due) {
      const platform = asPlatform(candidate.platform);
      const deliverer = platform === undefined ? undefined : this.lookup(platform);
      if (platform === undefined || deliverer === undefined) {
        this.warnUnconfigured(candidate.platform);
        continue;
      }
      if ((this.pausedUntil.get(platform) ?? 0) > this.clock.now().getTime()) continue;
      if (candidate.messageKey !== null) {
        const group = groupOf(candidate);
        if (handledGroups.has(group)) continue;
        handledGroups.add(group);
      }
      if (!(await this.stillLeader())) break;

      const prepared = await this.prepare(candidate);
      if (prepared.kind === 'skip') continue;
      if (await this.deliver(platform, deliverer, prepared.row, prepared.ref)) delivered++;
    }
    return delivered;
  }

  /**
   * For a keyed row: supersedes the older pending rows of its (key, platform, target) and picks the
   * newest one with the message's existing ref. Unkeyed rows are delivered as they are.
   */
  private async prepare(candidate: OutboxMessage): Promise<Prepared> {
    const key = candidate.messageKey;
    if (key === null) return { kind: 'deliver', row: candidate, ref: undefined };
    return this.store.transaction(async (manager) => {
      const newest = await manager
        .getRepository(OutboxMessage)
        .createQueryBuilder('o')
        .where('o.status = :status AND o.messageKey = :key AND o.platform = :platform AND o.targetId = :target', {
          status: 'pending',
          key,
          platform: candidate.platform,
          target: candidate.targetId,
        })
        .orderBy('o.id', 'DESC')
        .getOne();
      if (!newest) return { kind: 'skip' };
      const superseded = await this.supersedeOlder(manager, newest);
      if (superseded > 0) this.logger.debug({ key, superseded }, 'outbox: superseded older versions of a keyed message');
      if (newest.nextAttemptAt.getTime() > this.clock.now().getTime()) return { kind: 'skip' };
      const ref = await manager.findOneBy(MessageRef, { messageKey: key, platform: candidate.platform, targetId: candidate.targetId });
      return { kind: 'deliver', row: newest, ref: ref ? { channelId: ref.channelId, messageId: ref.messageId } : undefined };
    });
  }

  private async supersedeOlder(manager: EntityManager, newest: OutboxMessage): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ status: 'superseded' })
      .where('status = :status AND message_key = :key AND platform = :platform AND target_id = :target AND id < :id', {
        status: 'pending',
        key: newest.messageKey,
        platform: newest.platform,
        target: newest.targetId,
        id: newest.id,
      })
      .execute();
    return result.affected ?? 0;
  }

  private async deliver(platform: Platform, deliverer: Deliverer, row: OutboxMessage, ref: PostedRef | undefined): Promise<boolean> {
    let message: ChatMessage;
    try {
      message = JSON.parse(row.payload) as ChatMessage;
    } catch (error) {
      await this.recordFailure(platform, row, new PermanentDeliveryError(`unreadable payload: ${describeError(error)}`));
      return false;
    }
    const target: ChatTarget = { platform, kind: row.targetKind, id: row.targetId };

    let posted: PostedRef | undefined;
    let reposted = false;
    try {
      if (ref) {
        try {
          await deliverer.update(ref, message);
        } catch (error) {
          if (!(error instanceof MessageGoneError)) throw error;
          // Someone deleted the message: post it anew instead of dropping the update. The stale ref
          // goes first, so that a failed post is retried as a post.
          this.logger.warn({ outboxId: row.id, platform, key: row.messageKey }, 'outbox: the message to edit was deleted; posting it anew');
          await this.forgetRef(row);
          reposted = true;
          posted = await deliverer.post(target, message);
        }
      } else {
        posted = await deliverer.post(target, message);
      }
    } catch (error) {
      await this.recordFailure(platform, row, error);
      return false;
    }

    const sentAt = this.clock.now();
    const marked = await this.store.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ status: 'sent', sentAt, lastError: null })
        .where('id = :id AND status = :status', { id: row.id, status: 'pending' })
        .execute();
      if (row.messageKey !== null && posted) await this.saveRef(manager, row, row.messageKey, posted, sentAt);
      const won = (result.affected ?? 0) === 1;
      if (won && reposted && this.fallbacks) await this.fallbacks.reposted(manager, row, sentAt);
      return won;
    });
    if (!marked) {
      this.logger.warn({ outboxId: row.id, platform }, 'outbox: row changed while it was being delivered');
    }
    this.metrics.outboxDeliveries.inc({ platform });
    this.logger.debug({ outboxId: row.id, platform, key: row.messageKey, edit: ref !== undefined }, 'outbox: delivered');
    return true;
  }

  private async forgetRef(row: OutboxMessage): Promise<void> {
    await this.store.transaction((manager) => manager.delete(MessageRef, { messageKey: row.messageKey, platform: row.platform, targetId: row.targetId }));
  }

  private async saveRef(manager: EntityManager, row: OutboxMessage, key: string, posted: PostedRef, now: Date): Promise<void> {
    const existing = await manager.findOneBy(MessageRef, { messageKey: key, platform: row.platform, targetId: row.targetId });
    if (existing) {
      existing.channelId = posted.channelId;
      existing.messageId = posted.messageId;
      await manager.save(MessageRef, existing);
      return;
    }
    await manager.insert(MessageRef, {
      messageKey: key,
      platform: row.platform,
      targetId: row.targetId,
      channelId: posted.channelId,
      messageId: posted.messageId,
      createdAt: now,
    });
  }

  private async recordFailure(platform: Platform, row: OutboxMessage, error: unknown): Promise<void> {
    const now = this.clock.now();
    // The prefix lets the fallbacks find who could not be reached (src/changes/approvers-reach.ts).
    const lastError = error instanceof RecipientUnreachableError ? `${UNREACHABLE_ERROR_PREFIX}${describeError(error)}` : describeError(error);
    const attempts = row.attempts + 1;
    const context = { outboxId: row.id, platform, key: row.messageKey, attempts, error: lastError };
    let changes: Partial<OutboxMessage>;
    let reason: string;
    if (error instanceof PermanentDeliveryError) {
      reason = 'permanent';
      changes = { status: 'dead', attempts, lastError };
      this.logger.error(context, 'outbox: message cannot be delivered; marked dead');
    } else if (error instanceof RateLimitedError) {
      reason = 'rate_limited';
      const waitMs = Math.max(0, Math.ceil(error.retryAfterSeconds * 1000));
      const retryAt = now.getTime() + waitMs;
      this.pausedUntil.set(platform, retryAt);
      changes = { attempts, lastError, nextAttemptAt: new Date(retryAt) };
      this.logger.warn({ ...context, retryAfterSeconds: error.retryAfterSeconds }, 'outbox: platform rate limit; pausing it');
    } else {
      reason = 'error';
      changes = { attempts, lastError, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) };
      this.logger.warn(context, 'outbox: delivery failed; will retry');
    }
    this.metrics.outboxFailures.inc({ platform, reason });
    const unreachable = error instanceof RecipientUnreachableError && row.targetKind === 'dm' ? this.fallbacks : undefined;
    await this.store.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set(changes)
        .where('id = :id AND status = :status', { id: row.id, status: 'pending' })
        .execute();
      // Only the process that marked the row dead falls back, so the fallback happens once.
      if (unreachable && (result.affected ?? 0) === 1) {
        await unreachable.unreachable(manager, row, now);
        this.moreDue = true;
      }
    });
  }

  private warnUnconfigured(platform: string): void {
    if (this.warnedUnconfigured.has(platform)) return;
    this.warnedUnconfigured.add(platform);
    this.logger.warn({ platform }, 'outbox: no deliverer for this platform; its messages stay pending');
  }
}
