import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Party } from '../people/actor.js';
import { AuditEntry } from '../store/entities/index.js';
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
 * Appends an entry inside the caller's transaction. The chain needs one writer at a time: SQLite
 * serialises transactions already; on PostgreSQL a transaction-scoped advisory lock does it.
 */
export async function appendAudit(manager: EntityManager, now: Date, input: AuditInput): Promise<AuditEntry> {
  if (manager.connection.options.type === 'postgres') {
    await manager.query('SELECT pg_advisory_xact_lock(7411001)');
  }
  const [last] = await manager.find(AuditEntry, { order: { id: 'DESC' }, take: 1 });
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
  const entry = await manager.save(AuditEntry, manager.create(AuditEntry, { ...fields, hash: hashEntry(fields) }));
  await notifyAuditObservers(manager, now, input);
  return entry;
}

export type ChainVerdict = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number };

const VERIFY_BATCH = 1000;

/** Recomputes every hash in order; the first entry that does not match breaks the chain. */
export async function verifyChain(manager: EntityManager): Promise<ChainVerdict> {
  let previous = GENESIS_HASH;
  let count = 0;
  let afterId = 0;
  for (;;) {
    const batch = await manager
      .createQueryBuilder(AuditEntry, 'a')
      .where('a.id > :afterId', { afterId })
      .orderBy('a.id', 'ASC')
      .take(VERIFY_BATCH)
      .getMany();
    for (const entry of batch) {
      if (entry.prevHash !== previous || hashEntry(entry) !== entry.hash) {
        return { ok: false, entries: count, brokenAt: entry.id };
      }
      previous = entry.hash;
      count++;
    }
    if (batch.length < VERIFY_BATCH) return { ok: true, entries: count };
    afterId = batch[batch.length - 1]?.id ?? afterId;
  }
}
