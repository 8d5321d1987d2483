import type { MigrationInterface, QueryRunner } from 'typeorm';

// The anonymous-poll ballot key leaves the database (issue 9, item 5): it now comes from POLL_SECRET
// or a key file beside the SQLite file (src/feedback/poll-secret.ts). A copy of the database taken
// after this migration no longer holds it. No schema changes.

/** The settings key under which earlier versions kept the poll key (fixed here: migrations never change). */
const STORED_POLL_SECRET = 'feedback.poll_secret';

export class PollSecretOutOfDatabase1764763200000 implements MigrationInterface {
  name = 'PollSecretOutOfDatabase1764763200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.manager.createQueryBuilder().delete().from('settings').where('key = :key', { key: STORED_POLL_SECRET }).execute();
  }

  async down(): Promise<void> {
    // The deleted key is gone for good, which is the point; an older version generates a new one.
  }
}
