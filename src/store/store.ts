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

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'postgres') return this.dataSource.transaction(work);
    return this.mutex.run(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.dataSource.transaction(work);
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
