import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from '../../migrations/index.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

/** Builds (but does not open) the DataSource for `sqlite:PATH` or `postgres://...`. */
export function createDataSource(url: string, options: { schema?: string } = {}): DataSource {
  if (databaseKind(url) === 'sqlite') {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return new DataSource({
      type: 'better-sqlite3',
      database: path,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      synchronize: false,
      // Several bot processes may share one file: wait for a lock rather than fail.
      timeout: 10_000,
      // TypeORM keeps prepared statements per SQL text, first in first out, 100 by default; the bot's
      // hot paths alone use more texts than that, so the default cache kept re-preparing (3-4 % of the
      // CPU under bench/slack-clicks.ts). A statement costs a few kB.
      statementCacheSize: 1000,
      prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
        db.pragma('journal_mode = WAL');
        // With WAL, NORMAL loses no committed data on a crash of the process, only on power loss.
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 10000');
        db.pragma('foreign_keys = ON');
      },
    });
  }
  return new DataSource({
    type: 'postgres',
    url,
    ...(options.schema ? { schema: options.schema } : {}),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
  });
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(url: string, options: { schema?: string } = {}): Promise<DataSource> {
  const dataSource = createDataSource(url, options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
