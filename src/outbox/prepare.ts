// Right before a claimed row's platform call: its claim renewed, and for a keyed message (a card
// with versions) the version to deliver settled with the others, as the dispatcher's passes need it.
import type { EntityManager } from 'typeorm';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DeliveryIdentity, PostedRef } from '../platforms/port.js';
import type { OutboxMessage } from '../store/entities/index.js';
import type { ClaimedRow } from './claims.js';
import { deliveryIdOf } from './identity.js';
import { settling } from './retry.js';
import type { GroupRow, KeyedRow, OutboxSql } from './sql.js';

/** What to do with a claimed row: deliver it (as a new post, or as an edit of `ref`), or leave it. */
export type Prepared = { kind: 'deliver'; row: OutboxMessage; ref: PostedRef | undefined; identity: DeliveryIdentity } | { kind: 'skip' };

/** What preparing needs of its dispatcher. */
export interface PrepareContext {
  holder: string;
  clock: Clock;
  /** Claim length (ms). */
  claimTtlMs: number;
  logger: Logger;
  /** Runs statements that each leave the outbox safe to stop in (OutboxDispatcher.unit). */
  unit<T>(work: (manager: EntityManager, sql: OutboxSql) => Promise<T>): Promise<T>;
}

/**
 * Renews the claim right before the platform call (an unkeyed row's only once less than half of
 * the claim is left, `claimedUntil`: ms since the epoch). For a keyed row: a row with a newer version
 * pending is superseded; a version another dispatcher is delivering is waited for; older pending
 * versions are superseded and the message's existing ref is picked up. Unkeyed rows are delivered
 * as they are.
 */
export async function prepareDelivery(ctx: PrepareContext, claim: ClaimedRow, previous: ReadonlyMap<number, string | null>, claimedUntil: number): Promise<Prepared> {
  const candidate = claim.row;
  const now = ctx.clock.now();
  const expires = new Date(now.getTime() + ctx.claimTtlMs);
  const identity: DeliveryIdentity = { id: deliveryIdOf(candidate), maybeSent: claim.previousClaimant !== null, since: candidate.createdAt, ...settling(claim, ctx.claimTtlMs, now) };
  const key = candidate.messageKey;
  if (key === null) {
    // A live claim cannot be taken or the row changed by another dispatcher (they skip claimed
    // rows, and a keyed row's newer version waits for it), so while at least half of it is left,
    // as it is for most of a pass, there is nothing to renew or check.
    if (claimedUntil - now.getTime() >= ctx.claimTtlMs / 2) return { kind: 'deliver', row: candidate, ref: undefined, identity };
    const renewed = await ctx.unit((manager, sql) => sql.renewClaim(manager, candidate.id, ctx.holder, expires));
    return renewed ? { kind: 'deliver', row: candidate, ref: undefined, identity } : { kind: 'skip' };
  }
  const keyed: KeyedRow & { id: number } = { id: candidate.id, messageKey: key, platform: candidate.platform, targetId: candidate.targetId };
  // Every state between these statements is safe to stop in (a superseded row keeps at worst a
  // mark that makes the next attempt look the message up first), so PostgreSQL needs no transaction.
  return ctx.unit(async (manager, sql) => {
    if (!(await sql.renewClaim(manager, candidate.id, ctx.holder, expires))) return { kind: 'skip' };
    const { versions: group, ref } = await sql.group(manager, keyed);
    const pending = group.filter((r) => r.status === 'pending');
    if (pending.some((r) => r.id > candidate.id)) {
      // A newer version will be delivered instead; keep the mark of an earlier attempt for it.
      await sql.supersede(manager, candidate.id, claim.previousClaimant);
      return { kind: 'skip' };
    }
    const busy = pending.some((r) => r.id !== candidate.id && r.claimedBy !== ctx.holder && r.claimExpiresAt !== null && r.claimExpiresAt > now);
    if (busy) {
      // An older version is in flight with another dispatcher: wait for its ref.
      await sql.releaseClaim(manager, candidate.id, ctx.holder, claim.previousClaimant);
      return { kind: 'skip' };
    }
    const older = pending.filter((r) => r.id < candidate.id);
    if (older.length > 0) {
      const superseded = await sql.supersedeOlder(manager, keyed);
      if (superseded > 0) ctx.logger.debug({ key, superseded }, 'outbox: superseded older versions of a keyed message');
      // Older versions this pass claimed but never tried keep the mark they had before.
      for (const r of older) {
        if (previous.has(r.id)) await sql.restoreClaimant(manager, r.id, previous.get(r.id) ?? null);
      }
    }
    if (ref) return { kind: 'deliver', row: candidate, ref, identity };
    // Not posted yet as far as the database knows; any version since the last sent one that was
    // claimed may have been posted by a dispatcher that died before it could say so.
    const lastSent = group.filter((r) => r.status === 'sent').at(-1)?.id ?? 0;
    const unsettled = group.filter((r) => r.id > lastSent && r.id !== candidate.id);
    const since = unsettled.reduce((earliest, r) => (r.createdAt < earliest ? r.createdAt : earliest), candidate.createdAt);
    const attemptedBy = (r: GroupRow): string | null => (previous.has(r.id) ? (previous.get(r.id) ?? null) : r.claimedBy);
    const maybeSent = identity.maybeSent || unsettled.some((r) => attemptedBy(r) !== null);
    return { kind: 'deliver', row: candidate, ref: undefined, identity: { ...identity, maybeSent, since } };
  });
}

