import { defineConfig } from 'vitest/config';

/**
 * Files the PostgreSQL pass leaves out: they test PostgreSQL by themselves already (`*-postgres`), or
 * what they test is SQLite's own (files, locks) or touches no database.
 */
const NOT_ON_POSTGRES = [
  // PostgreSQL only already.
  'test/**/*-postgres.test.ts',
  // SQLite's own: its schema check, and two connections on one file (their *-postgres twins cover PostgreSQL).
  'test/integration/schema.test.ts',
  'test/integration/jobs-scheduler.test.ts',
  'test/integration/outbox-dispatcher.test.ts',
  // The poll key file beside a SQLite database.
  'test/integration/poll-secret.test.ts',
  // Run on both databases by themselves.
  'test/integration/record-events-migration.test.ts',
  'test/integration/search.test.ts',
  'test/integration/home-refresh.test.ts',
  'test/integration/migration-lock.test.ts',
  // The spool folder beside the SQLite file: on PostgreSQL every world shares ./data/spool, and the
  // start-up sweep test counts its files (the streaming itself does not depend on the database).
  'test/integration/export-delivery.test.ts',
  // No database.
  'test/integration/http-slow-senders.test.ts',
  'test/integration/shell-adapter.test.ts',
  'test/integration/slack-adapter.test.ts',
];

/**
 * Two passes in one run (`npm test`): every test on SQLite, and the service and end-to-end tests
 * again on PostgreSQL (TEST_DATABASE=postgres: test/helpers/db.ts gives each world a fresh schema).
 * One summary line covers both (test/helpers/summary-reporter.ts).
 */
export default defineConfig({
  test: {
    // vitest's default on a 2-core machine is one file at a time; most of the suite's time is spent
    // waiting (bot processes starting, PostgreSQL, timers), so two files at a time use the cores.
    maxWorkers: 2,
    // One module graph per worker instead of one per file: importing TypeORM, the entities and the
    // services again for each of ~190 files cost about 150 s of the run (vitest's "setup" time). The
    // files share no module state that matters: stores and schemas are per file (test/helpers/db.ts),
    // and no file mocks modules.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          env: { TEST_DATABASE: 'sqlite' },
          setupFiles: ['./test/helpers/close-stores.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: NOT_ON_POSTGRES,
          env: { TEST_DATABASE: 'postgres' },
          globalSetup: ['./test/helpers/postgres-setup.ts'],
          setupFiles: ['./test/helpers/close-stores.ts'],
        },
      },
    ],
  },
});
