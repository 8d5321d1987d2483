import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL that .ci/run starts (and developers' machines run): trust auth, database `test`. */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema per test file, so that runs never see each other's tables. */
export async function createSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `opsdesk_${randomBytes(5).toString('hex')}`;
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.end();
  return {
    schema,
    drop: async () => {
      const c = new Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA "${schema}" CASCADE`);
      await c.end();
    },
  };
}
