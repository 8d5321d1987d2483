// Global set-up of the PostgreSQL pass (vitest.config.ts): the run's template schema, migrated once
// and dumped as SQL that test/helpers/db.ts replays for each fresh database; a clear failure when
// PostgreSQL is down; at the end, the run's schemas dropped.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/store/data-source.js';
import { POSTGRES_URL } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated template: its schema name, the SQL that recreates it, the prefix of the run's schemas. */
    testSchemaTemplate: { name: string; sql: string; prefix: string };
  }
}

/** The template as SQL: pg_dump of the schema with its rows; psql's own `\` commands left out. */
function dumpSchema(schema: string): string {
  const { hostname, port, username, pathname } = new URL(POSTGRES_URL);
  const args = ['-h', hostname, '-p', port || '5432', '-U', decodeURIComponent(username) || 'postgres', '-d', pathname.slice(1) || 'postgres'];
  const dump = execFileSync('pg_dump', [...args, '-n', schema, '--inserts', '--no-owner', '--no-privileges'], { encoding: 'utf8' });
  return dump
    .split('\n')
    .filter((line) => !line.startsWith('\\'))
    .join('\n');
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The run's id keeps concurrent runs (other developers, CI) from dropping each other's schemas.
  const prefix = `opsdesk_t${randomBytes(3).toString('hex')}_`;
  const name = `${prefix}template`;
  try {
    await (await openDatabase(`${POSTGRES_URL}?schema=${name}`)).destroy();
  } catch (error) {
    throw new Error(`the PostgreSQL pass needs PostgreSQL at ${POSTGRES_URL} (.ci/run starts it): ${error instanceof Error ? error.message : String(error)}`);
  }
  project.provide('testSchemaTemplate', { name, sql: dumpSchema(name), prefix });
  return async () => {
    const client = new Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const rows = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)', [prefix]);
      for (const { nspname } of rows.rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
    } finally {
      await client.end();
    }
  };
}
