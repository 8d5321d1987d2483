import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// The outbox dispatcher looks up every version of a keyed message (an edited card) before delivering
// one, and supersedes the older ones, by (message_key, platform, target_id): without an index each
// delivery scanned the whole outbox, which grows with every change (issue #15 item 4, the Slack click
// bench: 1.8 ms a delivery at 4,000 rows, the largest single cost in the profile).

export class OutboxMessageKeyIndex1765615215000 implements MigrationInterface {
  name = 'OutboxMessageKeyIndex1765615215000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('outbox', new TableIndex({ name: 'IDX_outbox_message_key', columnNames: ['message_key', 'platform', 'target_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox', 'IDX_outbox_message_key');
  }
}
