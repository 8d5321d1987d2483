import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { databaseKind, type DatabaseKind } from './data-source.js';

/** Runs one caller at a time; TypeORM's SQLite driver shares one connection between all callers. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

const BUSY_RETRIES = 5;

/** The transaction the current async call chain runs in, if any (see Store.manager). */
interface OpenTransaction {
  store: Store;
  manager: EntityManager;
  open: boolean;
}
const currentTransaction = new AsyncLocalStorage<OpenTransaction>();

function isBusy(error: unknown): boolean {
  return error instanceof Error && /SQLITE_BUSY|database is locked/i.test(`${error.message} ${String((error as { code?: unknown }).code)}`);
}

/**
 * The single way to change data: one transaction per use case. On SQLite the transactions of this
 * process are serialised (they would otherwise interleave on the shared connection) and a lock held
 * by another process is waited out.
 */
export class Store {
  readonly kind: DatabaseKind;
  private readonly mutex = new Mutex();

  constructor(
    readonly dataSource: DataSource,
    url: string,
  ) {
    this.kind = databaseKind(url);
  }

  /**
   * The manager for reads outside a use case's transaction; inside one (called, however indirectly,
   * from `transaction`'s work) it is that transaction's manager. Otherwise a read deep inside a
   * transaction (a setting, a policy) would need a second pooled connection on PostgreSQL while
   * holding the first: with as many concurrent transactions as the pool has connections, all of
   * them waited for one another for ever (seen under an alert storm on replicas). SQLite has one
   * connection, so there this was already the behaviour.
   */
  get manager(): EntityManager {
    const open = currentTransaction.getStore();
    return open?.store === this && open.open ? open.manager : this.dataSource.manager;
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const tracked = (manager: EntityManager): Promise<T> => {
      const open: OpenTransaction = { store: this, manager, open: true };
      // Work the transaction started but did not wait for must not use its manager once it ends.
      return currentTransaction.run(open, () => work(manager)).finally(() => (open.open = false));
    };
    if (this.kind === 'postgres') return this.dataSource.transaction(tracked);
    return this.mutex.run(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.dataSource.transaction(tracked);
        } catch (error) {
          if (!isBusy(error) || attempt >= BUSY_RETRIES) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        }
      }
    });
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
