// A platform's 429 pause, stored so that every replica honours it, not only the one that was told.
import type { EntityManager } from 'typeorm';
import { OutboxPause } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { OutboxSql } from './sql.js';

/**
 * Routes paused at `now` (UTC), with the end of each pause in ms since the epoch. One read outside any
 * transaction (sql.ts): a pause written a moment later is seen on the next pass.
 */
export async function activePauses(store: Store, now: Date): Promise<Map<string, number>> {
  const manager = store.dataSource.manager;
  return OutboxSql.of(manager).activePauses(manager, now);
}

/**
 * Pauses `route` until `until` (UTC), or leaves a longer pause in place: one conditional upsert, so
 * that two replicas told different Retry-After values keep the later end.
 */
export async function pauseRoute(manager: EntityManager, kind: Store['kind'], route: string, until: Date): Promise<void> {
  const { driver } = manager.connection;
  const table = manager.connection
    .getMetadata(OutboxPause)
    .tablePath.split('.')
    .map((part) => driver.escape(part))
    .join('.');
  const [a, b] = kind === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  await manager.query(
    `INSERT INTO ${table} ("route", "paused_until") VALUES (${a}, ${b})
     ON CONFLICT ("route") DO UPDATE SET "paused_until" = excluded."paused_until"
     WHERE "outbox_pauses"."paused_until" < excluded."paused_until"`,
    [route, until.toISOString()],
  );
}
