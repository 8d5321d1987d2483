import type { EntityManager } from 'typeorm';
import { PLATFORMS, type ChatMessage, type ChatTarget, type Platform } from '../chat/model.js';
import type { Clock } from '../clock.js';
import type { AnswersFirst } from '../http/answers-first.js';
import type { Metrics } from '../http/metrics.js';
import { FailureBackoff } from '../jobs/failure-backoff.js';
import type { Logger } from '../logger.js';
import { MessageGoneError, NotSettledError, PermanentDeliveryError, RecipientUnreachableError, type Deliverer, type PostedRef } from '../platforms/port.js';
import { OutboxMessage } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';
import type { Store } from '../store/store.js';
import { claimDue, type ClaimedRow } from './claims.js';
import { inDeliveryLanes } from './delivery-order.js';
import { keepClaim, type ClaimKeeper } from './claim-keeper.js';
import { runLanes } from './lanes.js';
import { activePauses, pauseRoute } from './pauses.js';
import { describeError } from './retry.js';
import { failureOutcome } from './failure.js';
import { prepareDelivery, type PrepareContext, type Prepared } from './prepare.js';
import { payloadMessage, releaseSpooled } from './spool.js';
import type { DeliveryFallbacks, OutboxDispatcherOptions } from './dispatcher-options.js';
import { OutboxSql } from './sql.js';

export { OUTCOME_SETTLE_MS, backoffMs, describeError } from './retry.js';
export type { DelivererLookup, DeliveryFallbacks, OutboxDispatcherOptions } from './dispatcher-options.js';

/** Default claim duration: long enough for a slow platform call, short for a quick retry after a crash. */
export const DEFAULT_CLAIM_TTL_MS = 60_000;

/**
 * Targets a pass delivers to at once, each target's rows still in order (delivery-order.ts). One at a
 * time, a call hanging until its client's timeout (Slack's: 10 s) held up every other message of the
 * pass (issue #15). Few, because platforms rate-limit per token and a 429 stops the other lanes only
 * before their next call: at most this many calls are in flight when one comes.
 */
export const DELIVERY_CONCURRENCY = 4;

function asPlatform(value: string): Platform | undefined {
  return (PLATFORMS as readonly string[]).includes(value) ? (value as Platform) : undefined;
}


/**
 * Delivers the outbox. Any number of dispatchers (one per process) share the work by claiming rows
 * (claims.ts); a row is marked sent only after the platform accepted it, and a sent row is never
 * delivered again. Platform calls happen outside any transaction. Every post carries the row's
 * delivery identity, so that a row whose claimant died between the platform call and marking it
 * sent is not posted a second time (Discord nonce, Slack metadata and history).
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
  private readonly fallbacks: DeliveryFallbacks | undefined;
  private readonly claimTtlMs: number;
  private readonly afterPlatformCall: (() => void) | undefined;
  private readonly answersFirst: AnswersFirst | undefined;
  private readonly ready: (platform: Platform) => boolean;
  /** Platforms left alone in the last pass because they were not ready (logged on change only). */
  private notReady: readonly Platform[] = [];

  private readonly pausedUntil = new Map<Platform, number>();
  /** Stored pauses already logged as ignored (`route@end`). */
  private readonly ignoredPauses = new Set<string>();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private kicked = false;
  private moreDue = false;
  private chain: Promise<unknown> = Promise.resolve();
  /** While passes fail (the database away), the next waits longer, up to 30 s, and the log gets one line per step. */
  private readonly failures: FailureBackoff;
  private readonly prepareContext: PrepareContext;

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
    this.fallbacks = options.fallbacks;
    this.claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
    this.afterPlatformCall = options.afterPlatformCall;
    this.answersFirst = options.answersFirst;
    this.ready = options.ready ?? (() => true);
    this.failures = new FailureBackoff(this.logger, 'outbox: dispatch pass', this.pollIntervalMs);
    this.prepareContext = { holder: this.holder, clock: this.clock, claimTtlMs: this.claimTtlMs, logger: this.logger, unit: (work) => this.unit(work) };
  }

  /** Starts the poll loop (its timers do not keep the process alive). */
  start(): void {
    if (this.running) return;
    this.running = true;
    const unconfigured = PLATFORMS.filter((p) => this.lookup(p) === undefined);
    this.logger.debug({ unconfigured }, 'outbox: messages for these platforms stay pending');
    this.schedule(0);
  }

  /** Stops the loop and waits for the pass in progress (its unused claims lapse on their own). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  /** Asks for a pass soon, e.g. right after a transaction enqueued messages. */
  kick(): void {
    if (!this.running) return;
    this.kicked = true;
    // While passes fail, a kick does not cut the backoff short: every enqueue would be one more failing pass and stack trace.
    if (this.timer && !this.failures.failing) {
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
      this.failures.succeeded();
    } catch (error) {
      this.failures.failed(error);
    }
    if (this.running && !this.timer) this.schedule(this.failures.failing ? this.failures.nextDelayMs : this.kicked || this.moreDue ? 0 : this.pollIntervalMs);
  }

  private paused(platform: Platform): boolean {
    return (this.pausedUntil.get(platform) ?? 0) > this.clock.now().getTime();
  }

  /** Logs each stored pause ignored as a wrong clock's once (pauses.ts, MAX_PAUSE_MS), not on every pass. */
  private noteImplausiblePauses(implausible: ReadonlyMap<string, number>): void {
    for (const [route, until] of implausible) {
      const key = `${route}@${until}`;
      if (this.ignoredPauses.has(key)) continue;
      this.ignoredPauses.add(key);
      this.logger.warn({ route, pausedUntil: new Date(until).toISOString() }, 'outbox: stored rate-limit pause ends implausibly late (a replica with a wrong clock?); ignoring it');
    }
  }

  /** Remembers which platforms are not ready and logs when that set changes (not on every pass). */
  private noteReadiness(notReady: readonly Platform[]): void {
    const same = notReady.length === this.notReady.length && notReady.every((p) => this.notReady.includes(p));
    if (same) return;
    const resumed = this.notReady.filter((p) => !notReady.includes(p));
    const left = notReady.filter((p) => !this.notReady.includes(p));
    if (left.length > 0) this.logger.warn({ platforms: left }, 'outbox: platform not ready; leaving its messages to other replicas');
    if (resumed.length > 0) this.logger.info({ platforms: resumed }, 'outbox: platform ready again; delivering its messages');
    this.notReady = notReady;
  }

  private async pass(): Promise<number> {
    this.moreDue = false;
    // Pauses other replicas were told about count here too (Retry-After applies to the bot token).
    const pauses = await activePauses(this.store, this.clock.now());
    for (const [route, until] of pauses.active) {
      const platform = asPlatform(route);
      if (platform !== undefined && until > (this.pausedUntil.get(platform) ?? 0)) this.pausedUntil.set(platform, until);
    }
    this.noteImplausiblePauses(pauses.implausible);
    const configured = PLATFORMS.filter((p) => this.lookup(p) !== undefined);
    this.noteReadiness(configured.filter((p) => !this.ready(p)));
    const platforms = configured.filter((p) => !this.paused(p) && !this.notReady.includes(p));
    const claimedAt = this.clock.now();
    const claimed = await claimDue(this.store, {
      holder: this.holder,
      now: claimedAt,
      ttlMs: this.claimTtlMs,
      limit: this.batchSize,
      platforms,
    });
    this.moreDue = claimed.length === this.batchSize;
    const previous = new Map(claimed.map((c) => [c.row.id, c.previousClaimant]));

    let delivered = 0;
    const due = performance.now();
    // The pass's claims stay live while it runs: rows waiting for a lane and calls that take long.
    const keeper = this.keepClaims(claimed.map((c) => c.row.id));
    try {
      await this.deliverClaimed(claimed, previous, claimedAt, due, () => delivered++);
    } finally {
      await keeper.stop();
    }
    return delivered;
  }

  /** Renews the claims on `ids` every third of the claim's length until stopped (claim-keeper.ts). */
  private keepClaims(ids: readonly number[]): ClaimKeeper {
    const renew = () =>
      this.unit(async (manager, sql) => {
        const expires = new Date(this.clock.now().getTime() + this.claimTtlMs);
        for (const id of ids) await sql.renewLiveClaim(manager, id, this.holder, expires);
      });
    return keepClaim(renew, this.claimTtlMs, (error) => this.logger.warn({ err: error }, 'outbox: claims not renewed during a pass'));
  }

  private async deliverClaimed(claimed: ClaimedRow[], previous: ReadonlyMap<number, string | null>, claimedAt: Date, due: number, deliveredOne: () => void): Promise<void> {
    await runLanes(inDeliveryLanes(claimed), DELIVERY_CONCURRENCY, async (claim) => {
      // Requests waiting for their ack go first, for at most the gate's bound per pass; the claims
      // (OUTBOX_CLAIM_SECONDS) outlast that wait by far.
      await this.answersFirst?.turn(due);
      const platform = asPlatform(claim.row.platform);
      const deliverer = platform === undefined ? undefined : this.lookup(platform);
      const release = () => this.unit((manager, sql) => sql.releaseClaim(manager, claim.row.id, this.holder, claim.previousClaimant));
      // A platform that stopped being ready during the pass, or said 429 to another lane: its remaining rows go back for other replicas.
      if (platform === undefined || deliverer === undefined || this.paused(platform) || !this.ready(platform)) {
        await release();
        return;
      }
      const prepared = await prepareDelivery(this.prepareContext, claim, previous, claimedAt.getTime() + this.claimTtlMs);
      if (prepared.kind === 'skip') return;
      // Again right before the call: other lanes' calls went on while this one prepared.
      if (this.paused(platform) || !this.ready(platform)) {
        await release();
        return;
      }
      if (await this.deliver(platform, deliverer, prepared)) deliveredOne();
    });
  }

  /**
   * Runs some of the dispatcher's statements, each of which leaves the outbox in a state that is safe
   * to stop in: on PostgreSQL each on its own (autocommitted; a transaction would add two round trips
   * and, at READ COMMITTED, no isolation), on SQLite in one transaction, since Store serialises this
   * process's transactions on its one connection and a write outside them would join whichever is open.
   */
  private async unit<T>(work: (manager: EntityManager, sql: OutboxSql) => Promise<T>): Promise<T> {
    if (this.store.kind === 'postgres') {
      // One pooled connection for all of them.
      const runner = this.store.dataSource.createQueryRunner();
      try {
        return await work(runner.manager, OutboxSql.of(runner.manager));
      } finally {
        await runner.release();
      }
    }
    return this.store.transaction((manager) => work(manager, OutboxSql.of(manager)));
  }

  private async deliver(platform: Platform, deliverer: Deliverer, prepared: Extract<Prepared, { kind: 'deliver' }>): Promise<boolean> {
    const { row, ref, identity } = prepared;
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
          // goes first, so that a failed post is retried as a post. No delivery identity: its nonce
          // would name the deleted message.
          this.logger.warn({ outboxId: row.id, platform, key: row.messageKey }, 'outbox: the message to edit was deleted; posting it anew');
          if (row.messageKey !== null) {
            const keyed = { messageKey: row.messageKey, platform: row.platform, targetId: row.targetId };
            await this.unit((manager, sql) => sql.forgetRef(manager, keyed));
          }
          reposted = true;
          posted = await deliverer.post(target, message);
        }
      } else {
        posted = await deliverer.post(target, message, identity);
        // What an earlier attempt posted may be an older version of a keyed message.
        if (identity.maybeSent && row.messageKey !== null) await deliverer.update(posted, message);
      }
    } catch (error) {
      // An edit is idempotent: only a post whose outcome is unknown makes the retry wait for it to settle.
      await this.recordFailure(platform, row, error, ref === undefined || reposted);
      return false;
    }
    this.afterPlatformCall?.();

    const sentAt = this.clock.now();
    const key = row.messageKey;
    const newRef = key !== null && posted !== undefined ? posted : undefined;
    const marked =
      newRef === undefined && !reposted
        ? await this.unit((manager, sql) => sql.markSent(manager, row.id, sentAt))
        : await this.store.transaction(async (manager) => {
            const sql = OutboxSql.of(manager);
            const won = await sql.markSent(manager, row.id, sentAt);
            if (key !== null && newRef !== undefined) await sql.saveRef(manager, { messageKey: key, platform: row.platform, targetId: row.targetId }, newRef, sentAt);
            if (won && reposted && this.fallbacks) await this.fallbacks.reposted(manager, row, sentAt);
            return won;
          });
    if (!marked) {
      this.logger.warn({ outboxId: row.id, platform }, 'outbox: row changed while it was being delivered');
    }
    await this.releaseFile(row, message);
    this.metrics.outboxDeliveries.inc({ platform });
    this.logger.debug({ outboxId: row.id, platform, key: row.messageKey, edit: ref !== undefined }, 'outbox: delivered');
    return true;
  }

  private async recordFailure(platform: Platform, row: OutboxMessage, error: unknown, posting = false): Promise<void> {
    if (error instanceof NotSettledError) {
      // Not a failed attempt: nothing was posted, and the mark of the earlier attempt (claimed_by) stays.
      this.logger.debug({ outboxId: row.id, platform, until: error.until.toISOString() }, 'outbox: an earlier attempt may still appear; looking again later');
      await this.unit((manager) => PlainSql.of(manager).update(manager, OutboxMessage, { id: row.id, status: 'pending' }, { nextAttemptAt: error.until, claimExpiresAt: null }));
      return;
    }
    const now = this.clock.now();
    const outcome = failureOutcome(row, platform, error, now, posting);
    this.logger[outcome.level](outcome.fields, outcome.msg);
    this.metrics.outboxFailures.inc({ platform, reason: outcome.reason });
    const { pausedUntil, changes } = outcome;
    if (pausedUntil !== undefined) this.pausedUntil.set(platform, pausedUntil);
    const unreachable = error instanceof RecipientUnreachableError && row.targetKind === 'dm' ? this.fallbacks : undefined;
    await this.store.transaction(async (manager) => {
      const affected = await PlainSql.of(manager).update(manager, OutboxMessage, { id: row.id, status: 'pending' }, changes);
      // Only the process that marked the row dead falls back, so the fallback happens once.
      if (unreachable && affected === 1) {
        await unreachable.unreachable(manager, row, now);
        this.moreDue = true;
      }
      if (pausedUntil !== undefined) await pauseRoute(manager, this.store.kind, platform, new Date(pausedUntil), now);
    });
    if (changes.status === 'dead') await this.releaseFile(row, payloadMessage(row.payload));
  }

  /** Removes a delivered or dead message's spooled file (spool.ts); a failure only costs disk space. */
  private async releaseFile(row: OutboxMessage, message: ChatMessage | undefined): Promise<void> {
    try {
      await releaseSpooled(message);
    } catch (error) {
      this.logger.warn({ outboxId: row.id, error: describeError(error) }, 'outbox: could not remove a spooled file');
    }
  }
}
