// A separate process that opens (and so migrates) the database at argv[2], for the migration-lock
// test: one process per replica, as at a real start-up.
import { openDatabase } from '../../src/store/data-source.js';

const url = process.argv[2];
if (!url) throw new Error('usage: open-database-cli.ts DATABASE_URL');
const dataSource = await openDatabase(url);
await dataSource.destroy();
