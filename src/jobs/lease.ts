import type { EntityManager } from 'typeorm';
import type { DatabaseKind } from '../store/data-source.js';
import { JobLease } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

// Leases live in `job_leases`, one row per name. Every claim is a single conditional upsert
// (`INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING`), so the database decides who wins:
// two processes can never both believe they hold the same lease or run the same fire.

/** Writes `$1, $2 ...` placeholders the way the database wants them (SQLite: `?`, in order). */
function bind(kind: DatabaseKind, sql: string, params: readonly unknown[]): [string, unknown[]] {
  if (kind === 'postgres') return [sql, [...params]];
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_match, index: string) => {
    ordered.push(params[Number(index) - 1]);
    return '?';
  });
  return [text, ordered];
}

/** `job_leases`, qualified with the DataSource's schema when it has one (PostgreSQL). */
function leaseTable(manager: EntityManager): string {
  const { driver } = manager.connection;
  return manager.connection
    .getMetadata(JobLease)
    .tablePath.split('.')
    .map((part) => driver.escape(part))
    .join('.');
}

async function upsertReturning(store: Store, manager: EntityManager, where: string, params: readonly unknown[]): Promise<boolean> {
  const [sql, values] = bind(
    store.kind,
    `INSERT INTO ${leaseTable(manager)} ("name", "holder", "run_key", "expires_at") VALUES ($1, $2, $3, $4)
     ON CONFLICT ("name") DO UPDATE SET "holder" = excluded."holder", "run_key" = excluded."run_key", "expires_at" = excluded."expires_at"
     WHERE ${where}
     RETURNING "name"`,
    params,
  );
  const rows: unknown = await manager.query(sql, values);
  return Array.isArray(rows) && rows.length === 1;
}

/** The standing lease of the outbox dispatcher (no job may use this name). */
export const DISPATCHER_LEASE = 'outbox-dispatcher';

const LEASE_RUN_KEY = 'lease';

export interface LeaseRequest {
  name: string;
  holder: string;
  now: Date;
  ttlMs: number;
}

/**
 * Takes or renews a standing lease (e.g. the outbox dispatcher's): succeeds when nobody holds it,
 * when `holder` already holds it, or when the current holder let it expire.
 */
export async function acquireLease(store: Store, request: LeaseRequest): Promise<boolean> {
  const expires = new Date(request.now.getTime() + request.ttlMs).toISOString();
  return store.transaction((manager) =>
    upsertReturning(store, manager, `"job_leases"."holder" = excluded."holder" OR "job_leases"."expires_at" <= $5`, [
      request.name,
      request.holder,
      LEASE_RUN_KEY,
      expires,
      request.now.toISOString(),
    ]),
  );
}

/** Gives a standing lease up (on shutdown) so another process can take over at once. */
export async function releaseLease(store: Store, request: Omit<LeaseRequest, 'ttlMs'>): Promise<void> {
  await store.transaction(async (manager) => {
    const [sql, values] = bind(store.kind, `UPDATE ${leaseTable(manager)} SET "expires_at" = $1 WHERE "name" = $2 AND "holder" = $3`, [
      request.now.toISOString(),
      request.name,
      request.holder,
    ]);
    await manager.query(sql, values);
  });
}

/** The run key of one scheduled fire: its time to the second (clocks that differ by milliseconds agree). */
export function runKeyOf(fireTime: Date): string {
  return new Date(Math.floor(fireTime.getTime() / 1000) * 1000).toISOString();
}

export interface RunClaim extends LeaseRequest {
  runKey: string;
}

/**
 * Claims one fire of a job. Succeeds only for a run key later than the last one claimed (so each fire
 * runs once, and a stale fire never runs after a newer one) and only when the previous run finished
 * or its lease expired (so runs never overlap, even across processes).
 */
export async function claimRun(store: Store, claim: RunClaim): Promise<boolean> {
  const expires = new Date(claim.now.getTime() + claim.ttlMs).toISOString();
  return store.transaction((manager) =>
    upsertReturning(
      store,
      manager,
      `"job_leases"."run_key" < excluded."run_key" AND "job_leases"."expires_at" <= $5`,
      [claim.name, claim.holder, claim.runKey, expires, claim.now.toISOString()],
    ),
  );
}

/** Marks a claimed run finished, so the next fire need not wait for the lease to expire. */
export async function finishRun(store: Store, claim: Omit<RunClaim, 'ttlMs'>): Promise<void> {
  await store.transaction(async (manager) => {
    const [sql, values] = bind(
      store.kind,
      `UPDATE ${leaseTable(manager)} SET "expires_at" = $1 WHERE "name" = $2 AND "holder" = $3 AND "run_key" = $4`,
      [claim.now.toISOString(), claim.name, claim.holder, claim.runKey],
    );
    await manager.query(sql, values);
  });
}
