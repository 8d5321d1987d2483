import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { inject } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { ChatActor } from '../../src/chat/model.js';
import type { Actor } from '../../src/people/actor.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { Store } from '../../src/store/store.js';
import { POSTGRES_URL } from './postgres.js';

/** The anonymous-poll key test worlds use unless told otherwise (it comes from outside the database). */
export const TEST_POLL_SECRET = 'test-poll-secret-0123456789abcdef0123456789abcdef';

/**
 * The database this pass of the suite runs on: `TEST_DATABASE=postgres` (the `postgres` project in
 * vitest.config.ts) or SQLite (the default).
 */
export const TEST_DATABASE: 'sqlite' | 'postgres' = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh SQLite file, whichever database the pass runs on (for what only SQLite has: files, WAL, locks). */
export function tempSqliteUrl(prefix = 'opsdesk-test-'): string {
  return `sqlite:${join(mkdtempSync(join(tmpdir(), prefix)), 'opsdesk.db')}`;
}

/**
 * A fresh database of this pass with the real migrations applied: a new SQLite file (migrated when
 * first opened), or a new schema on the test PostgreSQL, copied from the run's migrated template
 * (test/helpers/postgres-setup.ts; a copy takes a fraction of running the migrations again) and named
 * in the URL (`?schema=`, src/store/data-source.ts). Hand the same URL to a second store or to bot
 * processes to share it; the run's schemas are dropped at its end.
 */
export async function freshTestDatabase(prefix = 'opsdesk-test-'): Promise<string> {
  if (TEST_DATABASE === 'sqlite') return tempSqliteUrl(prefix);
  const template = inject('testSchemaTemplate');
  if (!template) throw new Error('the PostgreSQL pass runs as the vitest project "postgres": npx vitest run --project postgres FILE');
  const schema = (await reusableSchema(template)) ?? `${template.prefix}${randomBytes(5).toString('hex')}`;
  if (!(await emptied(schema, template.name))) await runSql(template.sql.split(template.name).join(schema));
  return `${POSTGRES_URL}?schema=${schema}`;
}

/** Holds this worker's claims on reusable schemas (advisory locks end with the connection, so with the worker). */
let claims: Client | undefined;
let claimed = 0;

/**
 * The next of this worker slot's schemas (`VITEST_POOL_ID`), claimed by an advisory lock, or
 * undefined when another process holds it: emptying a used schema costs a fraction of copying the
 * template, and a file's worker runs one file at a time.
 */
async function reusableSchema(template: { prefix: string }): Promise<string | undefined> {
  const slot = process.env.VITEST_POOL_ID;
  if (!slot || !/^\d+$/.test(slot)) return undefined;
  const schema = `${template.prefix}w${slot}_${claimed++}`;
  if (!claims) {
    claims = new Client({ connectionString: POSTGRES_URL });
    await claims.connect();
  }
  const { rows } = await claims.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [schema]);
  return rows[0]?.ok ? schema : undefined;
}

/**
 * The shape of a schema: its tables, columns, indexes and triggers, so that a schema a test changed
 * (a dropped table, to make a write fail) is never handed on as if it were fresh.
 */
const SHAPE_SQL = `SELECT
  (SELECT count(*) FROM information_schema.columns WHERE table_schema = $1) AS columns,
  (SELECT count(*) FROM pg_indexes WHERE schemaname = $1) AS indexes,
  (SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = $1) AS triggers,
  (SELECT count(*) FROM pg_tables WHERE schemaname = $1) AS tables`;

async function shape(client: Client, schema: string): Promise<string> {
  const { rows } = await client.query<Record<string, string>>(SHAPE_SQL, [schema]);
  return JSON.stringify(rows[0]);
}

/**
 * Empties `schema` (every table but the migrations, ids from 1 again); false when it does not exist
 * or no longer has the template's shape (then it is dropped, and the caller copies the template again).
 */
async function emptied(schema: string, template: string): Promise<boolean> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'migrations'", [schema]);
    if (rows.length === 0) return false;
    if ((await shape(client, schema)) !== (await shape(client, template))) {
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      return false;
    }
    await client.query(`TRUNCATE ${rows.map((r) => `"${schema}"."${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
    return true;
  } finally {
    await client.end();
  }
}

async function runSql(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Lets this worker's schemas go to the next file of its slot (after the file's stores and bots are gone). */
export async function releaseTestSchemas(): Promise<void> {
  await claims?.end();
  claims = undefined;
  // The worker runs the next file with this module still loaded (isolate: false): it starts again at
  // the slot's first schema, now free.
  claimed = 0;
}

const opened = new Set<Store>();

/** A fresh database of this pass (freshTestDatabase) with the real migrations, or the one at `url`. */
export async function openTestStore(given?: string): Promise<Store> {
  const url = given ?? (await freshTestDatabase());
  const store = new Store(await openDatabase(url), url);
  opened.add(store);
  return store;
}

/**
 * Closes every store openTestStore opened that is still open (test/helpers/close-stores.ts runs it
 * after each file), so that PostgreSQL connections do not pile up across a file's worlds.
 */
export async function closeTestStores(): Promise<void> {
  for (const store of opened) await store.close();
  opened.clear();
}

export interface TestWorld {
  store: Store;
  clock: ManualClock;
  services: Services;
  /** Resolves (creating on first use) a shell person by name. */
  actor(name: string): Promise<Actor>;
}

export async function openTestWorld(
  options: {
    admins?: string[];
    faultChannel?: string;
    /** An existing database (e.g. to start a "new process" on the database of an earlier world). */
    url?: string;
    /** The clock to use (default: a ManualClock at Monday 2026-11-23 09:00 UTC). */
    clock?: ManualClock;
    /** The poll key (default TEST_POLL_SECRET); null: none, so polls are refused. */
    pollSecret?: string | null;
  } = {},
): Promise<TestWorld> {
  const store = await openTestStore(options.url);
  const clock = options.clock ?? new ManualClock(new Date('2026-11-23T09:00:00Z'));
  const services = createServices({
    store,
    clock,
    timeZone: 'Europe/Berlin',
    defaultLocale: 'en',
    bootstrapAdmins: options.admins ?? ['shell:admin'],
    channelDefaults: { fault_channel: options.faultChannel ?? 'slack:CFAULTS' },
    ...(options.pollSecret === null ? {} : { pollSecret: options.pollSecret ?? TEST_POLL_SECRET }),
  });
  const actor = (name: string) => {
    const chat: ChatActor = { platform: 'shell', userId: name, displayName: name };
    return services.people.resolve(chat);
  };
  return { store, clock, services, actor };
}
