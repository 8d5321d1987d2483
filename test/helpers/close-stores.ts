// Setup file of every test file: stores the helpers opened are closed when the file ends, and the
// PostgreSQL schemas it used are released for the next file of its worker slot.
import { afterAll } from 'vitest';
import { closeTestStores, releaseTestSchemas } from './db.js';
import { takeOverlappingQueryWarnings } from './pg-warnings.js';

afterAll(async () => {
  await closeTestStores();
  await releaseTestSchemas();
  const overlapping = takeOverlappingQueryWarnings();
  if (overlapping.length > 0) throw new Error(`queries overlapped on one PostgreSQL connection (run with NODE_OPTIONS=--trace-deprecation to see where):\n${overlapping.join('\n')}`);
});
