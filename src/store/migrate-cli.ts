import { ConfigError, loadConfig, loadDotEnv } from '../config.js';
import { createDataSource } from './data-source.js';

/** `npm run migrate`: brings the configured database's schema up to date and lists what ran. */
async function migrate(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(ran.length ? `applied: ${ran.map((m) => m.name).join(', ')}\n` : 'schema is up to date\n');
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  const detail = error instanceof ConfigError ? error.problems.join('\n') : error instanceof Error ? error.message : String(error);
  process.stderr.write(`migration failed: ${detail}\n`);
  process.exit(1);
});
