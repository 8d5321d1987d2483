import type { EntityManager, EntityTarget, FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';

/** A record with an optimistic version column. */
export interface Versioned {
  id: number;
  version: number;
  updatedAt: Date;
}

/**
 * Writes `change` only if nobody changed the record since it was read, bumping its version; the
 * in-memory record follows. False when someone else was first (a double click, a parallel replica).
 */
export async function updateIfUnchanged<E extends Versioned>(
  manager: EntityManager,
  entity: EntityTarget<NoInfer<E>>,
  record: E,
  change: Partial<NoInfer<E>>,
  now: Date,
): Promise<boolean> {
  const where = { id: record.id, version: record.version } as FindOptionsWhere<E>;
  const values = { ...change, updatedAt: now, version: record.version + 1 } as QueryDeepPartialEntity<E>;
  const result = await manager.update(entity, where, values);
  if (result.affected === 0) return false;
  Object.assign(record, change, { updatedAt: now, version: record.version + 1 });
  return true;
}
