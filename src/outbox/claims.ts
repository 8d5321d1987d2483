// How dispatchers share the outbox: each claims the rows it is about to deliver, for a limited time,
// by row, so that any number of them (one per replica) take disjoint work and a claim whose holder
// died lapses by itself. A claim is not cleared after a delivery attempt whose outcome is unknown:
// `claimed_by` then marks that the message may already be on the platform, which the next attempt
// must allow for (DeliveryIdentity.maybeSent). The statements are in sql.ts.
import type { OutboxMessage } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { OutboxSql } from './sql.js';

/**
 * A row this dispatcher claimed, with who had claimed it before (null: nobody ever tried it) and until
 * when: a time (UTC) only when the earlier claim lapsed, i.e. its holder died or hung while holding it
 * (a recorded failure or a release clears it).
 */
export interface ClaimedRow {
  row: OutboxMessage;
  previousClaimant: string | null;
  previousClaimExpiresAt: Date | null;
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

/**
 * Claims up to `limit` due rows, oldest first, leaving out a row while an earlier pending row of its
 * platform and target is claimed by another holder (a replica that died or hangs holding it): the
 * conversation's order waits for that claim to lapse (sql.ts, notBehindOthers). PostgreSQL: one statement, `SELECT … FOR UPDATE SKIP
 * LOCKED` and the claim together, so concurrent dispatchers take disjoint rows without waiting for
 * each other and without a transaction of their own. SQLite (one writer at a time): in one
 * transaction, the due rows, then a conditional UPDATE per row that succeeds only while the row is
 * unclaimed.
 */
export async function claimDue(store: Store, request: ClaimRequest): Promise<ClaimedRow[]> {
  if (request.platforms.length === 0) return [];
  const expires = new Date(request.now.getTime() + request.ttlMs);
  if (store.kind === 'postgres') {
    const manager = store.dataSource.manager;
    const rows = await OutboxSql.of(manager).claimLocked(manager, request.holder, request.now, expires, request.limit, request.platforms);
    return rows.map((row) => ({ row, previousClaimant: row.claimedBy, previousClaimExpiresAt: row.claimExpiresAt }));
  }
  return store.transaction(async (manager) => {
    const sql = OutboxSql.of(manager);
    const claimed: ClaimedRow[] = [];
    for (const row of await sql.dueRows(manager, request.holder, request.now, request.limit, request.platforms)) {
      if (await sql.claimRow(manager, row.id, request.holder, request.now, expires)) {
        claimed.push({ row, previousClaimant: row.claimedBy, previousClaimExpiresAt: row.claimExpiresAt });
      }
    }
    return claimed;
  });
}
