import Database from 'better-sqlite3';
import { Client } from 'pg';
import { postgresTarget } from '../../src/store/data-source.js';

/**
 * Reads a test database from outside the bot (as an operator's SQL would), on SQLite or PostgreSQL
 * alike: `sql` uses `$1, $2...` placeholders, in order (sent to SQLite as `?`). Opens and closes a
 * connection per call, so that a bot process may hold the database meanwhile. Numbers PostgreSQL
 * returns as text (count, bigint) stay text.
 */
export async function queryDatabase<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const target = postgresTarget(url);
  const client = new Client({ connectionString: target.url, ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
