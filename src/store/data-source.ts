import 'reflect-metadata';
import { makeDirectorySync } from '../make-dir.js';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { migrateUnderLock } from './migration-lock.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

/** A PostgreSQL schema name we put in SQL and in `search_path` unquoted: letters, digits, `_`. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Splits `postgres://...?schema=NAME` into the URL node-postgres gets and the schema. The `schema`
 * parameter is ours (node-postgres does not know it), so that one DATABASE_URL can place the bot in a
 * schema of a shared database; an explicit `options.schema` wins.
 * @throws Error when the schema name is not letters, digits and `_` starting with a letter or `_` (at
 *   most 63, PostgreSQL's limit).
 */
export function postgresTarget(url: string, explicitSchema?: string): { url: string; schema?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return explicitSchema ? { url, schema: checkedSchema(explicitSchema) } : { url };
  }
  const fromUrl = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  const schema = explicitSchema ?? fromUrl;
  const bare = fromUrl === undefined ? url : parsed.toString();
  return schema ? { url: bare, schema: checkedSchema(schema) } : { url: bare };
}

function checkedSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}": expected letters, digits and _, starting with a letter or _, at most 63 characters`);
  }
  return schema;
}

/**
 * Builds (but does not open) the DataSource for `sqlite:PATH` or `postgres://...[?schema=NAME]`.
 * With a schema, TypeORM qualifies its tables with it and every connection's `search_path` starts with
 * it, so that hand-written SQL finds the same tables.
 */
export function createDataSource(url: string, options: { schema?: string } = {}): DataSource {
  if (databaseKind(url) === 'sqlite') {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') makeDirectorySync(dirname(path));
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
  const target = postgresTarget(url, options.schema);
  return new DataSource({
    type: 'postgres',
    url: target.url,
    ...(target.schema ? { schema: target.schema, extra: { options: `-c search_path=${target.schema}` } } : {}),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
  });
}

/**
 * Opens the database and brings its schema up to date. Several processes may start at once (replicas
 * behind a load balancer): the migrations run under a lock (src/store/migration-lock.ts), so each
 * runs once and the others wait for it and find nothing left to do.
 */
export async function openDatabase(url: string, options: { schema?: string } = {}): Promise<DataSource> {
  const dataSource = createDataSource(url, options);
  await dataSource.initialize();
  try {
    await migrateUnderLock(dataSource, url);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
