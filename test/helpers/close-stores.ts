// Setup file of every test file: stores the helpers opened are closed when the file ends, and the
// PostgreSQL schemas it used are released for the next file of its worker slot.
import { afterAll } from 'vitest';
import { closeTestStores, releaseTestSchemas } from './db.js';

afterAll(async () => {
  await closeTestStores();
  await releaseTestSchemas();
});
