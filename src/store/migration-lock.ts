import Database from 'better-sqlite3';
import { MigrationExecutor, type DataSource, type Migration, type QueryRunner } from 'typeorm';

/**
 * What a migration run reports, for the logs of a process that may wait minutes here:
 * `waiting` when another process holds the lock, `running` (the pending migrations' names) and
 * `done` (ms taken) when this process migrates, and `unknown` when the database has migrations this
 * build does not know (a newer release migrated it; this one may not understand its schema).
 */
export type MigrationEvent =
  | { kind: 'waiting' }
  | { kind: 'running'; names: string[] }
  | { kind: 'done'; names: string[]; ms: number }
  | { kind: 'unknown'; names: string[] };

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
 * `report` hears of the steps (MigrationEvent). Returns the migrations this process ran (none when
 * another process ran them first).
 * @throws the migration's error, or Error when the SQLite lock is not free within 10 minutes.
 */
export async function migrateUnderLock(dataSource: DataSource, url: string, report: (event: MigrationEvent) => void = () => {}): Promise<Migration[]> {
  const run = async (): Promise<Migration[]> => {
    const executor = new MigrationExecutor(dataSource);
    const known = new Set(dataSource.migrations.map((m) => m.name ?? m.constructor.name));
    const unknown = (await executor.getExecutedMigrations()).map((m) => m.name).filter((name) => !known.has(name));
    if (unknown.length > 0) report({ kind: 'unknown', names: unknown });
    const pending = (await executor.getPendingMigrations()).map((m) => m.name);
    if (pending.length === 0) return [];
    const started = Date.now();
    report({ kind: 'running', names: pending });
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    report({ kind: 'done', names: ran.map((m) => m.name), ms: Date.now() - started });
    return ran;
  };
  if (dataSource.options.type === 'postgres') {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Named, not current_schema(): that is NULL while the configured schema does not exist yet.
      const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
      const tried = (await runner.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [MIGRATION_LOCK_KEY, schema])) as { ok: boolean }[];
      if (tried[0]?.ok !== true) {
        report({ kind: 'waiting' });
        await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_KEY, schema]);
      }
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
    await acquireExclusive(lock, () => report({ kind: 'waiting' }));
    try {
      return await run();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}

async function acquireExclusive(lock: Database.Database, onFirstWait: () => void): Promise<void> {
  const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
  for (let tries = 0; ; tries++) {
    try {
      lock.exec('BEGIN EXCLUSIVE');
      return;
    } catch (error) {
      const busy = error instanceof Error && /SQLITE_BUSY|database is locked/i.test(`${error.message} ${String((error as { code?: unknown }).code)}`);
      if (!busy || Date.now() > deadline) throw error instanceof Error && busy ? new Error('migrations: another process has held the migration lock for 10 minutes') : error;
      if (tries === 0) onFirstWait();
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
