// The dispatcher's per-message statements in plain SQL (issue #15 item 4: the card edit and DM that
// follow every click). Built through TypeORM's query builder, building each query cost more than the
// database's work (profile of the Slack click bench: SelectQueryBuilder, createSelectExpression). Every
// statement here is one fixed text with bound values (src/store/plain-sql.ts: prepared once on SQLite,
// `$n` placeholders on PostgreSQL), run in the caller's transaction when given its manager. Rows have
// the shapes of src/store/entities/outbox-message.ts, message-ref.ts and outbox-pause.ts: timestamps
// are ISO-8601 UTC strings (src/store/columns.ts), which compare correctly as text.
import type { EntityManager } from 'typeorm';
import type { PostedRef } from '../platforms/port.js';
import { MessageRef, OutboxMessage, OutboxPause } from '../store/entities/index.js';
import { PlainSql, type SqlParam } from '../store/plain-sql.js';

/** The columns of `outbox`, in the order the statements below select them. */
const COLUMNS = [
  'id',
  'platform',
  'target_kind',
  'target_id',
  'message_key',
  'record_kind',
  'record_id',
  'payload',
  'status',
  'attempts',
  'next_attempt_at',
  'last_error',
  'created_at',
  'sent_at',
  'claimed_by',
  'claim_expires_at',
] as const;

/** What the dispatcher reads of the other versions of a keyed message. */
export type GroupRow = Pick<OutboxMessage, 'id' | 'status' | 'claimedBy' | 'claimExpiresAt' | 'createdAt'>;

/** The part of a row that names its keyed message: key, platform, target. */
export type KeyedRow = Pick<OutboxMessage, 'platform' | 'targetId'> & { messageKey: string };

/** A text or number column's value as text (drivers give numbers for integers, strings for the rest). */
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : '');
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
const num = (v: unknown): number => Number(v);
const date = (v: unknown): Date => new Date(str(v));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(str(v)));
const iso = (d: Date): string => d.toISOString();

/** An `outbox` row as TypeORM would hydrate it. */
function outboxRow(r: Record<string, unknown>): OutboxMessage {
  const row = new OutboxMessage();
  row.id = num(r.id);
  row.platform = str(r.platform);
  row.targetKind = str(r.target_kind) as OutboxMessage['targetKind'];
  row.targetId = str(r.target_id);
  row.messageKey = strOrNull(r.message_key);
  row.recordKind = strOrNull(r.record_kind);
  row.recordId = r.record_id === null || r.record_id === undefined ? null : num(r.record_id);
  row.payload = str(r.payload);
  row.status = str(r.status) as OutboxMessage['status'];
  row.attempts = num(r.attempts);
  row.nextAttemptAt = date(r.next_attempt_at);
  row.lastError = strOrNull(r.last_error);
  row.createdAt = date(r.created_at);
  row.sentAt = dateOrNull(r.sent_at);
  row.claimedBy = strOrNull(r.claimed_by);
  row.claimExpiresAt = dateOrNull(r.claim_expires_at);
  return row;
}

/**
 * The outbox's statements on one data source. Methods throw what the driver throws. A method given
 * the data source's own manager (no transaction) runs as a single autocommitted statement; on SQLite
 * callers do that only for reads, since a write there would join whatever transaction this process
 * has open on its one connection.
 */
export class OutboxSql {
  private readonly sql: PlainSql;
  private readonly outbox: string;
  private readonly refs: string;
  private readonly pauses: string;

  private constructor(manager: EntityManager) {
    this.sql = PlainSql.of(manager);
    this.outbox = this.sql.table(OutboxMessage);
    this.refs = this.sql.table(MessageRef);
    this.pauses = this.sql.table(OutboxPause);
  }

  private static readonly instances = new WeakMap<PlainSql, OutboxSql>();

  /** The statements of the manager's data source (one set per data source). */
  static of(manager: EntityManager): OutboxSql {
    const plain = PlainSql.of(manager);
    let found = OutboxSql.instances.get(plain);
    if (found === undefined) {
      found = new OutboxSql(manager);
      OutboxSql.instances.set(plain, found);
    }
    return found;
  }

  private async rows(manager: EntityManager, text: string, params: readonly SqlParam[]): Promise<Record<string, unknown>[]> {
    return (await this.sql.run(manager, text, params)).rows;
  }

  private async affected(manager: EntityManager, text: string, params: readonly SqlParam[]): Promise<number> {
    return (await this.sql.run(manager, text, params)).affected;
  }

  /** Routes paused at `now` (UTC), with the end of each pause in ms since the epoch. */
  async activePauses(manager: EntityManager, now: Date): Promise<Map<string, number>> {
    const rows = await this.rows(manager, `SELECT "route", "paused_until" FROM ${this.pauses} WHERE "paused_until" > ?`, [iso(now)]);
    return new Map(rows.map((r) => [str(r.route), date(r.paused_until).getTime()]));
  }

  /** `WHERE` of due, unclaimed rows of some platforms: parameters now, platforms..., now. */
  private due(platforms: number): string {
    const list = Array.from({ length: platforms }, () => '?').join(', ');
    return `"status" = 'pending' AND "next_attempt_at" <= ? AND "platform" IN (${list}) AND ("claim_expires_at" IS NULL OR "claim_expires_at" <= ?)`;
  }

  /**
   * `WHERE` part: the row (of the outer query, as `d`) has no earlier pending row of its platform and
   * target claimed by another holder until after now, so that the conversation's order holds when a
   * replica died holding earlier rows (they wait for their claim to lapse, and the later rows with
   * them). Parameters: holder, now.
   */
  private notBehindOthers(): string {
    return (
      `NOT EXISTS (SELECT 1 FROM ${this.outbox} e WHERE e."platform" = d."platform" AND e."target_id" = d."target_id" AND e."id" < d."id" ` +
      `AND e."status" = 'pending' AND e."claimed_by" <> ? AND e."claim_expires_at" > ?)`
    );
  }

  /**
   * PostgreSQL: claims up to `limit` due rows, oldest first, in one statement (`FOR UPDATE SKIP
   * LOCKED`, so concurrent dispatchers take disjoint rows without waiting), none behind an earlier row
   * of its target claimed by another holder (notBehindOthers; two claims running at the same moment
   * do not see each other's, so there it is only as good as the last committed claim). Each row comes
   * back with `claimedBy` and `claimExpiresAt` as they were before this claim (as dueRows gives them). Sorted by id.
   */
  async claimLocked(manager: EntityManager, holder: string, now: Date, expires: Date, limit: number, platforms: readonly string[]): Promise<OutboxMessage[]> {
    const returning = COLUMNS.map((c) => (c === 'claimed_by' || c === 'claim_expires_at' ? `due."${c}"` : `o."${c}"`)).join(', ');
    const text =
      `WITH due AS (SELECT "id", "claimed_by", "claim_expires_at" FROM ${this.outbox} d WHERE ${this.due(platforms.length)} AND ${this.notBehindOthers()} ` +
      `ORDER BY "id" LIMIT ? FOR UPDATE SKIP LOCKED) ` +
      `UPDATE ${this.outbox} o SET "claimed_by" = ?, "claim_expires_at" = ? FROM due WHERE o."id" = due."id" RETURNING ${returning}`;
    const rows = await this.rows(manager, text, [iso(now), ...platforms, iso(now), holder, iso(now), limit, holder, iso(expires)]);
    return rows.map(outboxRow).sort((a, b) => a.id - b.id);
  }

  /**
   * Up to `limit` due, unclaimed rows, oldest first, none behind an earlier row of its target claimed
   * by another holder than `holder` (notBehindOthers). SQLite's claim reads them, then claims each,
   * in one transaction.
   */
  async dueRows(manager: EntityManager, holder: string, now: Date, limit: number, platforms: readonly string[]): Promise<OutboxMessage[]> {
    // The oldest `limit` due rows first, then the check on those only: in the same WHERE, the check
    // ran for every due row of a backlog before the LIMIT, on each pass (bench/results.md, "The final
    // build"). A row left out here comes again in a later pass. Trade-off: when all of the oldest
    // `limit` rows wait behind a dead process's claim, other conversations' rows behind them wait too,
    // at most until that claim lapses (OUTBOX_CLAIM_SECONDS); PostgreSQL (claimLocked) has no such wait.
    const columns = COLUMNS.map((c) => `"${c}"`).join(', ');
    const text =
      `SELECT ${COLUMNS.map((c) => `d."${c}"`).join(', ')} FROM (SELECT ${columns} FROM ${this.outbox} WHERE ${this.due(platforms.length)} ORDER BY "id" LIMIT ?) d ` +
      `WHERE ${this.notBehindOthers()} ORDER BY d."id"`;
    return (await this.rows(manager, text, [iso(now), ...platforms, iso(now), limit, holder, iso(now)])).map(outboxRow);
  }


  /** Claims one row if it is still pending and unclaimed at `now`; true when it did. */
  async claimRow(manager: EntityManager, id: number, holder: string, now: Date, expires: Date): Promise<boolean> {
    const text = `UPDATE ${this.outbox} SET "claimed_by" = ?, "claim_expires_at" = ? WHERE "id" = ? AND "status" = 'pending' AND ("claim_expires_at" IS NULL OR "claim_expires_at" <= ?)`;
    return (await this.affected(manager, text, [holder, iso(expires), id, iso(now)])) === 1;
  }

  /** Extends `holder`'s claim on a pending row until `expires`; false when the row is no longer pending or no longer theirs. */
  async renewClaim(manager: EntityManager, id: number, holder: string, expires: Date): Promise<boolean> {
    const text = `UPDATE ${this.outbox} SET "claim_expires_at" = ? WHERE "id" = ? AND "status" = 'pending' AND "claimed_by" = ?`;
    return (await this.affected(manager, text, [iso(expires), id, holder])) === 1;
  }

  /**
   * Extends `holder`'s claim on a pending row until `expires` only while the claim is live: every
   * write that ends a claim (sent, failed, released, superseded, waiting to settle) clears
   * claim_expires_at or the status, so a renewal that runs after it, even one started before it,
   * changes nothing (claim-keeper.ts). One statement, atomic on both databases.
   */
  async renewLiveClaim(manager: EntityManager, id: number, holder: string, expires: Date): Promise<void> {
    const text = `UPDATE ${this.outbox} SET "claim_expires_at" = ? WHERE "id" = ? AND "status" = 'pending' AND "claimed_by" = ? AND "claim_expires_at" IS NOT NULL`;
    await this.affected(manager, text, [iso(expires), id, holder]);
  }

  /** Gives `holder`'s claim on a pending row back, restoring the mark of an earlier attempt (`previous`). */
  async releaseClaim(manager: EntityManager, id: number, holder: string, previous: string | null): Promise<void> {
    const text = `UPDATE ${this.outbox} SET "claimed_by" = ?, "claim_expires_at" = NULL WHERE "id" = ? AND "status" = 'pending' AND "claimed_by" = ?`;
    await this.affected(manager, text, [previous, id, holder]);
  }

  /**
   * The versions of a keyed message that matter to its delivery, by id (every pending one, the last
   * sent one and everything after it; superseded ones before the last sent one are history), and
   * where the message was posted, if the database knows: one statement.
   */
  async group(manager: EntityManager, row: KeyedRow): Promise<{ versions: GroupRow[]; ref: PostedRef | undefined }> {
    const same = `"message_key" = ? AND "platform" = ? AND "target_id" = ?`;
    const text =
      `SELECT o."id", o."status", o."claimed_by", o."claim_expires_at", o."created_at", r."channel_id", r."message_id" FROM ${this.outbox} o ` +
      `LEFT JOIN ${this.refs} r ON r."message_key" = o."message_key" AND r."platform" = o."platform" AND r."target_id" = o."target_id" ` +
      `WHERE o."message_key" = ? AND o."platform" = ? AND o."target_id" = ? AND o."status" IN ('pending', 'superseded', 'sent') ` +
      `AND (o."status" = 'pending' OR o."id" >= (SELECT COALESCE(MAX("id"), 0) FROM ${this.outbox} WHERE ${same} AND "status" = 'sent')) ORDER BY o."id"`;
    const key = [row.messageKey, row.platform, row.targetId];
    const rows = await this.rows(manager, text, [...key, ...key]);
    const versions = rows.map((r) => ({
      id: num(r.id),
      status: str(r.status) as OutboxMessage['status'],
      claimedBy: strOrNull(r.claimed_by),
      claimExpiresAt: dateOrNull(r.claim_expires_at),
      createdAt: date(r.created_at),
    }));
    const posted = rows.find((r) => r.channel_id !== null && r.channel_id !== undefined);
    return { versions, ref: posted === undefined ? undefined : { channelId: str(posted.channel_id), messageId: str(posted.message_id) } };
  }

  /** Marks one row superseded (a newer version will be delivered), keeping `claimedBy` as the mark of an earlier attempt. */
  async supersede(manager: EntityManager, id: number, claimedBy: string | null): Promise<void> {
    await this.affected(manager, `UPDATE ${this.outbox} SET "status" = 'superseded', "claimed_by" = ?, "claim_expires_at" = NULL WHERE "id" = ?`, [claimedBy, id]);
  }

  /** Marks the pending versions older than `newest` superseded; how many. */
  async supersedeOlder(manager: EntityManager, newest: KeyedRow & { id: number }): Promise<number> {
    const text = `UPDATE ${this.outbox} SET "status" = 'superseded', "claim_expires_at" = NULL WHERE "status" = 'pending' AND "message_key" = ? AND "platform" = ? AND "target_id" = ? AND "id" < ?`;
    return this.affected(manager, text, [newest.messageKey, newest.platform, newest.targetId, newest.id]);
  }

  /** Sets a row's `claimed_by` back to what it was before this pass claimed it. */
  async restoreClaimant(manager: EntityManager, id: number, claimedBy: string | null): Promise<void> {
    await this.affected(manager, `UPDATE ${this.outbox} SET "claimed_by" = ? WHERE "id" = ?`, [claimedBy, id]);
  }

  /** Marks a pending row sent at `sentAt` (UTC); false when it was no longer pending. */
  async markSent(manager: EntityManager, id: number, sentAt: Date): Promise<boolean> {
    const text = `UPDATE ${this.outbox} SET "status" = 'sent', "sent_at" = ?, "last_error" = NULL, "claim_expires_at" = NULL WHERE "id" = ? AND "status" = 'pending'`;
    return (await this.affected(manager, text, [iso(sentAt), id])) === 1;
  }

  /** Records (or moves) where the keyed message was posted; a new ref is created at `now` (UTC). */
  async saveRef(manager: EntityManager, row: KeyedRow, posted: PostedRef, now: Date): Promise<void> {
    const text =
      `INSERT INTO ${this.refs} ("message_key", "platform", "target_id", "channel_id", "message_id", "created_at") VALUES (?, ?, ?, ?, ?, ?) ` +
      `ON CONFLICT ("message_key", "platform", "target_id") DO UPDATE SET "channel_id" = excluded."channel_id", "message_id" = excluded."message_id"`;
    await this.affected(manager, text, [row.messageKey, row.platform, row.targetId, posted.channelId, posted.messageId, iso(now)]);
  }

  /** Forgets where the keyed message was posted (it was deleted). */
  async forgetRef(manager: EntityManager, row: KeyedRow): Promise<void> {
    await this.affected(manager, `DELETE FROM ${this.refs} WHERE "message_key" = ? AND "platform" = ? AND "target_id" = ?`, [row.messageKey, row.platform, row.targetId]);
  }
}
