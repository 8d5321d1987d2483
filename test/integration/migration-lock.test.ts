// Replicas that start at the same moment run each migration once (src/store/migration-lock.ts):
// PostgreSQL by an advisory lock, SQLite by an exclusive lock on a sidecar file.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { openDatabase, postgresTarget } from '../../src/store/data-source.js';
import { migrateUnderLock, type MigrationEvent } from '../../src/store/migration-lock.js';
import { tempSqliteUrl } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const opened: DataSource[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const dataSource of opened.splice(0)) await dataSource.destroy();
  for (const drop of drops.splice(0)) await drop();
});

async function migrationNames(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
  return rows.map((r) => r.name);
}

const ROOT = resolve(import.meta.dirname, '../..');

/** Opens the database in a process of its own, as a replica starting up does. */
function openInProcess(url: string): Promise<unknown> {
  return promisify(execFile)(resolve(ROOT, 'node_modules/.bin/tsx'), ['test/helpers/open-database-cli.ts', url], { cwd: ROOT });
}

const expected = MIGRATIONS.map((m) => m.name).sort();

describe('migrations under a lock', () => {
  it('PostgreSQL: three processes opening a fresh schema at once run every migration once', async () => {
    const { schema, drop } = await createSchema();
    drops.push(drop);
    const url = `${POSTGRES_URL}?schema=${schema}`;
    const all = await Promise.all([1, 2, 3].map(() => openDatabase(url)));
    opened.push(...all);
    const names = await migrationNames(all[0] as DataSource);
    expect([...names].sort()).toEqual(expected);
    // Tables are in the schema of the URL, and every process sees the same, complete history.
    const tables: { n: string }[] = await (all[1] as DataSource).query(
      `SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'migrations'`,
      [schema],
    );
    expect(tables).toEqual([{ n: '1' }]);
    for (const dataSource of all) expect(await migrationNames(dataSource)).toEqual(names);
  });

  it('SQLite: three processes opening a fresh file at once run every migration once', async () => {
    const url = tempSqliteUrl('opsdesk-migrate-lock-');
    await Promise.all([1, 2, 3].map(() => openInProcess(url)));
    const dataSource = await openDatabase(url);
    opened.push(dataSource);
    const names = await migrationNames(dataSource);
    expect([...names].sort()).toEqual(expected);
    expect(new Set(names).size).toBe(names.length);
  });

  it('warns of migrations a newer release ran, on both databases and in npm run migrate', async () => {
    const { schema, drop } = await createSchema();
    drops.push(drop);
    for (const url of [`${POSTGRES_URL}?schema=${schema}`, tempSqliteUrl('opsdesk-migrate-newer-')]) {
      const dataSource = await openDatabase(url);
      opened.push(dataSource);
      await dataSource.query(`INSERT INTO migrations (timestamp, name) VALUES (1799999999999, 'FromTheFuture1799999999999')`);
      const events: MigrationEvent[] = [];
      expect(await migrateUnderLock(dataSource, url, (event) => events.push(event))).toEqual([]);
      expect(events).toEqual([{ kind: 'unknown', names: ['FromTheFuture1799999999999'] }]);
      if (url.startsWith('sqlite:')) {
        const cli = await promisify(execFile)(resolve(ROOT, 'node_modules/.bin/tsx'), ['src/store/migrate-cli.ts'], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', DATABASE_URL: url },
        });
        expect(cli.stdout).toBe('schema is up to date\n');
        expect(cli.stderr).toContain('warning: the database has migrations this build does not know (FromTheFuture1799999999999)');
      }
    }
  });

  it('reads the schema from the URL and refuses a name that is not letters, digits and _', () => {
    expect(postgresTarget('postgres://u@h:5432/db?schema=ops_1&sslmode=disable')).toEqual({ url: 'postgres://u@h:5432/db?sslmode=disable', schema: 'ops_1' });
    expect(postgresTarget('postgres://u@h:5432/db')).toEqual({ url: 'postgres://u@h:5432/db' });
    expect(() => postgresTarget('postgres://u@h/db?schema=a;drop')).toThrow(/invalid PostgreSQL schema name "a;drop"/);
    // Letters and digits, but a digit first: the message must say what is wrong with it.
    expect(() => postgresTarget('postgres://u@h/db?schema=1abc')).toThrow('invalid PostgreSQL schema name "1abc": expected letters, digits and _, starting with a letter or _');
  });
});
