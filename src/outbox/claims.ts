// Row claims: several dispatchers (replicas) share the outbox by claiming rows one by one instead of
// one process holding a lease over all of it. A claim is (claimed_by, claim_expires_at); a row whose
// claim lapsed is claimable again, and its earlier claimant may have reached the platform before it
// died, which the next attempt must allow for (DeliveryIdentity.maybeSent).
import { Brackets, type EntityManager, type WhereExpressionBuilder } from 'typeorm';
import { OutboxMessage } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';
import type { Store } from '../store/store.js';

/** A row this dispatcher claimed, with who had claimed it before (null: nobody ever tried it). */
export interface ClaimedRow {
  row: OutboxMessage;
  previousClaimant: string | null;
}

export interface ClaimRequest {
  holder: string;
  /** UTC. */
  now: Date;
  /** How long the claim holds (ms). */
  ttlMs: number;
  limit: number;
  /** Only rows of these platforms (those with a deliverer and no pause). */
  platforms: readonly string[];
}

/** `claim_expires_at IS NULL OR claim_expires_at <= :now`: nobody holds the row. */
export function unclaimed<Q extends WhereExpressionBuilder>(qb: Q, alias = ''): Q {
  const column = alias ? `${alias}.claimExpiresAt` : 'claim_expires_at';
  qb.andWhere(new Brackets((b) => b.where(`${column} IS NULL`).orWhere(`${column} <= :now`)));
  return qb;
}

function dueRows(manager: EntityManager, request: ClaimRequest) {
  const qb = manager
    .getRepository(OutboxMessage)
    .createQueryBuilder('o')
    .where('o.status = :status AND o.nextAttemptAt <= :now AND o.platform IN (:...platforms)', {
      status: 'pending',
      now: request.now.toISOString(),
      platforms: request.platforms,
    });
  unclaimed(qb, 'o');
  return qb.orderBy('o.id', 'ASC').limit(request.limit);
}

/**
 * Claims up to `limit` due rows, oldest first. PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, then
 * the claim, in one transaction, so concurrent dispatchers take disjoint rows without waiting for
 * each other. SQLite (one writer at a time): a conditional UPDATE per row that succeeds only while
 * the row is unclaimed.
 */
export async function claimDue(store: Store, request: ClaimRequest): Promise<ClaimedRow[]> {
  if (request.platforms.length === 0) return [];
  const expires = new Date(request.now.getTime() + request.ttlMs);
  return store.transaction(async (manager) => {
    if (store.kind === 'postgres') {
      const rows = await dueRows(manager, request).setLock('pessimistic_write').setOnLocked('skip_locked').getMany();
      if (rows.length === 0) return [];
      await manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ claimedBy: request.holder, claimExpiresAt: expires })
        .whereInIds(rows.map((r) => r.id))
        .execute();
      return rows.map((row) => ({ row, previousClaimant: row.claimedBy }));
    }
    const candidates = await dueRows(manager, request).getMany();
    const claimed: ClaimedRow[] = [];
    // One fixed statement for every row (src/store/plain-sql.ts): TypeORM would prepare one per id.
    const sql = PlainSql.of(manager);
    const claim = `UPDATE ${sql.table(OutboxMessage)} SET "claimed_by" = ?, "claim_expires_at" = ? WHERE "id" = ? AND "status" = 'pending' AND ("claim_expires_at" IS NULL OR "claim_expires_at" <= ?)`;
    for (const row of candidates) {
      const { affected } = await sql.run(manager, claim, [request.holder, expires.toISOString(), row.id, request.now.toISOString()]);
      if (affected === 1) claimed.push({ row, previousClaimant: row.claimedBy });
    }
    return claimed;
  });
}

/**
 * Extends this holder's claim on a row before the platform call; false when the row is no longer
 * pending or the claim went to another dispatcher.
 */
export async function renewClaim(manager: EntityManager, id: number, holder: string, expires: Date): Promise<boolean> {
  return (await PlainSql.of(manager).update(manager, OutboxMessage, { id, status: 'pending', claimedBy: holder }, { claimExpiresAt: expires })) === 1;
}

/**
 * Gives a claim back without having called the platform: the row is claimable at once, and keeps the
 * mark of an earlier attempt (`previousClaimant`) if it had one.
 */
export async function releaseClaim(manager: EntityManager, claimed: ClaimedRow, holder: string): Promise<void> {
  await PlainSql.of(manager).update(manager, OutboxMessage, { id: claimed.row.id, status: 'pending', claimedBy: holder }, { claimedBy: claimed.previousClaimant, claimExpiresAt: null });
}
