import type { EntityManager, EntityTarget } from 'typeorm';
import { PlainSql } from './plain-sql.js';

/** A record with an optimistic version column. */
export interface Versioned {
  id: number;
  version: number;
  updatedAt: Date;
}

/**
 * Writes `change` only if nobody changed the record since it was read, bumping its version; the
 * in-memory record follows. False when someone else was first (a double click, a parallel replica).
 * One fixed statement per set of changed properties (src/store/plain-sql.ts): a click's hot path.
 */
export async function updateIfUnchanged<E extends Versioned>(
  manager: EntityManager,
  entity: EntityTarget<NoInfer<E>>,
  record: E,
  change: Partial<NoInfer<E>>,
  now: Date,
): Promise<boolean> {
  const where: Partial<E> = { id: record.id, version: record.version } as Partial<E>;
  const values: Partial<E> = { ...change, updatedAt: now, version: record.version + 1 };
  const affected = await PlainSql.of(manager).update(manager, entity, where, values);
  if (affected === 0) return false;
  Object.assign(record, change, { updatedAt: now, version: record.version + 1 });
  return true;
}
