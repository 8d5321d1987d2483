import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Party } from '../people/actor.js';
import { AuditEntry } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';
import { notifyAuditObservers } from './observers.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  /** Who acted: a person, or opsdesk itself (SYSTEM) for jobs and webhooks. */
  actor: Party;
  action: string;
  recordType: string;
  recordId: string;
  before: unknown;
  after: unknown;
}

type HashedFields = Pick<
  AuditEntry,
  'actorId' | 'actorLabel' | 'action' | 'recordType' | 'recordId' | 'before' | 'after' | 'createdAt' | 'prevHash'
>;

/** SHA-256 over the previous hash and every field of the entry, in a fixed order. */
export function hashEntry(entry: HashedFields): string {
  const canonical = JSON.stringify([
    entry.prevHash,
    entry.actorId,
    entry.actorLabel,
    entry.action,
    entry.recordType,
    entry.recordId,
    entry.before,
    entry.after,
    entry.createdAt.toISOString(),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function serialise(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * Takes the audit chain's write lock for the rest of the caller's transaction. SQLite serialises
 * writers already; on PostgreSQL a transaction-scoped advisory lock keyed by the current schema, so that
 * installations (or test worlds) sharing one database in different schemas never wait for each other.
 */
export async function lockAuditChain(manager: EntityManager): Promise<void> {
  if (manager.connection.options.type !== 'postgres') return;
  await manager.query('SELECT pg_advisory_xact_lock(7411001, hashtext(current_schema()))');
}

/**
 * Appends an entry inside the caller's transaction. The chain needs one writer at a time: SQLite
 * serialises transactions already; on PostgreSQL a transaction-scoped advisory lock does it. The
 * head is read and the entry written with fixed statements (src/store/plain-sql.ts): every change
 * of every record appends one.
 */
export async function appendAudit(manager: EntityManager, now: Date, input: AuditInput): Promise<AuditEntry> {
  await lockAuditChain(manager);
  const sql = PlainSql.of(manager);
  const { rows } = await sql.run(manager, `SELECT "hash" FROM ${sql.table(AuditEntry)} ORDER BY "id" DESC LIMIT 1`, []);
  const last = rows[0] === undefined ? undefined : { hash: String(rows[0].hash) };
  const fields: HashedFields = {
    actorId: input.actor.personId,
    actorLabel: input.actor.displayName.slice(0, 160),
    action: input.action,
    recordType: input.recordType,
    recordId: input.recordId,
    before: serialise(input.before),
    after: serialise(input.after),
    createdAt: now,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const values = { ...fields, hash: hashEntry(fields) };
  const id = await sql.insert(manager, AuditEntry, values);
  const entry = manager.create(AuditEntry, { ...values, id });
  await notifyAuditObservers(manager, now, input);
  return entry;
}

/**
 * An earlier head of the chain as a report showed it (`1234:3f2a…`, or the hash alone): the hash of
 * the entry that was then the last one, and its position (1-based) in the chain.
 */
export interface Anchor {
  hash: string;
  position: number | null;
}

/** `1234:HASH` or `HASH` (64 hex digits, any case); undefined when the text is not an anchor. */
export function parseAnchor(text: string): Anchor | undefined {
  const match = /^\s*(?:(\d{1,12}):)?([0-9a-f]{64})\s*$/i.exec(text);
  if (!match?.[2]) return undefined;
  return { hash: match[2].toLowerCase(), position: match[1] === undefined ? null : Number(match[1]) };
}

export function formatAnchor(entries: number, head: string): string {
  return `${entries}:${head}`;
}

/** Where the anchor was found in the intact part of the chain: null when it was not (the chain was rewritten). */
export interface AnchorCheck {
  anchor: Anchor;
  foundAt: number | null;
  ok: boolean;
}

export type ChainVerdict = ({ ok: true } | { ok: false; brokenAt: number }) & {
  /** Entries that verified, from the first. */
  entries: number;
  /** The hash of the last entry that verified (GENESIS_HASH for an empty chain). */
  head: string;
  anchor?: AnchorCheck;
};

const VERIFY_BATCH = 1000;

/**
 * Recomputes every hash in order; the first entry that does not match breaks the chain. Given an
 * anchor from an earlier report, also checks that the intact chain still holds that hash at that
 * position: a chain rewritten after the report is internally consistent but no longer contains it.
 */
export async function verifyChain(manager: EntityManager, anchor?: Anchor): Promise<ChainVerdict> {
  let previous = GENESIS_HASH;
  let count = 0;
  let afterId = 0;
  let foundAt: number | null = null;
  const withAnchor = <T extends object>(verdict: T) =>
    anchor ? { ...verdict, anchor: { anchor, foundAt, ok: foundAt !== null && (anchor.position === null || anchor.position === foundAt) } } : verdict;
  for (;;) {
    const batch = await manager
      .createQueryBuilder(AuditEntry, 'a')
      .where('a.id > :afterId', { afterId })
      .orderBy('a.id', 'ASC')
      .take(VERIFY_BATCH)
      .getMany();
    for (const entry of batch) {
      if (entry.prevHash !== previous || hashEntry(entry) !== entry.hash) {
        return withAnchor({ ok: false as const, entries: count, head: previous, brokenAt: entry.id });
      }
      previous = entry.hash;
      count++;
      if (anchor && foundAt === null && entry.hash === anchor.hash) foundAt = count;
    }
    if (batch.length < VERIFY_BATCH) return withAnchor({ ok: true as const, entries: count, head: previous });
    afterId = batch[batch.length - 1]?.id ?? afterId;
  }
}
