import { ConfigError, loadConfig, loadDotEnv } from '../config.js';
import { createDataSource } from './data-source.js';
import { migrateUnderLock, type MigrationEvent } from './migration-lock.js';

/** The steps an operator watching the command needs: a wait for another process, a newer schema. */
function report(event: MigrationEvent): void {
  if (event.kind === 'waiting') process.stdout.write('waiting for the migration lock (another process is migrating)\n');
  if (event.kind === 'running') process.stdout.write(`running ${event.names.length} migrations\n`);
  if (event.kind === 'unknown') {
    process.stderr.write(`warning: the database has migrations this build does not know (${event.names.join(', ')}): a newer release migrated it; run that release or newer\n`);
  }
}

/** `npm run migrate`: brings the configured database's schema up to date and lists what ran. */
async function migrate(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();
  try {
    // Under the same lock as start-up, so that running it beside starting replicas is safe.
    const ran = await migrateUnderLock(dataSource, config.DATABASE_URL, report);
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
