// A platform's 429 pause, stored so that every replica honours it, not only the one that was told.
import type { EntityManager } from 'typeorm';
import { OutboxPause } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { OutboxSql } from './sql.js';

/**
 * The longest pause a stored row can mean (ms after the reader's `now`). A pause is stored as an
 * absolute end computed on the writer's clock (its now + Retry-After); a replica whose clock is hours
 * ahead would otherwise stop delivery on every replica for those hours. Slack's and Discord's 429s
 * carry Retry-After in seconds (PLATFORM-FACTS.md), in practice up to about a minute; a quarter of an
 * hour is far beyond that and beyond the clock skew docs/deploy.md tolerates, so a stored end further
 * ahead than this can only come from a wrong clock: it is not honoured, and the next 429 replaces it.
 * A replica still honours whatever Retry-After it was told itself, in memory.
 */
export const MAX_PAUSE_MS = 15 * 60_000;

/** Pauses as read: those honoured, and those ignored as a wrong clock's (route to end, ms since the epoch). */
export interface StoredPauses {
  active: Map<string, number>;
  implausible: Map<string, number>;
}

/**
 * Routes paused at `now` (UTC), with the end of each pause in ms since the epoch; a stored end more
 * than MAX_PAUSE_MS after `now` goes to `implausible` instead. One read outside any transaction
 * (sql.ts): a pause written a moment later is seen on the next pass.
 */
export async function activePauses(store: Store, now: Date): Promise<StoredPauses> {
  const manager = store.dataSource.manager;
  const stored = await OutboxSql.of(manager).activePauses(manager, now);
  const latest = now.getTime() + MAX_PAUSE_MS;
  const active = new Map<string, number>();
  const implausible = new Map<string, number>();
  for (const [route, until] of stored) (until > latest ? implausible : active).set(route, until);
  return { active, implausible };
}

/**
 * Pauses `route` until `until` (UTC; at most MAX_PAUSE_MS after `now`), or leaves a longer pause in
 * place: one conditional upsert, so that two replicas told different Retry-After values keep the
 * later end. A stored end more than MAX_PAUSE_MS after `now` (a wrong clock's, see activePauses) is
 * replaced, not kept as "longer".
 */
export async function pauseRoute(manager: EntityManager, kind: Store['kind'], route: string, until: Date, now: Date): Promise<void> {
  const { driver } = manager.connection;
  const table = manager.connection
    .getMetadata(OutboxPause)
    .tablePath.split('.')
    .map((part) => driver.escape(part))
    .join('.');
  const latest = new Date(now.getTime() + MAX_PAUSE_MS);
  const end = until > latest ? latest : until;
  const [a, b, c] = kind === 'postgres' ? ['$1', '$2', '$3'] : ['?', '?', '?'];
  await manager.query(
    `INSERT INTO ${table} ("route", "paused_until") VALUES (${a}, ${b})
     ON CONFLICT ("route") DO UPDATE SET "paused_until" = excluded."paused_until"
     WHERE "outbox_pauses"."paused_until" < excluded."paused_until" OR "outbox_pauses"."paused_until" > ${c}`,
    [route, end.toISOString(), latest.toISOString()],
  );
}
