// How the dispatcher runs its statements (sql.ts) outside a transaction of its own where it can.
import type { EntityManager } from 'typeorm';
import type { Store } from '../store/store.js';
import { OutboxSql } from './sql.js';

/**
 * Runs some of the dispatcher's statements, each of which leaves the outbox in a state that is safe
 * to stop in: on PostgreSQL each on its own (autocommitted; a transaction would add two round trips
 * and, at READ COMMITTED, no isolation), on SQLite in one transaction, since Store serialises this
 * process's transactions on its one connection and a write outside them would join whichever is open.
 * Throws what the statements throw.
 */
export async function inUnit<T>(store: Store, work: (manager: EntityManager, sql: OutboxSql) => Promise<T>): Promise<T> {
  if (store.kind === 'postgres') {
    // One pooled connection for all of them.
    const runner = store.dataSource.createQueryRunner();
    try {
      return await work(runner.manager, OutboxSql.of(runner.manager));
    } finally {
      await runner.release();
    }
  }
  return store.transaction((manager) => work(manager, OutboxSql.of(manager)));
}
