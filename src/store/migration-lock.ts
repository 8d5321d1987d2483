import Database from 'better-sqlite3';
import type { DataSource, Migration, QueryRunner } from 'typeorm';

/**
 * The first key of PostgreSQL's two-key advisory lock that guards migrations ("opsd" in ASCII); the
 * second is the schema's hash, so that databases shared by several schemas (tests, staging) do not
 * wait for each other.
 */
export const MIGRATION_LOCK_KEY = 0x6f707364;

/** How long a process waits for another one's migrations on SQLite before giving up (ms). */
const SQLITE_LOCK_WAIT_MS = 10 * 60_000;

/**
 * Runs the pending migrations once even when several processes start at the same moment.
 * - PostgreSQL: `pg_advisory_lock(MIGRATION_LOCK_KEY, hashtext(schema))` on one connection of the
 *   pool, held around TypeORM's run and released after (a dead process's lock ends with its
 *   connection). Each migration runs in its own transaction, as before. A schema named in
 *   DATABASE_URL (`?schema=NAME`) that does not exist yet is created first.
 * - SQLite: an exclusive lock on a sidecar file `PATH.migrate-lock` (SQLite's own file locking, which
 *   the operating system drops when the process dies); the database file itself cannot be locked
 *   exclusively while TypeORM's own connection writes the migrations to it.
 * Returns the migrations this process ran (none when another process ran them first).
 * @throws the migration's error, or Error when the SQLite lock is not free within 10 minutes.
 */
export async function migrateUnderLock(dataSource: DataSource, url: string): Promise<Migration[]> {
  const run = () => dataSource.runMigrations({ transaction: 'each' });
  if (dataSource.options.type === 'postgres') {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Named, not current_schema(): that is NULL while the configured schema does not exist yet.
      const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
      await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_KEY, schema]);
      try {
        await createSchemaIfMissing(runner, schema);
        return await run();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_KEY, schema]);
      }
    } finally {
      await runner.release();
    }
  }
  const path = url.slice('sqlite:'.length);
  if (path === ':memory:' || path === '') return run();
  const lock = new Database(`${path}.migrate-lock`, { timeout: 1_000 });
  try {
    await acquireExclusive(lock);
    try {
      return await run();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}

async function acquireExclusive(lock: Database.Database): Promise<void> {
  const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
  for (;;) {
    try {
      lock.exec('BEGIN EXCLUSIVE');
      return;
    } catch (error) {
      const busy = error instanceof Error && /SQLITE_BUSY|database is locked/i.test(`${error.message} ${String((error as { code?: unknown }).code)}`);
      if (!busy || Date.now() > deadline) throw error instanceof Error && busy ? new Error('migrations: another process has held the migration lock for 10 minutes') : error;
      // Yield to the event loop between tries: the lock's busy timeout blocks this thread meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Creates the configured schema when it is missing; looked up first, so that a role without CREATE on the database can use an existing one. */
async function createSchemaIfMissing(runner: QueryRunner, schema: string): Promise<void> {
  const found = (await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])) as unknown[];
  // The name was checked to be letters, digits and _ (src/store/data-source.ts), so quoting suffices.
  if (found.length === 0) await runner.query(`CREATE SCHEMA "${schema}"`);
}
